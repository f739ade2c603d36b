package api

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/localapi"
	core "github.com/firstline-it/firstline/internal/notices"
	"github.com/firstline-it/firstline/internal/notices/minisign"
	"github.com/firstline-it/firstline/service/events"
	"github.com/firstline-it/firstline/service/notices"
)

// startNotices runs a server with real notices: a drop folder holding a
// critical incident and an info notice, signed by a fresh key.
func startNotices(t *testing.T) (*harness, *notices.Service) {
	t.Helper()
	k, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	crit := core.Notice{ID: "mail-down", Severity: core.SeverityCritical, Title: "Email is down", Created: now, Incident: true,
		Links: []core.Link{{Title: "Status", URL: "https://status.example.com/"}, {Title: "Elsewhere", URL: "https://status.example.net/"}}}
	info := core.Notice{ID: "patch", Severity: core.SeverityInfo, Title: "Patch day", Created: now.Add(-time.Minute)}
	data, err := json.Marshal(core.Feed{Version: core.FeedVersion, Sequence: 1, Published: now, Notices: []core.Notice{crit, info}})
	if err != nil {
		t.Fatal(err)
	}
	sig, err := minisign.Sign(k, data, minisign.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	drop := filepath.Join(t.TempDir(), "notices.d")
	if err := os.Mkdir(drop, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"it.json": data, "it.json.minisig": sig} {
		if err := os.WriteFile(filepath.Join(drop, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := config.Defaults().Notices
	cfg.Keys = []string{k.Public().String()}
	cfg.AllowedLinkHosts = []string{"status.example.com"}
	hub := events.NewHub(localapi.State{ServiceVersion: "test"})
	svc, err := notices.New(notices.Options{Config: cfg, StateDir: t.TempDir(), DropDir: drop, Hub: hub})
	if err != nil {
		t.Fatal(err)
	}
	return start(t, Options{Notices: svc, Hub: hub}), svc
}

func TestNoticeRoutes(t *testing.T) {
	h, _ := startNotices(t)
	c := localapi.NewClient(h.sock)
	defer c.Close()
	ctx := context.Background()

	st, err := c.Status(ctx)
	if err != nil || !st.Has(localapi.CapNotices) {
		t.Fatalf("status %+v, %v: no notices capability", st, err)
	}
	v, err := c.Notices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Items) != 2 || v.Items[0].ID != "mail-down" || v.Unread != 2 || v.Critical != 1 {
		t.Fatalf("view = %+v", v)
	}
	if l := v.Items[0].Links; len(l) != 2 || !l[0].Clickable || l[1].Clickable {
		t.Errorf("links = %+v", l)
	}

	refusals := []struct {
		id, action string
		status     int
		msg        string
	}{
		{"mail-down", "dismiss", http.StatusBadRequest, "critical notice stays"},
		{"patch", "ack", http.StatusBadRequest, "does not ask for acknowledgement"},
		{"patch", "metoo", http.StatusBadRequest, "not an incident"},
		{"patch", "delete", http.StatusBadRequest, "action must be"},
		{"nope", "seen", http.StatusNotFound, "no such notice"},
	}
	for _, r := range refusals {
		_, err := c.NoticeAction(ctx, r.id, r.action)
		e, ok := err.(*localapi.Error)
		if !ok || e.Status != r.status || !strings.Contains(e.Message, r.msg) {
			t.Errorf("%s %s: %v, want %d %q", r.action, r.id, err, r.status, r.msg)
		}
	}

	if v, err = c.NoticeAction(ctx, "mail-down", "ack"); err != nil || v.Critical != 0 || v.Unread != 1 {
		t.Fatalf("ack: %+v, %v", v, err)
	}
	if v, err = c.NoticeAction(ctx, "mail-down", "metoo"); err != nil || v.Items[0].MeToo.IsZero() {
		t.Fatalf("me too: %+v, %v", v, err)
	}
	if v, err = c.NoticeAction(ctx, "patch", "dismiss"); err != nil || len(v.Items) != 1 || len(v.Dismissed) != 1 {
		t.Fatalf("dismiss: %+v, %v", v, err)
	}
	if err := c.CheckNotices(ctx); err != nil {
		t.Errorf("check: %v", err)
	}
	ns, err := c.NoticeStatus(ctx)
	if err != nil || !ns.Enabled || ns.Active != 2 || len(ns.DropFiles) != 1 || ns.DropFiles[0].Error != "" {
		t.Errorf("notice status = %+v, %v", ns, err)
	}
	want := []localapi.NoticeResponses{{ID: "mail-down", Seen: 1, Acked: 1, MeToo: 1}, {ID: "patch", Seen: 1, Dismissed: 1}}
	if len(ns.Responses) != 2 || ns.Responses[0] != want[0] || ns.Responses[1] != want[1] {
		t.Errorf("responses = %+v, want %+v", ns.Responses, want)
	}
}

// TestWatchCarriesCallersNoticeCounts: the watch stream sends the
// caller's own counts, and an action changes them.
func TestWatchCarriesCallersNoticeCounts(t *testing.T) {
	h, _ := startNotices(t)
	c := localapi.NewClient(h.sock)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got []localapi.NoticeSummary
	var acting sync.WaitGroup
	defer acting.Wait()
	acted := false
	_ = c.Watch(ctx, func(ev localapi.Event) error {
		if ev.State == nil {
			return nil
		}
		got = append(got, ev.State.Notices)
		if !acted {
			acted = true
			acting.Go(func() { _, _ = c.NoticeAction(ctx, "mail-down", "ack") })
			return nil
		}
		cancel()
		return nil
	})
	want := []localapi.NoticeSummary{{Unread: 2, Critical: 1}, {Unread: 1, Critical: 0}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("watch counts %+v, want %+v", got, want)
	}
}
