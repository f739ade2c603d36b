package notices

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
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
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

// feedServer serves one feed and its signature with an ETag, counting
// requests; the test swaps what it serves.
type feedServer struct {
	*httptest.Server
	mu        sync.Mutex
	feed, sig []byte
	requests  int
}

func newFeedServer(t *testing.T) *feedServer {
	fs := &feedServer{}
	fs.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		defer fs.mu.Unlock()
		fs.requests++
		body := fs.feed
		if strings.HasSuffix(r.URL.Path, ".minisig") {
			body = fs.sig
		}
		etag := `"` + string(rune('a'+len(body)%26)) + string(rune('a'+int(body[len(body)/2])%26)) + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(body)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) count() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.requests
}

func (fs *feedServer) serve(feed, sig []byte) {
	fs.mu.Lock()
	fs.feed, fs.sig = feed, sig
	fs.mu.Unlock()
}

func newKey(t *testing.T) minisign.PrivateKey {
	k, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func signed(t *testing.T, k minisign.PrivateKey, seq uint64, ns ...core.Notice) (data, sig []byte) {
	t.Helper()
	data, err := json.Marshal(core.Feed{Version: core.FeedVersion, Sequence: seq, Published: t0, Notices: ns})
	if err != nil {
		t.Fatal(err)
	}
	sig, err = minisign.Sign(k, data, minisign.SignOptions{TrustedComment: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return data, sig
}

func notice(id string, sev core.Severity) core.Notice {
	return core.Notice{ID: id, Severity: sev, Title: "Notice " + id, Created: t0}
}

// syncBuffer is a log sink the test can read while the service writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.b.String() }

type zeroSource struct{}

func (zeroSource) Uint64() uint64 { return 0 }

type fixture struct {
	svc   *Service
	clock *clock
	logs  *syncBuffer
	hub   *events.Hub
	state string
	drop  string
}

func newService(t *testing.T, k minisign.PrivateKey, feedURL string, client *http.Client, state, drop string) *fixture {
	t.Helper()
	f := &fixture{clock: &clock{now: t0}, logs: &syncBuffer{}, hub: events.NewHub(localapi.State{}), state: state, drop: drop}
	cfg := config.Defaults().Notices
	cfg.FeedURL = feedURL
	cfg.Keys = []string{k.Public().String()}
	cfg.AllowedLinkHosts = []string{"status.example.com"}
	svc, err := New(Options{
		Config: cfg, StateDir: state, DropDir: drop, Hub: f.hub, Client: client,
		Machine:     core.Machine{OS: "linux", Hostname: "lab-01.example.com"},
		MinCheckNow: time.Millisecond, Rand: mrand.New(zeroSource{}),
		Logger: slog.New(slog.NewTextHandler(f.logs, nil)), Now: f.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	return f
}

// run starts the service's loops until the test ends.
func (f *fixture) run(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); f.svc.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

// pollAndWait sets the clock to at and waits for the poll stamped at:
// the first one (run's own, with no jitter) or one asked for by CheckNow,
// sent once so that no second poll follows.
func (f *fixture) pollAndWait(t *testing.T, at time.Time, ask bool) localapi.NoticeStatus {
	t.Helper()
	f.clock.Set(at)
	if ask {
		f.svc.CheckNow()
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if st := f.svc.Status(); st.LastPoll.Equal(at) {
			return st
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("no poll happened")
	return localapi.NoticeStatus{}
}

func TestFeedAcceptNotModifiedTamperedRollback(t *testing.T) {
	k := newKey(t)
	srv := newFeedServer(t)
	srv.serve(signed(t, k, 2, notice("mail-down", core.SeverityCritical)))
	f := newService(t, k, srv.URL+"/feed.json", srv.Client(), t.TempDir(), filepath.Join(t.TempDir(), "none"))
	f.run(t)

	st := f.pollAndWait(t, t0, false)
	if st.LastOutcome != "changed" || st.Sequence != 2 || st.Active != 1 {
		t.Fatalf("first poll: %+v", st)
	}
	v, err := f.svc.View("1000")
	if err != nil || len(v.Items) != 1 || v.Items[0].ID != "mail-down" || v.Unread != 1 || v.Critical != 1 {
		t.Fatalf("view = %+v, %v", v, err)
	}
	if _, hs, _ := f.hub.Snapshot(); hs.Notices.Unread == 0 {
		t.Error("the hub was not told of the new feed")
	}

	// 304: nothing changes, and it took exactly one request.
	before := srv.count()
	st = f.pollAndWait(t, t0.Add(time.Minute), true)
	if st.LastOutcome != "not modified" {
		t.Errorf("second poll outcome %q, want not modified", st.LastOutcome)
	}
	if n := srv.count() - before; n != 1 {
		t.Errorf("a 304 poll made %d requests, want 1", n)
	}

	// Tampered: refused, logged with its reason, last good state kept.
	data, sig := signed(t, k, 3, notice("phish", core.SeverityInfo))
	srv.serve(bytes.Replace(data, []byte("Notice phish"), []byte("Click here!!"), 1), sig)
	st = f.pollAndWait(t, t0.Add(2*time.Minute), true)
	if st.LastOutcome != "failed" || !strings.Contains(st.LastError, "bad signature") || st.Sequence != 2 {
		t.Errorf("tampered feed: %+v", st)
	}
	if !strings.Contains(f.logs.String(), "reason=\"bad signature\"") {
		t.Errorf("no log line with the reason:\n%s", f.logs.String())
	}
	if v, _ := f.svc.View("1000"); len(v.Items) != 1 || v.Items[0].ID != "mail-down" {
		t.Errorf("last good state not kept: %+v", v.Items)
	}

	// Rollback: a validly signed older feed is refused.
	srv.serve(signed(t, k, 1, notice("old", core.SeverityInfo)))
	st = f.pollAndWait(t, t0.Add(3*time.Minute), true)
	if !strings.Contains(st.LastError, "rollback") || st.Sequence != 2 {
		t.Errorf("rollback: %+v", st)
	}
}

func writeDrop(t *testing.T, dir, name string, data, sig []byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for n, b := range map[string][]byte{name: data, name + ".minisig": sig} {
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDropFolderExpiryAndStateSurvivesReopen(t *testing.T) {
	k := newKey(t)
	drop := filepath.Join(t.TempDir(), "notices.d")
	n := notice("vpn", core.SeverityWarning)
	n.RequireAck = true
	n.Expires = t0.Add(time.Hour)
	n.Links = []core.Link{{Title: "Status", URL: "https://status.example.com/vpn"}, {Title: "Other", URL: "https://evil.example.net/"}}
	data, sig := signed(t, k, 1, n)
	writeDrop(t, drop, "vpn.json", data, sig)
	bad, _ := signed(t, k, 1, notice("forged", core.SeverityInfo))
	writeDrop(t, drop, "forged.json", bad, sig)
	state := t.TempDir()

	f := newService(t, k, "", nil, state, drop)
	v, err := f.svc.View("1000")
	if err != nil || len(v.Items) != 1 || v.Items[0].ID != "vpn" {
		t.Fatalf("drop notice not shown: %+v, %v", v, err)
	}
	if l := v.Items[0].Links; len(l) != 2 || !l[0].Clickable || l[1].Clickable {
		t.Errorf("links = %+v, want only the allow-listed one clickable", l)
	}
	st := f.svc.Status()
	if len(st.DropFiles) != 2 || st.DropFiles[0].Error == "" || st.DropFiles[1].Error != "" {
		t.Errorf("drop files status: %+v", st.DropFiles)
	}

	// Dismissing before acknowledging is refused; ack then dismiss works.
	if _, err := f.svc.Act("1000", "vpn", core.ActionDismiss); !errors.Is(err, core.ErrActionRefused) {
		t.Errorf("dismiss before ack: %v", err)
	}
	if _, err := f.svc.Act("1000", "vpn", core.ActionMeToo); !errors.Is(err, core.ErrActionRefused) {
		t.Errorf("me too on a non-incident: %v", err)
	}
	if _, err := f.svc.Act("1000", "nope", core.ActionSeen); !errors.Is(err, ErrNoSuchNotice) {
		t.Errorf("unknown notice: %v", err)
	}
	if v, err = f.svc.Act("1000", "vpn", core.ActionAck); err != nil || v.Unread != 0 || v.Items[0].Acked.IsZero() {
		t.Fatalf("ack: %+v, %v", v, err)
	}
	// Another user's view is theirs.
	if v, _ := f.svc.View("1001"); v.Unread != 1 || !v.Items[0].Acked.IsZero() {
		t.Errorf("user 1001 sees 1000's state: %+v", v)
	}

	// A restart keeps the state.
	g := newService(t, k, "", nil, state, drop)
	if v, _ := g.svc.View("1000"); len(v.Items) != 1 || v.Items[0].Acked.IsZero() {
		t.Errorf("state lost on reopen: %+v", v)
	}

	// Expiry: the notice leaves the view, and the hub is told on the next
	// drop read.
	seq, _, _ := g.hub.Snapshot()
	g.clock.Set(t0.Add(time.Hour))
	g.svc.readDrop()
	if v, _ := g.svc.View("1000"); len(v.Items) != 0 {
		t.Errorf("expired notice still shown: %+v", v.Items)
	}
	if s2, _, _ := g.hub.Snapshot(); s2 == seq {
		t.Error("expiry did not wake the watchers")
	}
}

func TestFeedStateSurvivesRestart(t *testing.T) {
	k := newKey(t)
	srv := newFeedServer(t)
	srv.serve(signed(t, k, 5, notice("a", core.SeverityInfo)))
	state := t.TempDir()
	f := newService(t, k, srv.URL+"/feed.json", srv.Client(), state, filepath.Join(t.TempDir(), "none"))
	f.run(t)
	f.pollAndWait(t, t0, false)

	g := newService(t, k, srv.URL+"/feed.json", srv.Client(), state, filepath.Join(t.TempDir(), "none"))
	if st := g.svc.Status(); st.Sequence != 5 || st.Active != 1 {
		t.Errorf("after restart: %+v", st)
	}
}
