package rt

import (
	"os"
	"path/filepath"
	"testing"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeFixtures(t *testing.T) {
	id, err := decodeCreated(fixture(t, "create-reply.json"))
	if err != nil || id != "1" {
		t.Errorf("decodeCreated = %q, %v", id, err)
	}
	tk, err := decodeTicket(fixture(t, "ticket.json"))
	if err != nil || tk.ID != "1" || tk.Status != "new" {
		t.Errorf("decodeTicket = %+v, %v (the id is a number there)", tk, err)
	}
	items, err := decodeSearch(fixture(t, "search.json"))
	if err != nil || len(items) != 2 || items[0].ID != "1" || items[0].Status != "resolved" || items[1].ID != "2" {
		t.Errorf("decodeSearch = %+v, %v", items, err)
	}
	items, err = decodeSearch(fixture(t, "search-empty.json"))
	if err != nil || len(items) != 0 {
		t.Errorf("empty search = %+v, %v", items, err)
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name string
		body string
		dec  func([]byte) error
	}{
		{"create without id", `{"type":"ticket"}`, func(b []byte) error { _, err := decodeCreated(b); return err }},
		{"create with id 0", `{"id":"0"}`, func(b []byte) error { _, err := decodeCreated(b); return err }},
		{"create with a path as id", `{"id":"../queue/1"}`, func(b []byte) error { _, err := decodeCreated(b); return err }},
		{"create with a float id", `{"id":1.5}`, func(b []byte) error { _, err := decodeCreated(b); return err }},
		{"ticket as array", `[{"id":1}]`, func(b []byte) error { _, err := decodeTicket(b); return err }},
		{"ticket with trailing data", `{"id":1} {"id":2}`, func(b []byte) error { _, err := decodeTicket(b); return err }},
		{"ticket id is an object", `{"id":{"x":1}}`, func(b []byte) error { _, err := decodeTicket(b); return err }},
		{"search of an HTML page", `<html>login</html>`, func(b []byte) error { _, err := decodeSearch(b); return err }},
		{"search without total", `{"items":[]}`, func(b []byte) error { _, err := decodeSearch(b); return err }},
		{"search item without id", `{"total":1,"items":[{"Subject":"x"}]}`, func(b []byte) error { _, err := decodeSearch(b); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.dec([]byte(tt.body)); err == nil {
				t.Errorf("accepted %s", tt.body)
			}
		})
	}
}

func TestHasReference(t *testing.T) {
	tests := []struct {
		subject string
		want    bool
	}{
		{"[FL-7K3Q2] Printer: can't print", true},
		{"Re: [fl-7k3q2] Printer", true},
		{"FL-7K3Q2", true},
		{"about FL-7K3Q2.", true},
		{"[FL-7K3Q2X] other report", false},
		{"[XFL-7K3Q2] other report", false},
		{"FL-7K3Q2-2 follow-up", false},
		{"FL-7K3Q FL-7K3Q2", true},
		{"", false},
	}
	for _, tt := range tests {
		if got := hasReference(tt.subject, "FL-7K3Q2"); got != tt.want {
			t.Errorf("hasReference(%q) = %v, want %v", tt.subject, got, tt.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, name := range []string{"create-reply.json", "ticket.json", "search.json", "search-empty.json", "error-queue.json"} {
		f.Add(fixture(f, name))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if id, err := decodeCreated(body); err == nil && !id.valid() {
			t.Fatalf("decodeCreated accepted id %q", id)
		}
		if tk, err := decodeTicket(body); err == nil && !tk.ID.valid() {
			t.Fatalf("decodeTicket accepted id %q", tk.ID)
		}
		if items, err := decodeSearch(body); err == nil {
			for _, it := range items {
				if !it.ID.valid() {
					t.Fatalf("decodeSearch accepted id %q", it.ID)
				}
			}
		}
	})
}
