package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/report/delivery/webhook"
	"github.com/firstline-it/firstline/internal/sysinfo"
)

const testSecret = "s3cret-for-the-hmac-0123"

// logBuffer collects log lines for assertions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// receiver is a webhook receiver as IT would write one: it verifies the
// signature over the raw body and counts deliveries by key. Its mode
// says how it answers: up (200 with a ticket id), an HTTP status, or
// down (its port refuses connections).
type receiver struct {
	t      testing.TB
	addr   string
	secret []byte

	mu       sync.Mutex
	srv      *http.Server
	status   int  // 0: accept
	lean     bool // count deliveries only, keep no payloads (benchmarks)
	n        int  // deliveries accepted
	got      []received
	byKey    map[string]int
	refused  int // requests answered with status
	badSig   int
	mismatch int // Idempotency-Key differing from the body's key
	served   sync.WaitGroup
}

// received is one accepted delivery.
type received struct {
	Key     string
	Payload webhook.Payload
	At      time.Time
}

func newReceiver(t testing.TB) *receiver {
	t.Helper()
	r := &receiver{t: t, secret: []byte(testSecret), byKey: map[string]int{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	r.serve(ln)
	t.Cleanup(r.down)
	return r
}

func (r *receiver) URL() string { return "http://" + r.addr + "/hook" }

func (r *receiver) serve(ln net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(r.handle)}
	r.mu.Lock()
	r.srv = srv
	r.mu.Unlock()
	r.served.Go(func() { _ = srv.Serve(ln) })
}

// down closes the port: connections are refused until up.
func (r *receiver) down() {
	r.mu.Lock()
	srv := r.srv
	r.srv = nil
	r.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
		r.served.Wait()
	}
}

// up opens the port again (the same one) and accepts deliveries.
func (r *receiver) up() {
	r.setStatus(0)
	r.mu.Lock()
	running := r.srv != nil
	r.mu.Unlock()
	if running {
		return
	}
	var ln net.Listener
	var err error
	for range 50 { // the old socket may linger for a moment
		if ln, err = net.Listen("tcp", r.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		r.t.Fatalf("reopening the receiver on %s: %v", r.addr, err)
	}
	r.serve(ln)
}

func (r *receiver) setStatus(code int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status = code
}

func (r *receiver) handle(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := webhook.Verify(r.secret, req.Header.Get(webhook.HeaderTimestamp), req.Header.Get(webhook.HeaderSignature), body, time.Now(), 0); err != nil {
		r.badSig++
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if r.status != 0 {
		r.refused++
		http.Error(w, "not now", r.status)
		return
	}
	var p webhook.Payload
	if err := json.Unmarshal(body, &p); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if p.Key != req.Header.Get(webhook.HeaderKey) {
		r.mismatch++
	}
	r.n++
	if !r.lean {
		r.byKey[p.Key]++
		r.got = append(r.got, received{Key: req.Header.Get(webhook.HeaderKey), Payload: p, At: time.Now()})
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"ticket_id": %d, "status": "new"}`, r.n)
}

// deliveries returns what was accepted, in arrival order.
func (r *receiver) deliveries() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

func (r *receiver) accepted() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

func (r *receiver) counts() (refused, badSig, mismatch int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refused, r.badSig, r.mismatch
}

// webhookBackend is a real webhook backend posting to r.
func webhookBackend(t testing.TB, r *receiver, name string) delivery.Backend {
	t.Helper()
	b, err := webhook.New(webhook.Config{URL: config.NewSecret(r.URL()), Secret: config.NewSecret(testSecret)},
		webhook.Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fakeBackend answers from a script: the i-th call returns script[i]
// (nil: accepted), and calls past the script return after (nil: accepted).
type fakeBackend struct {
	name string

	mu     sync.Mutex
	script []error
	after  error
	keys   []string
	status map[string]string // ticket id -> status, for StatusReader
	asked  int
}

func (f *fakeBackend) Name() string { return f.name }

func (f *fakeBackend) Deliver(ctx context.Context, m delivery.Message) (delivery.Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(f.keys)
	f.keys = append(f.keys, m.Key)
	err := f.after
	if n < len(f.script) {
		err = f.script[n]
	}
	if err != nil {
		return delivery.Receipt{}, err
	}
	return delivery.Receipt{TicketID: fmt.Sprintf("%s-%d", f.name, n+1), Status: "new"}, nil
}

func (f *fakeBackend) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.keys...)
}

func (f *fakeBackend) setAfter(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.after = err
}

// statusBackend is a fakeBackend that can read statuses back.
type statusBackend struct{ *fakeBackend }

func (s statusBackend) Status(_ context.Context, ticketID string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked++
	st, ok := s.status[ticketID]
	if !ok {
		return "", errors.New("no such ticket")
	}
	return st, nil
}

// harness runs a pipeline in a temporary folder.
type harness struct {
	p    *Pipeline
	dir  string
	logs *logBuffer
	stop func()
}

// fastBackoff keeps retry tests short.
func fastBackoff() delivery.Backoff {
	return delivery.Backoff{Base: 40 * time.Millisecond, Max: 160 * time.Millisecond, Jitter: 0.5}
}

// openPipeline opens a pipeline on dir (a fresh folder when empty)
// without running it.
func openPipeline(t testing.TB, dir string, opts Options) *harness {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	logs := &logBuffer{}
	opts.Dir = dir
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if opts.Backoff == (delivery.Backoff{}) {
		opts.Backoff = fastBackoff()
	}
	if opts.Hostname == "" {
		opts.Hostname = "TESTHOST"
	}
	p, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{p: p, dir: dir, logs: logs, stop: func() {}}
	t.Cleanup(func() { h.close(t) })
	return h
}

// run starts the delivery loop; stop (or the test's end) ends it.
func (h *harness) run(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.p.Run(ctx) }()
	h.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		h.stop = func() {}
	}
}

func (h *harness) close(t testing.TB) {
	h.stop()
	if err := h.p.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// submission returns a valid submission numbered n.
func submission(n int, withSnapshot bool) report.Submission {
	created := time.Now().Add(-time.Minute).Add(time.Duration(n) * time.Millisecond)
	s := report.Submission{
		Key:       report.NewKey(created),
		CreatedAt: created,
		Text:      fmt.Sprintf("Report %d: the printer on floor 3 is offline\nsince this morning", n),
		Category:  "printing",
		Severity:  report.SeverityBlocked,
		Callback:  report.Callback{Method: report.CallbackPhone, Number: "+44 20 7946 0000", When: "after 2pm"},
		Attachments: []report.Attachment{
			{Name: "screen-1.png", Kind: report.KindScreenshot, Data: []byte("\x89PNG\r\n\x1a\n" + strings.Repeat("x", n))},
		},
	}
	if withSnapshot {
		snap := sysinfo.Snapshot{Schema: sysinfo.SchemaVersion, TakenAt: created,
			Host: &sysinfo.Host{Hostname: "LAPTOP-42", OS: "Debian GNU/Linux 12 (bookworm)", User: "jdoe"}}
		s.Snapshot, _ = json.Marshal(snap)
	}
	return s
}

func identity(uid string) localapi.Identity {
	return localapi.Identity{UID: uid, GID: uid, Username: "user" + uid, PID: 4242}
}

// submit stores s as uid and fails the test on error.
func (h *harness) submit(t testing.TB, uid string, s report.Submission) report.Record {
	t.Helper()
	res, err := h.p.Submit(context.Background(), identity(uid), s)
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	return res.Record
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// archived reports whether every key's record is archived.
func (h *harness) archived(keys ...report.Key) bool {
	for _, k := range keys {
		rec, err := h.p.Get(k)
		if err != nil || rec.ArchivedAt.IsZero() {
			return false
		}
	}
	return true
}

func (h *harness) get(t testing.TB, key report.Key) report.Record {
	t.Helper()
	rec, err := h.p.Get(key)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}
