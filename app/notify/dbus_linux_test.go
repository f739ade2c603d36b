package notify

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
)

// underSession marks the copy of this test re-executed inside its own
// dbus-run-session.
const underSession = "FIRSTLINE_NOTIFY_UNDER_SESSION"

// TestDBusReachesTheServer sends notices through the real D-Bus path to
// test/sniwatch's notification server and reads what it recorded.
func TestDBusReachesTheServer(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		reexecUnderSession(t)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "sniwatch")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/firstline-it/firstline/test/sniwatch")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building sniwatch: %v\n%s", err, out)
	}
	srv := exec.CommandContext(ctx, bin, "--notifications", "--count", "2", "--timeout", "20s", "--click-notifications")
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		t.Fatalf("starting sniwatch: %v", err)
	}
	events := make(chan map[string]any, 16)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var ev map[string]any
			if json.Unmarshal(sc.Bytes(), &ev) == nil {
				events <- ev
			}
		}
	}()
	if ev := <-events; ev["event"] != "serving" {
		t.Fatalf("sniwatch's first event %v, want serving", ev)
	}

	// The app's sender, as the app runs it: Run owns the bus connection.
	d := NewDesktop(nil)
	runCtx, stopRun := context.WithCancel(ctx)
	ran := make(chan error, 1)
	var clicks atomic.Int32
	go func() { ran <- d.Run(runCtx, func() { clicks.Add(1) }) }()
	defer func() {
		stopRun()
		if err := <-ran; err != nil {
			t.Errorf("Desktop.Run: %v", err)
		}
	}()
	opened := 0
	n := New(Options{Sender: d, Cap: 5, Open: func() { opened++ }})
	out := n.Consider(ctx, localapi.NoticeView{Items: []localapi.NoticeItem{
		{ID: "i", Severity: "info", Title: "Coffee machine fixed"},
		{ID: "w", Severity: "warning", Title: "Printers off at 11:00", Body: "Maintenance."},
		{ID: "c", Severity: "critical", Title: "Mail is down", Body: "We are on it."},
	}})
	if len(out.Popped) != 2 || opened != 1 {
		t.Errorf("popped %q, opened %d; want 2 popups and the window", out.Popped, opened)
	}
	// sniwatch exits after 2 notifications; read all it said before Wait
	// closes the pipe.
	var got []map[string]any
	for ev := range events {
		if ev["event"] == "notification" {
			got = append(got, ev)
		}
	}
	if err := srv.Wait(); err != nil {
		t.Fatalf("sniwatch did not record 2 notifications: %v", err)
	}
	// sniwatch clicked both: each click must reach the app's handler, the
	// one that opens the window on the Notices page.
	for end := time.Now().Add(5 * time.Second); clicks.Load() < 2 && time.Now().Before(end); {
		time.Sleep(20 * time.Millisecond)
	}
	if n := clicks.Load(); n != 2 {
		t.Errorf("%d clicks reached the app, want 2", n)
	}
	want := []struct {
		summary string
		urgency float64
	}{{"Mail is down", 2}, {"Printers off at 11:00", 1}}
	if len(got) != len(want) {
		t.Fatalf("recorded %d notifications, want %d (none for info): %v", len(got), len(want), got)
	}
	for i, w := range want {
		acts, _ := got[i]["actions"].([]any)
		if got[i]["summary"] != w.summary || got[i]["urgency"] != w.urgency || got[i]["app_name"] != "Firstline" || len(acts) != 1 {
			t.Errorf("notification %d: %v; want summary %q urgency %v", i, got[i], w.summary, w.urgency)
		}
	}
}

// reexecUnderSession runs this test again inside a private session bus, or
// skips when there is no dbus-run-session.
func reexecUnderSession(t *testing.T) {
	if os.Getenv(underSession) != "" {
		t.Fatal("no session bus even under dbus-run-session")
	}
	runner, err := exec.LookPath("dbus-run-session")
	if err != nil {
		t.Skip("no session bus and no dbus-run-session: install dbus or run under dbus-run-session")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, runner, "--", os.Args[0], "-test.run=^TestDBusReachesTheServer$", "-test.v")
	cmd.Env = append(os.Environ(), underSession+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("under dbus-run-session:\n%s", out)
	if err != nil {
		t.Fatalf("the test under dbus-run-session failed: %v", err)
	}
}
