package rt_test

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/report/delivery/deliverytest"
	"github.com/firstline-it/firstline/internal/report/delivery/rt"
)

func newRT(t *testing.T, srv *httptest.Server, edit func(*rt.Config)) *rt.RT {
	t.Helper()
	cfg := rt.Config{URL: srv.URL, Token: config.NewSecret("1-14-0123456789abcdef")}
	if edit != nil {
		edit(&cfg)
	}
	b, err := rt.New(cfg, rt.Options{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return b
}

func TestDeliverCreatesTicket(t *testing.T) {
	f, srv := newFakeRT(t)
	b := newRT(t, srv, func(c *rt.Config) {
		c.KeyField = "Firstline-Key"
		c.CustomFields = map[string]string{"Category": "category", "Hostname": "hostname", "Empty": "no-such-field"}
	})
	m := deliverytest.Message()
	m.Attachments = append(m.Attachments, delivery.Attachment{Name: "empty.txt", ContentType: "text/plain"})

	r, err := b.Deliver(context.Background(), m)
	if err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	if want := (delivery.Receipt{TicketID: "1", TicketURL: srv.URL + "/Ticket/Display.html?id=1", Status: "new"}); r != want {
		t.Errorf("receipt %+v, want %+v", r, want)
	}
	creates, tickets := f.snapshot()
	if creates != 1 {
		t.Fatalf("%d creates", creates)
	}
	tk := tickets[0]
	if tk.Subject != m.Subject || tk.Requestor != m.Reporter.Email || tk.Content != m.Body() {
		t.Errorf("ticket subject %q requestor %q content\n%s", tk.Subject, tk.Requestor, tk.Content)
	}
	wantCF := map[string]string{"Firstline-Key": m.Key, "Category": "printer", "Hostname": "LAPTOP-42"}
	if len(tk.CustomFields) != len(wantCF) {
		t.Errorf("custom fields %v, want %v", tk.CustomFields, wantCF)
	}
	for k, v := range wantCF {
		if tk.CustomFields[k] != v {
			t.Errorf("custom field %s = %q, want %q", k, tk.CustomFields[k], v)
		}
	}
	// The empty file is left out (RT refuses it); the others arrive whole,
	// "Überblick der Fehler – März.txt" with its name intact (RT's JSON
	// form would fail on the dash; see fakeRT).
	if len(tk.Attachments) != len(m.Attachments)-1 {
		t.Fatalf("%d attachments on the ticket, want %d", len(tk.Attachments), len(m.Attachments)-1)
	}
	for i, a := range tk.Attachments {
		want := m.Attachments[i]
		if a.Name != want.Name || a.Type != want.MediaType() || !bytes.Equal(a.Data, want.Data) {
			t.Errorf("attachment %d: %s %s %d bytes, want %s %s %d bytes", i, a.Name, a.Type, len(a.Data), want.Name, want.MediaType(), len(want.Data))
		}
	}
}

func TestFileNamesWithQuotes(t *testing.T) {
	f, srv := newFakeRT(t)
	b := newRT(t, srv, nil)
	m := deliverytest.Message()
	m.Attachments = []delivery.Attachment{{Name: `say "hi" there.txt`, ContentType: "text/plain", Data: []byte("x")}}
	if _, err := b.Deliver(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	_, tickets := f.snapshot()
	if got := tickets[0].Attachments[0].Name; got != "say 'hi' there.txt" {
		t.Errorf("file name %q", got)
	}
}

func TestStatusReadBack(t *testing.T) {
	f, srv := newFakeRT(t)
	b := newRT(t, srv, nil)
	r, err := b.Deliver(context.Background(), deliverytest.Message())
	if err != nil {
		t.Fatal(err)
	}
	f.setStatus(1, "resolved")
	if st, err := b.Status(context.Background(), r.TicketID); err != nil || st != "resolved" {
		t.Errorf("Status = %q, %v; want resolved", st, err)
	}
	if _, err := b.Status(context.Background(), "99"); !delivery.IsPermanent(err) || delivery.HTTPStatus(err) != 404 {
		t.Errorf("missing ticket: err = %v, want a permanent 404", err)
	}
	if _, err := b.Status(context.Background(), "../queue/1"); !delivery.IsPermanent(err) {
		t.Errorf("bad id: err = %v, want permanent", err)
	}
}

// A reply lost after RT created the ticket must not make a second ticket
// on the retry, whichever way the backend searches.
func TestRetryAfterLostReply(t *testing.T) {
	for _, keyField := range []string{"", "Firstline-Key"} {
		t.Run("key_field="+keyField, func(t *testing.T) {
			f, srv := newFakeRT(t)
			b := newRT(t, srv, func(c *rt.Config) { c.KeyField = keyField })
			m := deliverytest.Message()

			f.loseNextReply = true
			_, err := b.Deliver(context.Background(), m)
			if err == nil || delivery.IsPermanent(err) {
				t.Fatalf("lost reply: err = %v, want transient", err)
			}
			r, err := b.Deliver(context.Background(), m)
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			r2, err := b.Deliver(context.Background(), m)
			if err != nil || r2 != r {
				t.Fatalf("third delivery: %+v, %v; want %+v", r2, err, r)
			}
			creates, _ := f.snapshot()
			if creates != 1 || r.TicketID != "1" || r.Status != "new" {
				t.Errorf("%d tickets created, receipt %+v; want one, ticket 1", creates, r)
			}
		})
	}
}

func TestSubjectSearchIgnoresSimilarReferences(t *testing.T) {
	f, srv := newFakeRT(t)
	b := newRT(t, srv, nil)
	other := deliverytest.Message()
	other.Key = "0190f5b4-7c1e-7a3b-9f2d-000000000009"
	other.Reference = "FL-7K3Q2X"
	other.Subject = "[FL-7K3Q2X] another problem"
	if _, err := b.Deliver(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	r, err := b.Deliver(context.Background(), deliverytest.Message())
	if err != nil {
		t.Fatal(err)
	}
	if creates, _ := f.snapshot(); creates != 2 || r.TicketID != "2" {
		t.Errorf("%d creates, receipt %+v: FL-7K3Q2 was taken for FL-7K3Q2X", creates, r)
	}
}

func TestDeliverFailures(t *testing.T) {
	tests := []struct {
		name       string
		setup      func(*fakeRT, *rt.Config)
		permanent  bool
		auth       bool
		mention    string
		wantCreate int
	}{
		{"bad token", func(_ *fakeRT, c *rt.Config) { c.Token = config.NewSecret("1-14-wrong") }, true, true, "delivery.rt.token", 0},
		{"queue not allowed", func(_ *fakeRT, c *rt.Config) { c.Queue = "Nope" }, true, true, "No permission to create tickets in the queue 'Nope'", 0},
		{"search down", func(f *fakeRT, _ *rt.Config) { f.failSearch = 503 }, false, false, "503", 0},
		{"search refuses the query", func(f *fakeRT, _ *rt.Config) { f.failSearch = 400 }, true, false, "400", 0},
		{"wrong base URL", func(_ *fakeRT, c *rt.Config) { c.URL += "/rt" }, true, false, "delivery.rt.url", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFakeRT(t)
			b := newRT(t, srv, func(c *rt.Config) { tt.setup(f, c) })
			_, err := b.Deliver(context.Background(), deliverytest.Message())
			if err == nil {
				t.Fatal("Deliver succeeded")
			}
			if got := delivery.IsPermanent(err); got != tt.permanent {
				t.Errorf("IsPermanent = %v, want %v: %v", got, tt.permanent, err)
			}
			var ae *delivery.AuthError
			if got := errors.As(err, &ae); got != tt.auth {
				t.Errorf("AuthError = %v, want %v: %v", got, tt.auth, err)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error does not mention %q: %v", tt.mention, err)
			}
			if strings.Contains(err.Error(), "0123456789abcdef") || strings.Contains(err.Error(), "wrong") {
				t.Errorf("error reveals the token: %v", err)
			}
			if creates, _ := f.snapshot(); creates != tt.wantCreate {
				t.Errorf("%d tickets created", creates)
			}
		})
	}
}

func TestDeliverUnreachable(t *testing.T) {
	_, srv := newFakeRT(t)
	b := newRT(t, srv, nil)
	srv.Close()
	_, err := b.Deliver(context.Background(), deliverytest.Message())
	var te *delivery.TransientError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want transient", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	if _, err := b.Deliver(ctx, deliverytest.Message()); err == nil || delivery.IsPermanent(err) {
		t.Errorf("expired context: err = %v, want transient", err)
	}
}

func TestConfigValidate(t *testing.T) {
	ok := rt.Config{URL: "https://rt.example.com", Token: config.NewSecret("1-14-abc")}
	tests := []struct {
		name string
		edit func(*rt.Config)
		keys []string
	}{
		{"minimal", func(*rt.Config) {}, nil},
		{"full", func(c *rt.Config) {
			c.Queue, c.KeyField, c.Requestor = "IT Support", "Firstline-Key", "none"
			c.CustomFields = map[string]string{"Category": "category"}
			c.Timeout = config.Duration(time.Minute)
		}, nil},
		{"local http", func(c *rt.Config) { c.URL = "http://localhost:8081" }, nil},
		{"http", func(c *rt.Config) { c.URL = "http://rt.example.com" }, []string{"url"}},
		{"no token", func(c *rt.Config) { c.Token = config.Secret{} }, []string{"token"}},
		{"names that break TicketSQL", func(c *rt.Config) { c.Queue, c.KeyField = "Q'1", "Key}" }, []string{"queue", "key_field"}},
		{"custom fields", func(c *rt.Config) {
			c.KeyField = "K"
			c.CustomFields = map[string]string{"K": "key", "B": ""}
		}, []string{"custom_fields", "custom_fields"}},
		{"requestor and timeout", func(c *rt.Config) { c.Requestor, c.Timeout = "all", config.Duration(time.Hour) }, []string{"requestor", "timeout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.edit(&cfg)
			err := cfg.Validate()
			if tt.keys == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Validate = %v, want *config.Error", err)
			}
			var keys []string
			for _, p := range ce.Problems {
				keys = append(keys, p.Key)
			}
			if !slices.Equal(keys, tt.keys) {
				t.Errorf("keys %v, want %v (%v)", keys, tt.keys, err)
			}
		})
	}
}

func BenchmarkDeliverCreate(b *testing.B) {
	_, srv := newFakeRT(b)
	backend, err := rt.New(rt.Config{URL: srv.URL, Token: config.NewSecret("1-14-0123456789abcdef")}, rt.Options{})
	if err != nil {
		b.Fatal(err)
	}
	m := deliverytest.Message()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		m.Reference = "FL-B" + strconv.Itoa(i)
		i++
		if _, err := backend.Deliver(context.Background(), m); err != nil {
			b.Fatal(err)
		}
	}
}

func TestNoSecretInOutput(t *testing.T) {
	cfg := rt.Config{URL: "https://rt.example.com", Token: config.NewSecret("1-14-TOKENVALUE")}
	b, err := rt.New(cfg, rt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	deliverytest.NoLeak(t, []string{"TOKENVALUE"}, cfg, &cfg, b)
}
