package handover

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/report/spool"
	"github.com/firstline-it/firstline/internal/servicetest"
)

// The crash test re-executes this test binary as the app: these variables
// tell the copy it is the app, where its outbox is and where the service
// listens.
const (
	envChild     = "FIRSTLINE_HANDOVER_CHILD"
	envChildSock = "FIRSTLINE_HANDOVER_SOCKET"
	envKills     = "FIRSTLINE_HANDOVER_KILLS"
	crashSecret  = "handover-crash-test-secret-0123"
)

// Lines the app prints on stdout, each in one write so a kill never tears
// one: "trying" before Save, "saved" once Save returned.
const (
	lineTrying = "trying "
	lineSaved  = "saved "
)

// TestHandoverCrashSafety runs the real service and an app (this test
// binary, re-executed) that saves reports into its outbox and hands them
// over, and kills the app with SIGKILL at random moments
// (FIRSTLINE_HANDOVER_KILLS times, default 15), and the service now and
// then, starting each again on the same folders. At the end a clean
// hand-over must leave the outbox empty, every report whose Save returned
// must have been delivered, and every duplicate delivery must be the same
// report under the same key.
//
//	FIRSTLINE_HANDOVER_KILLS=100 go test -v -run HandoverCrash ./app/handover/
func TestHandoverCrashSafety(t *testing.T) {
	if dir := os.Getenv(envChild); dir != "" {
		playTheApp(dir, os.Getenv(envChildSock))
		return
	}
	if testing.Short() {
		t.Skip("builds and runs the service")
	}
	kills := 15
	if v := os.Getenv(envKills); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q is not a positive number", envKills, v)
		}
		kills = n
	}
	dir := t.TempDir()
	rcv := &servicetest.Receiver{Secret: crashSecret}
	url, stopReceiver := serveReceiver(t, rcv)
	defer stopReceiver()

	svc := startableService(t, dir, url)
	c := localapi.NewClient(svc.Socket)
	defer c.Close()
	svc.Start(t)
	svc.Answering(t, c)

	began := time.Now()
	app := &crashApp{outbox: filepath.Join(dir, "outbox"), sock: svc.Socket,
		out: filepath.Join(dir, "app.out"), errs: filepath.Join(dir, "app.err")}
	// The service dies now and then, mid-hand-over, and stays away for a
	// while so the outbox fills up.
	serviceKills := max(1, kills/25)
	every := kills / (serviceKills + 1)
	killedService := 0
	for i := range kills {
		app.start(t)
		life := time.Duration(rand.IntN(400)) * time.Millisecond
		if every > 0 && (i+1)%every == 0 && killedService < serviceKills {
			// The app outlives the service by a while, so its hand-overs
			// find it away, and the next life finds it still starting.
			time.Sleep(life / 2)
			svc.Kill(t)
			killedService++
			time.Sleep(time.Duration(150+rand.IntN(250)) * time.Millisecond)
			app.kill(t)
			svc.Start(t)
			continue
		}
		time.Sleep(life)
		app.kill(t)
	}

	// The app's next start: one clean hand-over, then every saved report
	// must reach the receiver.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out := Open(app.outbox, Options{})
	defer out.Close()
	for {
		res := out.HandOver(ctx, c)
		if res.Refused != 0 {
			t.Fatalf("the service refused %d reports from the outbox", res.Refused)
		}
		if res.Stopped == nil && res.Left == 0 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("the last hand-over did not empty the outbox: %+v\n%s", res, svc.Tail())
		}
		time.Sleep(20 * time.Millisecond)
	}
	tried, saved := app.keys(t)
	// Delivery takes milliseconds once the service has a report.
	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	for k := range saved {
		for !rcv.Delivered(k) && wctx.Err() == nil {
			time.Sleep(20 * time.Millisecond)
		}
	}
	svc.Stop(t)
	elapsed := time.Since(began)

	if left, err := out.List(); err != nil || len(left) != 0 {
		t.Errorf("the outbox still holds %d reports (%v)", len(left), err)
	}
	if q, _ := os.ReadDir(filepath.Join(app.outbox, "quarantine")); len(q) != 0 {
		t.Errorf("a kill left damaged files in the outbox: %d in quarantine", len(q))
	}
	if q, _ := os.ReadDir(filepath.Join(dir, "state", "spool", "quarantine")); len(q) != 0 {
		t.Errorf("a kill left damaged files in the service's spool: %d in quarantine", len(q))
	}
	leftovers := outboxLeftovers(t, out)
	app.checkStderr(t)

	got := rcv.Result()
	duplicates := 0
	for key, copies := range got.Copies {
		if !tried[key] {
			t.Errorf("delivered report %s was never saved by the app", key)
		}
		for _, c := range copies[1:] {
			duplicates++
			if c != copies[0] {
				t.Errorf("report %s was delivered twice with different content under the same key", key)
			}
		}
	}
	if got.BadSig != 0 || got.Mismatch != 0 {
		t.Errorf("%d deliveries with a bad signature, %d with an Idempotency-Key other than the report's", got.BadSig, got.Mismatch)
	}
	var lost []string
	for k := range saved {
		if len(got.Copies[k]) == 0 {
			lost = append(lost, k)
		}
	}
	if len(lost) > 0 {
		t.Errorf("%d of %d saved reports were never delivered, among them %s", len(lost), len(saved), lost[0])
	}
	if len(saved) == 0 {
		t.Error("the app never saved a report: the harness tested nothing")
	}
	again := app.count(t, `"already_there":true`)
	saveFailed := app.count(t, "crash test: save failed")
	stopped := app.count(t, "stopped handing reports over")
	t.Logf("app kills=%d service kills=%d saved=%d (tried %d, Save failed %d) delivered=%d lost=%d duplicates=%d handed over again (service had it)=%d hand-overs stopped (service away)=%d archived records left in the outbox=%d in %v",
		kills, killedService, len(saved), len(tried), saveFailed, len(got.Copies), len(lost), duplicates, again, stopped, leftovers, elapsed.Round(time.Millisecond))
	if killedService > 0 && stopped == 0 {
		t.Error("the service was killed but no hand-over ever found it away: the harness missed that case")
	}
}

// playTheApp is the re-executed test binary: it saves reports into the
// outbox as the form does, and a courier hands them over as the app does,
// kicked after every save, until it is killed.
func playTheApp(dir, sock string) {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	out := Open(dir, Options{Logger: log})
	c := localapi.NewClient(sock)
	courier := NewCourier(out, c, CourierOptions{Logger: log, RetryAfter: 50 * time.Millisecond})
	// The parent kills this process; the deadline only guards against a
	// parent that died without doing so.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() { courier.Run(ctx) })
	courier.Kick()
	for n := 1; ctx.Err() == nil; n++ {
		sub := crashSubmission(n)
		fmt.Fprintf(os.Stdout, "%s%s\n", lineTrying, sub.Key)
		if _, err := out.Save(ctx, sub); err != nil {
			log.Warn("crash test: save failed", "err", err) // full: the employee is told
		} else {
			fmt.Fprintf(os.Stdout, "%s%s\n", lineSaved, sub.Key)
			courier.Kick()
		}
		time.Sleep(time.Duration(5+rand.IntN(25)) * time.Millisecond)
	}
	wg.Wait()
	os.Exit(0)
}

func crashSubmission(n int) report.Submission {
	now := time.Now()
	data := make([]byte, 1+rand.IntN(32<<10))
	for i := range data {
		data[i] = byte(rand.Uint32())
	}
	return report.Submission{
		Key: report.NewKey(now), CreatedAt: now, Severity: report.SeveritySlowed,
		Text:        fmt.Sprintf("handover crash test: report %d of app %d, which may die while handing me over", n, os.Getpid()),
		Callback:    report.Callback{Method: report.CallbackNone},
		Attachments: []report.Attachment{{Name: "blob.bin", Kind: report.KindFile, Data: data}},
	}
}

// crashApp runs the app's lives, one process at a time, all writing to
// the same outbox and appending to the same output files.
type crashApp struct {
	outbox, sock, out, errs string
	cmd                     *exec.Cmd
}

func (a *crashApp) start(t *testing.T) {
	t.Helper()
	stdout := openAppend(t, a.out)
	defer stdout.Close()
	stderr := openAppend(t, a.errs)
	defer stderr.Close()
	a.cmd = exec.Command(os.Args[0], "-test.run=^TestHandoverCrashSafety$", "-test.count=1")
	a.cmd.Env = append(os.Environ(), envChild+"="+a.outbox, envChildSock+"="+a.sock)
	a.cmd.Stdout, a.cmd.Stderr = stdout, stderr
	// If this test dies, its app must not outlive it.
	a.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := a.cmd.Start(); err != nil {
		t.Fatalf("starting the app: %v", err)
	}
}

func (a *crashApp) kill(t *testing.T) {
	t.Helper()
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("killing the app: %v", err)
	}
	err := a.cmd.Wait()
	if ws, ok := a.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		// It ended on its own before the kill: a crash or a race report.
		t.Fatalf("the app ended before it was killed: %v\n%s", err, tail(a.errs))
	}
}

// keys returns the keys the app was about to save and those whose Save
// returned, over all its lives.
func (a *crashApp) keys(t *testing.T) (tried, saved map[string]bool) {
	t.Helper()
	f, err := os.Open(a.out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tried, saved = map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if k, ok := strings.CutPrefix(line, lineTrying); ok {
			tried[k] = true
		}
		if k, ok := strings.CutPrefix(line, lineSaved); ok {
			if !tried[k] {
				t.Errorf("the app saved %s without trying it first", k)
			}
			saved[k] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return tried, saved
}

// count counts the app's log lines holding s.
func (a *crashApp) count(t *testing.T, s string) int {
	t.Helper()
	b, err := os.ReadFile(a.errs)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte(s))
}

// checkStderr fails on anything the app logged that a kill cannot
// explain: a race, a panic, a damaged file.
func (a *crashApp) checkStderr(t *testing.T) {
	t.Helper()
	for _, bad := range []string{"DATA RACE", "panic:", "quarantine", `"level":"ERROR"`} {
		if n := a.count(t, bad); n > 0 {
			t.Errorf("the app logged %q %d times\n%s", bad, n, tail(a.errs))
		}
	}
}

func openAppend(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// outboxLeftovers counts the records the outbox still holds after a clean
// hand-over. A kill between Remove's archiving and its removal of the state
// file leaves a record archived; the next hand-over prunes it, so after
// the clean one nothing may be left.
func outboxLeftovers(t *testing.T, out *Outbox) int {
	t.Helper()
	sp, err := out.spool()
	if err != nil {
		t.Fatal(err)
	}
	archived := 0
	for _, rec := range sp.List(spool.Filter{}) {
		if rec.ArchivedAt.IsZero() {
			t.Errorf("report %s is still waiting in the outbox", rec.Key)
		}
		archived++
	}
	ents, err := os.ReadDir(out.Dir())
	if err != nil {
		t.Fatal(err)
	}
	states := 0
	for _, e := range ents {
		switch name := e.Name(); {
		case name == "lock" || name == "quarantine":
		case strings.HasSuffix(name, ".state"):
			states++
		default:
			t.Errorf("the outbox still holds %s after a clean hand-over", name)
		}
	}
	if states != archived {
		t.Errorf("the outbox holds %d state files but knows %d archived records", states, archived)
	}
	if archived > 0 {
		t.Errorf("%d handed-over records were not pruned from the outbox", archived)
	}
	return archived
}

// serveReceiver serves r on a local port and returns its URL and the
// function that stops it and waits for its goroutine.
func serveReceiver(t *testing.T, r *servicetest.Receiver) (string, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/firstline"
	hs := &http.Server{Handler: r}
	var serving sync.WaitGroup
	serving.Go(func() { _ = hs.Serve(ln) })
	return url, func() {
		_ = hs.Close()
		serving.Wait()
	}
}

// startableService builds the service and writes its config: its state
// under dir, delivering to the webhook at url.
func startableService(t *testing.T, dir, url string) *servicetest.Service {
	t.Helper()
	bin := filepath.Join(dir, "firstline-service")
	build := exec.Command("go", "build", "-o", bin, "github.com/firstline-it/firstline/service/cmd/firstline-service")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building firstline-service: %v\n%s", err, out)
	}
	cfg := filepath.Join(dir, "firstline.toml")
	conf := fmt.Sprintf("[service]\nstate_dir = %q\n\n[delivery]\nroute = [\"webhook\"]\n\n[delivery.webhook]\nurl = %q\nsecret = %q\n",
		filepath.Join(dir, "state"), url, crashSecret)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return &servicetest.Service{Bin: bin, Config: cfg, Socket: filepath.Join(dir, "run", "local.sock"), Log: filepath.Join(dir, "service.log")}
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 8<<10 {
		b = b[len(b)-8<<10:]
	}
	return string(b)
}
