package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/localapi/transport"
	"github.com/firstline-it/firstline/service/events"
)

// logBuffer collects the server's log lines for assertions.
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

type harness struct {
	srv  *Server
	sock string
	logs *logBuffer
	done chan error
}

// start runs a server on a fresh socket and stops it when the test ends.
func start(t testing.TB, opts Options) *harness {
	t.Helper()
	dir, err := os.MkdirTemp("", "fl-api-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return startAt(t, filepath.Join(dir, "run", "local.sock"), opts)
}

func startAt(t testing.TB, sock string, opts Options) *harness {
	t.Helper()
	logs := &logBuffer{}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if opts.Version == "" {
		opts.Version = "test"
	}
	ln, err := transport.Listen(sock)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{srv: New(opts), sock: sock, logs: logs, done: make(chan error, 1)}
	go func() { h.done <- h.srv.Serve(ln) }()
	t.Cleanup(func() { h.stop(t) })
	return h
}

func (h *harness) stop(t testing.TB) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.srv.Shutdown(ctx); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if err := <-h.done; err != nil {
		t.Errorf("serve: %v", err)
	}
	h.done <- nil // a second stop (cleanup after an explicit stop) returns at once
}

// raw sends bytes on a fresh connection and returns the whole reply.
func (h *harness) raw(t *testing.T, req string) string {
	t.Helper()
	c, err := net.Dial("unix", h.sock)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(c)
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatalf("reading reply: %v", err)
	}
	return string(out)
}

func TestStatusReportsCallerFromKernel(t *testing.T) {
	h := start(t, Options{Version: "1.2.3", Support: localapi.Support{Organization: "Acme IT"}})
	st, err := localapi.NewClient(h.sock).Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := strconv.Itoa(os.Getuid()); st.Caller.UID != want {
		t.Errorf("caller uid = %q, want %q", st.Caller.UID, want)
	}
	if st.Caller.PID != os.Getpid() {
		t.Errorf("caller pid = %d, want %d", st.Caller.PID, os.Getpid())
	}
	if st.Version != "1.2.3" || st.Support.Organization != "Acme IT" || !st.Has(localapi.CapWatch) {
		t.Errorf("status = %+v", st)
	}
}

func TestSocketPermissions(t *testing.T) {
	h := start(t, Options{})
	fi, err := os.Stat(h.sock)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o666 {
		t.Errorf("socket mode = %v, want socket 0666", fi.Mode())
	}
	di, err := os.Stat(filepath.Dir(h.sock))
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o755 {
		t.Errorf("socket folder mode = %v, want 0755", di.Mode().Perm())
	}
}

func TestHostileRequestsAreRefused(t *testing.T) {
	h := start(t, Options{MaxBodyBytes: 1024})
	okHead := "Host: " + localapi.Host + "\r\nConnection: close\r\n"
	cases := []struct {
		name, req  string
		wantStatus int
		wantCode   localapi.Code
	}{
		{"origin header", "GET /v1/status HTTP/1.1\r\n" + okHead + "Origin: https://evil.example\r\n\r\n", 403, localapi.CodeBrowserRefused},
		{"referer header", "GET /v1/status HTTP/1.1\r\n" + okHead + "Referer: https://evil.example/x\r\n\r\n", 403, localapi.CodeBrowserRefused},
		{"wrong host", "GET /v1/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 403, localapi.CodeBadHost},
		{"oversize body", "POST /v1/status HTTP/1.1\r\n" + okHead + "Content-Length: 2048\r\n\r\n" + strings.Repeat("x", 2048), 413, localapi.CodeBodyTooLarge},
		{"unknown path", "GET /v1/nope HTTP/1.1\r\n" + okHead + "\r\n", 404, localapi.CodeNotFound},
		{"wrong method", "DELETE /v1/status HTTP/1.1\r\n" + okHead + "\r\n", 405, localapi.CodeMethodNotAllowed},
		{"path traversal", "GET /v1/../etc/shadow HTTP/1.1\r\n" + okHead + "\r\n", 404, localapi.CodeNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(h.raw(t, tc.req))), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var env localapi.ErrorBody
			if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
				t.Fatalf("error body is not JSON: %v", err)
			}
			if resp.StatusCode != tc.wantStatus || env.Error == nil || env.Error.Code != tc.wantCode {
				t.Fatalf("got %d %+v, want %d %s", resp.StatusCode, env.Error, tc.wantStatus, tc.wantCode)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("content type %q", ct)
			}
		})
	}
	logs := h.logs.String()
	for _, code := range []string{"browser_refused", "bad_host", "body_too_large"} {
		if !strings.Contains(logs, "refused LocalAPI request") || !strings.Contains(logs, "code="+code) {
			t.Errorf("refusal %s not logged:\n%s", code, logs)
		}
	}
	if strings.Contains(logs, "uid=") == false {
		t.Errorf("refusals logged without the caller's uid:\n%s", logs)
	}
}

func TestGarbageRequestLineIsRefusedAndLogged(t *testing.T) {
	h := start(t, Options{})
	reply := h.raw(t, "\x16\x03\x01 this is not http\r\n\r\n")
	if !strings.HasPrefix(reply, "HTTP/1.1 400 ") {
		t.Fatalf("reply = %q, want a 400", reply)
	}
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(h.logs.String(), "refused malformed LocalAPI request") {
		if time.Now().After(deadline) {
			t.Fatalf("malformed request not logged:\n%s", h.logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Nothing else happened: the service still answers normally.
	if _, err := localapi.NewClient(h.sock).Status(context.Background()); err != nil {
		t.Fatalf("service broken after garbage: %v", err)
	}
}

func TestConnectionLimit(t *testing.T) {
	h := start(t, Options{MaxConnections: 2})
	for range 2 {
		c, err := net.Dial("unix", h.sock)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	// The two idle connections hold both slots once accepted.
	deadline := time.Now().Add(2 * time.Second)
	for {
		reply := h.raw(t, "GET /v1/status HTTP/1.1\r\nHost: "+localapi.Host+"\r\nConnection: close\r\n\r\n")
		if strings.HasPrefix(reply, "HTTP/1.1 503 ") {
			if !strings.Contains(reply, `"too_many_connections"`) {
				t.Fatalf("503 without the JSON code: %q", reply)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("third connection was served: %q", reply)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestConnectionSlotsAreReleased(t *testing.T) {
	h := start(t, Options{MaxConnections: 1})
	c := localapi.NewClient(h.sock)
	for i := range 20 {
		// The server frees a slot when it sees the close, a moment after the
		// client drops it; a leaked slot would refuse forever.
		deadline := time.Now().Add(2 * time.Second)
		for {
			_, err := c.Status(context.Background())
			if err == nil {
				break
			}
			if !localapi.IsCode(err, localapi.CodeTooManyConnections) || time.Now().After(deadline) {
				t.Fatalf("request %d: %v", i, err)
			}
			time.Sleep(5 * time.Millisecond)
		}
		c.Close() // drop the kept-alive connection so the next one needs the slot
	}
}

func TestWatchDeliversChangesQuickly(t *testing.T) {
	hub := events.NewHub(localapi.State{ServiceVersion: "v"})
	h := start(t, Options{Hub: hub})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan localapi.Event, 16)
	go func() {
		_ = localapi.NewClient(h.sock).Watch(ctx, func(ev localapi.Event) error {
			got <- ev
			return nil
		})
	}()
	first := <-got
	if first.Type != localapi.EventState || first.State == nil || first.State.ServiceVersion != "v" {
		t.Fatalf("first event = %+v", first)
	}
	changed := time.Now()
	hub.Update(func(s *localapi.State) { s.Notices.Unread = 3 })
	select {
	case ev := <-got:
		if ev.State == nil || ev.State.Notices.Unread != 3 || ev.Seq <= first.Seq {
			t.Fatalf("change event = %+v", ev)
		}
		if d := time.Since(changed); d > 100*time.Millisecond {
			t.Fatalf("change delivered after %v, want within 100 ms", d)
		}
	case <-time.After(100 * time.Millisecond):
		t.Fatal("no event within 100 ms of the change")
	}
}

func TestWatchKeepAlive(t *testing.T) {
	h := start(t, Options{KeepAlive: 30 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var types []localapi.EventType
	err := localapi.NewClient(h.sock).Watch(ctx, func(ev localapi.Event) error {
		types = append(types, ev.Type)
		if len(types) == 3 {
			return errors.New("enough")
		}
		return nil
	})
	if err == nil || err.Error() != "enough" {
		t.Fatalf("watch ended with %v", err)
	}
	want := []localapi.EventType{localapi.EventState, localapi.EventKeepAlive, localapi.EventKeepAlive}
	for i := range want {
		if types[i] != want[i] {
			t.Fatalf("events = %v, want %v", types, want)
		}
	}
}

func TestFollowSurvivesServiceRestart(t *testing.T) {
	h := start(t, Options{Version: "first"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	evs := make(chan string, 16)
	conns := make(chan localapi.Connection, 16)
	followed := make(chan struct{})
	go func() {
		defer close(followed)
		localapi.NewClient(h.sock).Follow(ctx, localapi.FollowOptions{
			MinBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
			OnConnection: func(c localapi.Connection) { conns <- c },
		}, func(ev localapi.Event) {
			if ev.State != nil {
				evs <- ev.State.ServiceVersion
			}
		})
	}()
	expect := func(want string) {
		t.Helper()
		select {
		case v := <-evs:
			if v != want {
				t.Fatalf("state from service %q, want %q", v, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no state from service %q", want)
		}
	}
	expect("first")
	h.stop(t)
	for c := range conns {
		if !c.Connected {
			if !errors.Is(c.Err, localapi.ErrUnreachable) {
				t.Errorf("disconnect error %v is not ErrUnreachable", c.Err)
			}
			break
		}
	}
	startAt(t, h.sock, Options{Version: "second"})
	expect("second")
	cancel()
	<-followed
}

func TestShutdownEndsWatchStreamsPromptly(t *testing.T) {
	h := start(t, Options{})
	watching := make(chan struct{})
	ended := make(chan error, 1)
	go func() {
		ended <- localapi.NewClient(h.sock).Watch(context.Background(), func(localapi.Event) error {
			close(watching)
			return nil
		})
	}()
	<-watching
	start := time.Now()
	h.stop(t)
	if d := time.Since(start); d > time.Second {
		t.Errorf("shutdown with an open watch took %v", d)
	}
	select {
	case err := <-ended:
		if !errors.Is(err, localapi.ErrUnreachable) {
			t.Errorf("watch ended with %v, want ErrUnreachable", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("watch stream still open after shutdown")
	}
}

func TestListenRefusesLiveSocketAndReplacesStale(t *testing.T) {
	h := start(t, Options{})
	if _, err := transport.Listen(h.sock); err == nil || !strings.Contains(err.Error(), "already listening") {
		t.Fatalf("second Listen on a live socket: %v", err)
	}

	stale := filepath.Join(t.TempDir(), "stale.sock")
	ln, err := net.Listen("unix", stale)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close() // leaves the file behind, as a crash would
	ln2, err := transport.Listen(stale)
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	ln2.Close()

	notSock := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notSock, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := transport.Listen(notSock); err == nil {
		t.Fatal("Listen replaced a regular file")
	}
	if b, _ := os.ReadFile(notSock); string(b) != "keep me" {
		t.Fatal("regular file was modified")
	}
}

func TestListenRefusesUnsafeFolders(t *testing.T) {
	open := t.TempDir()
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := transport.Listen(filepath.Join(open, "s.sock")); err == nil || !strings.Contains(err.Error(), "can be written by others") {
		t.Errorf("world-writable folder: %v", err)
	}
	real := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if _, err := transport.Listen(filepath.Join(link, "s.sock")); err == nil || !strings.Contains(err.Error(), "not a plain folder") {
		t.Errorf("symlinked folder: %v", err)
	}
}

// TestShutdownLetsInFlightRequestsFinish: a request under way when the stop
// comes is answered; one that outlasts the bound is cut.
func TestShutdownLetsInFlightRequestsFinish(t *testing.T) {
	h := start(t, Options{})
	entered := make(chan struct{}, 2)
	h.srv.routes["/v1/slow"] = methods{http.MethodGet: route{method: http.MethodGet, access: anyUser,
		handle: func(w http.ResponseWriter, r *http.Request, _ localapi.Identity) {
			entered <- struct{}{}
			d, _ := time.ParseDuration(r.URL.Query().Get("d"))
			select {
			case <-time.After(d):
				writeJSON(w, http.StatusOK, map[string]string{"slept": d.String()})
			case <-r.Context().Done():
			}
		}}}
	get := func(d string) chan string {
		out := make(chan string, 1)
		go func() {
			out <- h.raw(t, "GET /v1/slow?d="+d+" HTTP/1.1\r\nHost: "+localapi.Host+"\r\nConnection: close\r\n\r\n")
		}()
		<-entered
		return out
	}
	short, long := get("300ms"), get("10s")

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	t0 := time.Now()
	err := h.srv.Shutdown(ctx)
	took := time.Since(t0)
	if reply := <-short; !strings.HasPrefix(reply, "HTTP/1.1 200 ") || !strings.Contains(reply, "300ms") {
		t.Errorf("in-flight request was not finished: %q", reply)
	}
	if err == nil || took < 900*time.Millisecond || took > 3*time.Second {
		t.Errorf("shutdown with a request outlasting the bound: err %v after %v, want an error after ~1 s", err, took)
	}
	if reply := <-long; strings.Contains(reply, "10s") {
		t.Errorf("request beyond the bound was answered: %q", reply)
	}
}

// TestRefusalsCannotFloodTheLog: pipelined refused requests end at the
// first (the connection closes), methods are capped in the log, and a user
// who keeps reconnecting is throttled.
func TestRefusalsCannotFloodTheLog(t *testing.T) {
	h := start(t, Options{})
	req := strings.Repeat("A", 15000) + " /v1/status HTTP/1.1\r\nHost: " + localapi.Host + "\r\n\r\n"
	c, err := net.Dial("unix", h.sock)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	go io.WriteString(c, strings.Repeat(req, 50)) // fails with EPIPE once the server hangs up
	out, _ := io.ReadAll(c)
	c.Close()
	reply := string(out)
	if n := strings.Count(reply, "HTTP/1.1 405"); n != 1 {
		t.Errorf("%d pipelined refusals answered, want 1 (then close)", n)
	}
	for range 200 {
		h.raw(t, "GET /v1/status HTTP/1.1\r\nHost: "+localapi.Host+"\r\nOrigin: https://evil.example\r\n\r\n")
	}
	logs := h.logs.String()
	if n := strings.Count(logs, "refused LocalAPI request"); n > 25 {
		t.Errorf("%d refusal lines logged for 201 refusals, want the burst of 20 and a few", n)
	}
	if len(logs) > 20000 {
		t.Errorf("log grew to %d bytes", len(logs))
	}
}
