package notify

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
)

// fakeSender records what would pop up.
type fakeSender struct {
	mu   sync.Mutex
	sent []Message
	err  error
}

func (f *fakeSender) Send(_ context.Context, m Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	f.sent = append(f.sent, m)
	return nil
}

// clock is a settable time.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

var t0 = time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)

func item(id, severity string) localapi.NoticeItem {
	return localapi.NoticeItem{ID: id, Severity: severity, Title: "Title " + id, Body: "Body of " + id, Created: t0}
}

func view(items ...localapi.NoticeItem) localapi.NoticeView { return localapi.NoticeView{Items: items} }

type harness struct {
	n      *Notifier
	s      *fakeSender
	c      *clock
	opened int
}

func newHarness(t *testing.T, path string, limit int) *harness {
	t.Helper()
	h := &harness{s: &fakeSender{}, c: &clock{t: t0}}
	h.n = New(Options{Sender: h.s, Path: path, Cap: limit, Now: h.c.now, Open: func() { h.opened++ }})
	return h
}

func TestWhatInterrupts(t *testing.T) {
	seen := item("seen", "warning")
	seen.Seen = t0
	cases := []struct {
		name    string
		items   []localapi.NoticeItem
		popped  []string
		urgency []byte
		opened  bool
	}{
		{"info waits in the list", []localapi.NoticeItem{item("i", "info")}, nil, nil, false},
		{"warning pops", []localapi.NoticeItem{item("w", "warning")}, []string{"w"}, []byte{UrgencyNormal}, false},
		{"critical pops and opens", []localapi.NoticeItem{item("c", "critical")}, []string{"c"}, []byte{UrgencyCritical}, true},
		{"critical first", []localapi.NoticeItem{item("w", "warning"), item("c", "critical")}, []string{"c", "w"}, []byte{2, 1}, true},
		{"seen elsewhere does not pop", []localapi.NoticeItem{seen}, nil, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, "", 0)
			out := h.n.Consider(context.Background(), view(c.items...))
			if !slices.Equal(out.Popped, c.popped) {
				t.Errorf("popped %q, want %q", out.Popped, c.popped)
			}
			var urg []byte
			for _, m := range h.s.sent {
				urg = append(urg, m.Urgency)
			}
			if !slices.Equal(urg, c.urgency) {
				t.Errorf("urgencies %v, want %v", urg, c.urgency)
			}
			if (h.opened > 0) != c.opened || out.Opened != c.opened {
				t.Errorf("opened %d (%v), want %v", h.opened, out.Opened, c.opened)
			}
			if len(out.New) != len(c.items) {
				t.Errorf("new %q, want all %d", out.New, len(c.items))
			}
		})
	}
}

func TestNothingTwiceEvenAfterARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "notified.json")
	h := newHarness(t, path, 0)
	h.n.Consider(context.Background(), view(item("a", "warning")))
	h.n.Consider(context.Background(), view(item("a", "warning"), item("b", "warning")))
	if got := len(h.s.sent); got != 2 {
		t.Fatalf("%d popups, want 2 (a once, b once)", got)
	}

	again := newHarness(t, path, 0)
	out := again.n.Consider(context.Background(), view(item("a", "warning"), item("b", "critical"), item("c", "warning")))
	if !slices.Equal(out.Popped, []string{"c"}) || again.opened != 0 {
		t.Errorf("after a restart popped %q opened %d, want only c", out.Popped, again.opened)
	}
}

func TestCapPerHour(t *testing.T) {
	h := newHarness(t, filepath.Join(t.TempDir(), "n.json"), 2)
	ctx := context.Background()
	out := h.n.Consider(ctx, view(item("1", "warning"), item("2", "warning"), item("3", "warning")))
	if !slices.Equal(out.Popped, []string{"1", "2"}) || !slices.Equal(out.Capped, []string{"3"}) {
		t.Fatalf("popped %q capped %q", out.Popped, out.Capped)
	}
	h.c.t = t0.Add(59 * time.Minute)
	out = h.n.Consider(ctx, view(item("crit", "critical")))
	if len(out.Popped) != 0 || !out.Opened || h.opened != 1 {
		t.Errorf("capped critical: popped %q opened %v; want no popup but the window", out.Popped, out.Opened)
	}
	h.c.t = t0.Add(61 * time.Minute)
	out = h.n.Consider(ctx, view(item("4", "warning")))
	if !slices.Equal(out.Popped, []string{"4"}) {
		t.Errorf("an hour later popped %q, want 4", out.Popped)
	}
	// The cap survives a restart too.
	again := New(Options{Sender: h.s, Path: h.n.opts.Path, Cap: 2, Now: h.c.now})
	out = again.Consider(ctx, view(item("5", "warning"), item("6", "warning")))
	if !slices.Equal(out.Popped, []string{"5"}) {
		t.Errorf("after a restart popped %q, want only 5 (one slot left)", out.Popped)
	}
}

func TestNegativeCapNeverPops(t *testing.T) {
	h := newHarness(t, "", -1)
	out := h.n.Consider(context.Background(), view(item("c", "critical")))
	if len(h.s.sent) != 0 || !out.Opened {
		t.Errorf("sent %d, opened %v", len(h.s.sent), out.Opened)
	}
}

func TestSendFailureIsNotRetried(t *testing.T) {
	h := newHarness(t, "", 0)
	h.s.err = errors.New("no notification service")
	h.n.Consider(context.Background(), view(item("w", "warning")))
	h.s.err = nil
	h.n.Consider(context.Background(), view(item("w", "warning")))
	if len(h.s.sent) != 0 {
		t.Errorf("retried: %+v", h.s.sent)
	}
}

func TestMessage(t *testing.T) {
	it := item("x", "warning")
	it.Body = strings.Repeat("é", 250)
	m := message(it)
	if m.Summary != "Title x" || len([]rune(m.Body)) != bodyLimit || !strings.HasSuffix(m.Body, "…") {
		t.Errorf("message %q / %d runes", m.Summary, len([]rune(m.Body)))
	}
	it.Body = "short"
	if message(it).Body != "short" {
		t.Errorf("short body changed")
	}
}

func TestBrokenStateFileStartsAfresh(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.json")
	if err := writeFile(path, memory{}); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, path, 0)
	if out := h.n.Consider(context.Background(), view(item("w", "warning"))); len(out.Popped) != 1 {
		t.Errorf("popped %q", out.Popped)
	}
}

func TestForgetsTheOldestIDs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.json")
	h := newHarness(t, path, -1)
	for i := range keepNotified + 10 {
		h.c.t = t0.Add(time.Duration(i) * time.Second)
		h.n.Consider(context.Background(), view(item(strings.Repeat("x", 1)+string(rune('A'+i%26))+time.Duration(i).String(), "info")))
	}
	again := New(Options{Sender: h.s, Path: path})
	again.load()
	if len(again.st.Notified) != keepNotified {
		t.Errorf("kept %d IDs, want %d", len(again.st.Notified), keepNotified)
	}
}

func TestITsCapWinsOverTheAppsDefault(t *testing.T) {
	h := newHarness(t, "", 0) // the app's default, 3
	one, none := 1, 0
	v := view(item("a", "warning"), item("b", "warning"))
	v.PopupsPerHour = &one
	if out := h.n.Consider(context.Background(), v); !slices.Equal(out.Popped, []string{"a"}) || !slices.Equal(out.Capped, []string{"b"}) {
		t.Errorf("IT's cap of 1: popped %q capped %q", out.Popped, out.Capped)
	}
	v = view(item("c", "critical"))
	v.PopupsPerHour = &none
	h.c.t = t0.Add(2 * time.Hour)
	if out := h.n.Consider(context.Background(), v); len(out.Popped) != 0 || !out.Opened {
		t.Errorf("IT's cap of 0: popped %q opened %v; want no popup but the window", out.Popped, out.Opened)
	}
}
