package inbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/report/delivery/deliverytest"
	"github.com/firstline-it/firstline/internal/report/delivery/inbox"
)

func newInbox(t *testing.T) (*inbox.Inbox, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "inbox") // missing: Deliver creates it
	in, err := inbox.New(inbox.Config{Dir: dir}, inbox.Options{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return in, dir
}

func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestDeliverWritesMailAndJSON(t *testing.T) {
	in, dir := newInbox(t)
	m := deliverytest.Message()
	r, err := in.Deliver(context.Background(), m)
	if err != nil {
		t.Fatalf("Deliver: %v", err)
	}

	if got, want := files(t, dir), []string{"FL-7K3Q2.eml", "FL-7K3Q2.json"}; !slices.Equal(got, want) {
		t.Fatalf("files %v, want %v", got, want)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "FL-7K3Q2.eml"))
	if err != nil {
		t.Fatal(err)
	}
	mail, err := deliverytest.ParseMail(raw)
	if err != nil {
		t.Fatalf("stored .eml does not parse: %v", err)
	}
	if mail.Header.Get("X-Firstline-Key") != m.Key {
		t.Errorf("X-Firstline-Key = %q", mail.Header.Get("X-Firstline-Key"))
	}
	if to := mail.Header.Get("To"); !strings.Contains(to, "helpdesk@localhost") {
		t.Errorf("To = %q, want the default", to)
	}
	if len(mail.Attachments) != len(m.Attachments) {
		t.Fatalf("%d attachments, want %d", len(mail.Attachments), len(m.Attachments))
	}
	for i, a := range mail.Attachments {
		if !bytes.Equal(a.Data, m.Attachments[i].Data) {
			t.Errorf("attachment %s differs", a.Name)
		}
	}
	doc, err := os.ReadFile(filepath.Join(dir, "FL-7K3Q2.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, m.JSON) {
		t.Errorf("json file = %s, want the report's JSON", doc)
	}

	if r.TicketID != "FL-7K3Q2" {
		t.Errorf("TicketID = %q", r.TicketID)
	}
	u, err := url.Parse(r.TicketURL)
	if err != nil || u.Scheme != "file" || filepath.FromSlash(u.Path) != filepath.Join(dir, "FL-7K3Q2.eml") {
		t.Errorf("TicketURL = %q, want file:// of the .eml", r.TicketURL)
	}
	if fi, err := os.Stat(filepath.Join(dir, "FL-7K3Q2.eml")); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("eml mode = %v, %v; want 0640", fi.Mode(), err)
	}
}

func TestDeliverTwiceWritesOnce(t *testing.T) {
	in, dir := newInbox(t)
	m := deliverytest.Message()
	first, err := in.Deliver(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	// Mark the stored files: a second delivery that rewrote them would
	// lose the mark.
	for _, name := range []string{"FL-7K3Q2.eml", "FL-7K3Q2.json"} {
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("\nMARK\n")
		f.Close()
	}
	second, err := in.Deliver(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if second != first {
		t.Errorf("second receipt %+v, first %+v", second, first)
	}
	for _, name := range []string{"FL-7K3Q2.eml", "FL-7K3Q2.json"} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		if !bytes.HasSuffix(b, []byte("\nMARK\n")) {
			t.Errorf("%s was rewritten by the second delivery", name)
		}
	}
	if got := files(t, dir); len(got) != 2 {
		t.Errorf("files %v after two deliveries, want 2", got)
	}
}

func TestDeliverSameReferenceOtherReport(t *testing.T) {
	in, dir := newInbox(t)
	a := deliverytest.Message()
	b := deliverytest.Message()
	b.Key = "0190f5b4-aaaa-7a3b-9f2d-3c4b5a6d7e8f"
	b.JSON = nil
	if _, err := in.Deliver(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	rb, err := in.Deliver(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	if rb.TicketID != "FL-7K3Q2-0190f5b4" {
		t.Errorf("TicketID = %q, want the reference with a key prefix", rb.TicketID)
	}
	rb2, err := in.Deliver(context.Background(), b)
	if err != nil || rb2 != rb {
		t.Errorf("re-delivery of the second report: %+v, %v; want %+v", rb2, err, rb)
	}
	if got, want := files(t, dir), []string{"FL-7K3Q2-0190f5b4.eml", "FL-7K3Q2-0190f5b4.json", "FL-7K3Q2.eml", "FL-7K3Q2.json"}; !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "FL-7K3Q2.eml"))
	if !bytes.Contains(raw, []byte("X-Firstline-Key: "+a.Key)) {
		t.Error("the first report was overwritten")
	}

	// Without the spool's JSON, the inbox writes its own summary.
	var doc struct {
		Key         string `json:"key"`
		Attachments []struct {
			Name string `json:"name"`
			Size int    `json:"size"`
		} `json:"attachments"`
	}
	data, _ := os.ReadFile(filepath.Join(dir, "FL-7K3Q2-0190f5b4.json"))
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("fallback JSON: %v", err)
	}
	if doc.Key != b.Key || len(doc.Attachments) != 4 || doc.Attachments[3].Size != len(b.Attachments[3].Data) {
		t.Errorf("fallback JSON = %s", data)
	}
}

func TestDeliverDoesNotFollowPlantedSymlink(t *testing.T) {
	in, dir := newInbox(t)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(dir, "FL-7K3Q2.eml")); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	if _, err := in.Deliver(context.Background(), deliverytest.Message()); err == nil {
		t.Error("Deliver succeeded next to a planted symlink")
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious" {
		t.Errorf("symlink target changed to %q", b)
	}
}

func TestDeliverConcurrently(t *testing.T) {
	in, dir := newInbox(t)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			m := deliverytest.Message()
			m.Reference = fmt.Sprintf("FL-%05d", i%10) // every reference twice, same key
			m.Key = fmt.Sprintf("0190f5b4-7c1e-7a3b-9f2d-%012d", i%10)
			_, err := in.Deliver(context.Background(), m)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := files(t, dir); len(got) != 20 {
		t.Errorf("%d files (%v), want 10 reports x 2 and no leftovers", len(got), got)
	}
}

func TestDeliverErrors(t *testing.T) {
	in, _ := newInbox(t)
	bad := deliverytest.Message()
	bad.Reference = "../../escape"
	if _, err := in.Deliver(context.Background(), bad); !delivery.IsPermanent(err) {
		t.Errorf("path-like reference: err = %v, want permanent", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := in.Deliver(ctx, deliverytest.Message()); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: err = %v", err)
	}

	// A file where the folder should be: not a permission problem, so
	// worth retrying once someone clears it.
	blocked := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocked, nil, 0o600)
	in2, err := inbox.New(inbox.Config{Dir: filepath.Join(blocked, "inbox")}, inbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = in2.Deliver(context.Background(), deliverytest.Message())
	if err == nil || delivery.IsPermanent(err) {
		t.Errorf("folder under a file: err = %v, want transient", err)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  inbox.Config
		keys []string
	}{
		{"ok", inbox.Config{Dir: "/var/lib/firstline/inbox"}, nil},
		{"ok with addresses", inbox.Config{Dir: "/x", From: "A <a@example.com>", To: []string{"b@example.com"}}, nil},
		{"empty", inbox.Config{}, []string{"dir"}},
		{"relative", inbox.Config{Dir: "inbox"}, []string{"dir"}},
		{"bad addresses", inbox.Config{Dir: "/x", From: "nope", To: []string{"ok@example.com", "also nope"}}, []string{"from", "to[1]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			var ce *config.Error
			if tt.keys == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if !errors.As(err, &ce) {
				t.Fatalf("Validate = %v, want *config.Error", err)
			}
			var keys []string
			for _, p := range ce.Problems {
				keys = append(keys, p.Key)
			}
			if !slices.Equal(keys, tt.keys) {
				t.Errorf("keys %v, want %v", keys, tt.keys)
			}
			if _, err := inbox.New(tt.cfg, inbox.Options{}); err == nil {
				t.Error("New accepted an invalid config")
			}
		})
	}
}

func BenchmarkDeliver(b *testing.B) {
	dir := b.TempDir()
	in, err := inbox.New(inbox.Config{Dir: dir}, inbox.Options{})
	if err != nil {
		b.Fatal(err)
	}
	m := deliverytest.Message()
	i := 0
	for b.Loop() {
		m.Reference = fmt.Sprintf("FL-%d", i)
		i++
		if _, err := in.Deliver(context.Background(), m); err != nil {
			b.Fatal(err)
		}
	}
}
