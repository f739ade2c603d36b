package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/service/daemon"
)

// cliResult is what one command printed and returned.
type cliResult struct {
	code           int
	stdout, stderr string
}

func runMain(args ...string) cliResult {
	var out, errOut bytes.Buffer
	code := Main(context.Background(), args, &Env{Stdout: &out, Stderr: &errOut})
	return cliResult{code: code, stdout: out.String(), stderr: errOut.String()}
}

// startDaemon runs a service in a temporary folder (its socket, state and
// inbox there) and stops it when the test ends. configure may change the
// configuration first.
func startDaemon(t *testing.T, configure func(*config.Config)) (d *daemon.Daemon, sock, stateDir string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "fl-cli-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	cfg := config.Defaults()
	cfg.Service.StateDir = filepath.Join(dir, "state")
	if configure != nil {
		configure(cfg)
	}
	sock = filepath.Join(dir, "run", "local.sock")
	d = daemon.New(daemon.Options{Config: cfg, SocketPath: sock, Version: "test"})
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Stop(context.Background()); err != nil {
			t.Errorf("stopping the daemon: %v", err)
		}
	})
	return d, sock, cfg.Service.StateDir
}

// referenceLine matches what report submit prints: a reference alone.
func referenceLine() *regexp.Regexp { return regexp.MustCompile(`^FL-[0-9A-HJKMNP-TV-Z]{5}\n$`) }

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestReportSubmitToInbox(t *testing.T) {
	d, sock, state := startDaemon(t, nil)
	dir := t.TempDir()
	logFile := filepath.Join(dir, "app.log")
	if err := os.WriteFile(logFile, []byte("ERROR: cannot reach the printer\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "screen one.png")
	if err := os.WriteFile(shot, []byte("\x89PNG\r\n\x1a\nfake"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runMain("report", "submit", "--text", "The printer on floor 3 says offline", "--category", "printing",
		"--severity", "blocked", "--attach", logFile, "--attach", shot, "--no-sysinfo", "--socket", sock)
	if r.code != 0 || !referenceLine().MatchString(r.stdout) || !strings.Contains(r.stderr, "Saved — sending to IT") {
		t.Fatalf("submit: exit %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}
	ref := strings.TrimSpace(r.stdout)

	eml := filepath.Join(state, "inbox", ref+".eml")
	waitUntil(t, "the report in the inbox", func() bool { _, err := os.Stat(eml); return err == nil })
	mail, err := os.ReadFile(eml)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Subject: [" + ref + "] printing: The printer on floor 3 says offline (root", "app.log", "screen one.png"} {
		if !strings.Contains(string(mail), want) {
			t.Errorf("inbox mail lacks %q", want)
		}
	}
	recs := d.Reports().List("0")
	if len(recs) != 1 || string(recs[0].Reference) != ref || recs[0].Owner.UID != "0" || len(recs[0].Attachments) != 2 ||
		recs[0].Attachments[0].Kind != report.KindLog || recs[0].Attachments[1].ContentType != "image/png" {
		t.Fatalf("stored %+v", recs)
	}
	waitUntil(t, "the report archived", func() bool { return !d.Reports().List("0")[0].ArchivedAt.IsZero() })

	list := runMain("spool", "list", "--socket", sock)
	if list.code != 0 || !strings.Contains(list.stdout, "REFERENCE") ||
		!regexp.MustCompile(ref+`\s+root\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+Sent\s+inbox `+ref).MatchString(list.stdout) {
		t.Errorf("spool list: exit %d\n%s%s", list.code, list.stdout, list.stderr)
	}
	js := runMain("spool", "list", "--json", "--all", "--socket", sock)
	var parsed []report.Record
	if err := json.Unmarshal([]byte(js.stdout), &parsed); err != nil || len(parsed) != 1 || parsed[0].Key != recs[0].Key {
		t.Errorf("spool list --json: %v %s", err, js.stdout)
	}
	for _, arg := range []string{ref, strings.ToLower(ref), recs[0].Key.String()} {
		show := runMain("spool", "show", "--socket", sock, arg)
		for _, want := range []string{"Reference:", ref, "Key:", recs[0].Key.String(), "Owner:", "root (uid 0)", "Severity:", "blocked",
			"Attachments:", "app.log (text/plain; charset=utf-8, log,", "State:", "Sent", "Destination inbox:", "delivered",
			"attempts:", "ticket:", "file://", "Archived:"} {
			if !strings.Contains(show.stdout, want) {
				t.Errorf("spool show %s lacks %q:\n%s", arg, want, show.stdout)
			}
		}
		if show.code != 0 {
			t.Errorf("spool show %s: exit %d %s", arg, show.code, show.stderr)
		}
	}
	retry := runMain("spool", "retry", "--socket", sock, ref)
	if retry.code != 0 || retry.stdout != ref+": queued again: Sent\n" {
		t.Errorf("spool retry of a delivered report: exit %d %q %q", retry.code, retry.stdout, retry.stderr)
	}
}

// webhookStub answers every POST with the current status.
type webhookStub struct {
	mu     sync.Mutex
	status int
	got    int
}

func (s *webhookStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.status != http.StatusOK {
		http.Error(w, "the ticket form needs a queue", s.status)
		return
	}
	s.got++
	fmt.Fprintf(w, `{"ticket_id": "T-%d"}`, s.got)
}

func (s *webhookStub) set(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = status
}

// TestSpoolRetryAfterFix: a report the helpdesk refused shows as needing
// attention in spool list and show; after the fix, spool retry delivers it.
func TestSpoolRetryAfterFix(t *testing.T) {
	stub := &webhookStub{status: http.StatusBadRequest}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: stub}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ln)
	}()
	t.Cleanup(func() { srv.Close(); <-served })
	_, sock, _ := startDaemon(t, func(c *config.Config) {
		c.Delivery.Route = []string{"webhook"}
		c.Delivery.Webhook.URL = config.NewSecret("http://" + ln.Addr().String() + "/hook")
		c.Delivery.Webhook.Secret = config.NewSecret("0123456789abcdef0123")
	})
	r := runMain("report", "submit", "--text", "VPN drops", "--no-sysinfo", "--socket", sock)
	if r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	ref := strings.TrimSpace(r.stdout)
	waitUntil(t, "needs attention", func() bool {
		return strings.Contains(runMain("spool", "list", "--socket", sock).stdout, "Needs attention: webhook:")
	})
	show := runMain("spool", "show", "--socket", sock, ref)
	if !strings.Contains(show.stdout, "Destination webhook:") || !strings.Contains(show.stdout, "needs-attention") ||
		!strings.Contains(show.stdout, "HTTP 400 Bad Request: the ticket form needs a queue") {
		t.Errorf("spool show:\n%s", show.stdout)
	}
	stub.set(http.StatusOK)
	retry := runMain("spool", "retry", "--socket", sock, ref)
	if retry.code != 0 || !strings.HasPrefix(retry.stdout, ref+": queued again: ") {
		t.Fatalf("retry: %d %q %q", retry.code, retry.stdout, retry.stderr)
	}
	waitUntil(t, "delivery after the retry", func() bool {
		return strings.Contains(runMain("spool", "list", "--socket", sock).stdout, "webhook T-1")
	})
}

func TestReportSubmitServiceDown(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "nothing.sock")
	r := runMain("report", "submit", "--text", "x", "--socket", sock)
	if r.code != ExitFailure || r.stdout != "" || !strings.Contains(r.stderr, "the Firstline service is not running") ||
		!strings.Contains(r.stderr, "NOT sent") {
		t.Errorf("exit %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}
	r = runMain("spool", "list", "--socket", sock)
	if r.code != ExitFailure || !strings.Contains(r.stderr, "not running") {
		t.Errorf("spool list: exit %d %q", r.code, r.stderr)
	}
}

func TestReportSubmitUsage(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.bin")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(11 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{}, ExitUsage, "--text is required"},
		{[]string{"--text", "  "}, ExitUsage, "--text is required"},
		{[]string{"--text", "x", "--severity", "urgent"}, ExitUsage, `--severity "urgent" is not one of blocked, slowed, question`},
		{[]string{"--text", "x", "--category", "Printer!"}, ExitUsage, "category: "},
		{[]string{"--text", "x", "extra"}, ExitUsage, `unexpected argument "extra"`},
		{[]string{"--text", "x", "--attach", filepath.Join(dir, "missing.txt")}, ExitFailure, "no such file"},
		{[]string{"--text", "x", "--attach", dir}, ExitFailure, "not a regular file; the report was NOT sent"},
		{[]string{"--text", "x", "--attach", big}, ExitFailure, "larger than 10 MiB"},
	}
	for _, tt := range tests {
		args := append([]string{"report", "submit", "--socket", filepath.Join(dir, "none.sock")}, tt.args...)
		r := runMain(args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, r.code, r.stderr, tt.code, tt.want)
		}
	}
}

func TestSpoolShowUnknown(t *testing.T) {
	_, sock, _ := startDaemon(t, nil)
	if r := runMain("spool", "show", "--socket", sock, "FL-00000"); r.code != ExitFailure || !strings.Contains(r.stderr, "no report FL-00000") {
		t.Errorf("unknown reference: %d %q", r.code, r.stderr)
	}
	if r := runMain("spool", "show", "--socket", sock, report.NewKey(time.Now()).String()); r.code != ExitFailure || !strings.Contains(r.stderr, "no such report") {
		t.Errorf("unknown key: %d %q", r.code, r.stderr)
	}
	if r := runMain("spool", "show", "--socket", sock, "hello world"); r.code != ExitUsage {
		t.Errorf("garbage: %d %q", r.code, r.stderr)
	}
	if r := runMain("spool", "retry", "--socket", sock); r.code != ExitUsage {
		t.Errorf("retry without a report: %d %q", r.code, r.stderr)
	}
	if r := runMain("spool", "list", "--socket", sock); r.code != 0 || r.stdout != "No reports.\n" {
		t.Errorf("empty list: %d %q", r.code, r.stdout)
	}
}

func TestReportSubmitWithSnapshot(t *testing.T) {
	d, sock, _ := startDaemon(t, nil)
	r := runMain("report", "submit", "--text", "Slow", "--socket", sock)
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	key := d.Reports().List("0")[0].Key
	rep, err := d.Reports().Get(key)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Size <= int64(len("Slow")) {
		t.Errorf("no snapshot was sent: size %d", rep.Size)
	}
}
