//go:build linux

package runner

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/audit"
	"github.com/firstline-it/firstline/internal/fixes/builtin"
)

// TestBuiltinLinuxFixesRunRecorders runs every built-in Linux fix with its
// programs replaced by recorders, and checks that exactly the dry run's
// commands ran, in order, and that each run was audited.
func TestBuiltinLinuxFixesRunRecorders(t *testing.T) {
	for _, fix := range builtin.For(fixes.Platform{GOOS: fixes.Linux}) {
		t.Run(fix.ID, func(t *testing.T) {
			sb := newSandbox(t)
			apps := &fakeApps{running: map[string]string{"slack": "/usr/lib/slack/slack", "zoom": "/opt/zoom/zoom"}}
			roots := map[string]string{}
			for _, name := range fixes.RootNames(fixes.Linux, fix.RunsAs) {
				roots[name] = t.TempDir()
			}
			r, aud := newTestRunner(t, sb, fix.RunsAs, catalogOf(fix), func(o *Options) {
				o.Apps, o.Roots = apps, roots
			})
			for _, p := range append(slices.Clone(fix.Requires), fix.RequiresAny...) {
				sb.recorder(p, "")
			}
			plan, err := r.Plan(Request{FixID: fix.ID, Caller: alice()})
			if err != nil {
				t.Fatal(err)
			}
			var want [][]string
			for _, s := range plan.Steps {
				for _, c := range s.Commands {
					sb.recorder(c.Argv[0], "")
					want = append(want, c.Argv)
				}
			}

			var events []Progress
			res, err := r.Run(context.Background(), Request{FixID: fix.ID, Caller: alice()}, func(p Progress) { events = append(events, p) })
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != Success {
				t.Fatalf("outcome %s: %s\n%s", res.Outcome, res.Message, res.Log())
			}
			if got := sb.calls(); !slices.EqualFunc(got, want, slices.Equal) {
				t.Errorf("ran:\n%q\nwant:\n%q", got, want)
			}
			if n := countEvents(events, EventStepStarted); n != len(plan.Steps) {
				t.Errorf("%d step-started events for %d steps", n, len(plan.Steps))
			}
			recs := aud.all()
			if len(recs) != 1 || recs[0].Result != audit.ResultSuccess || recs[0].FixID != fix.ID ||
				recs[0].UID != "1000" || len(recs[0].Steps) != len(plan.Steps) {
				t.Errorf("audit = %+v", recs)
			}
			if fix.ID == builtin.ClearSlackCache {
				if !slices.Equal(apps.quits, []string{"slack"}) || !slices.Equal(apps.launches, []string{"/usr/lib/slack/slack"}) {
					t.Errorf("quits %v launches %v", apps.quits, apps.launches)
				}
			}
		})
	}
}

func countEvents(ps []Progress, e Event) int {
	n := 0
	for _, p := range ps {
		if p.Event == e {
			n++
		}
	}
	return n
}

// TestHungStepIsKilledWithItsChild runs a step that forks a sleeping child
// and waits: at the fix's timeout both must be gone.
func TestHungStepIsKilledWithItsChild(t *testing.T) {
	sb := newSandbox(t)
	pidFile := filepath.Join(sb.root, "child.pid")
	sb.recorder("/usr/bin/hang", "sleep 300 &\necho $! > '"+pidFile+"'\nwait")
	fix := execFix("hang", fixes.Exec{Path: "/usr/bin/hang"})
	fix.Timeout = time.Second
	r, aud := newTestRunner(t, sb, fixes.RunsAsSystem, catalogOf(fix), nil)

	start := time.Now()
	res, err := r.Run(context.Background(), Request{FixID: "hang", Caller: alice()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("Run took %s", took)
	}
	if res.Outcome != Failed || res.FailedStep != 1 || !strings.Contains(res.Message, "limit of 1s") {
		t.Errorf("result = %+v", res)
	}
	if res.Steps[0].Exit == nil || *res.Steps[0].Exit != -1 {
		t.Errorf("exit = %v, want -1 (killed)", res.Steps[0].Exit)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for processAlive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("the child %d is still running after the fix timed out", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if recs := aud.all(); len(recs) != 1 || recs[0].Result != audit.ResultFailed || *recs[0].Steps[0].Exit != -1 {
		t.Errorf("audit = %+v", recs)
	}
}

// processAlive reads /proc: a zombie (killed, not yet reaped by init in a
// container) counts as gone.
func processAlive(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// TestHostileRequestsAreRefusedAndAudited sends what an attacker would,
// as another uid: each is refused with its code and audited, and nothing
// runs.
func TestHostileRequestsAreRefusedAndAudited(t *testing.T) {
	clean := execFix("clean", fixes.Exec{Path: "/usr/bin/clean", Args: []string{"--keep", "{{keep}}", "--days", "{{days}}"}})
	clean.Params = []fixes.Param{
		{Name: "keep", Kind: fixes.ParamEnum, Enum: []string{"7d", "14d"}, Default: "7d"},
		{Name: "days", Kind: fixes.ParamInt, Min: 1, Max: 30, Default: "7"},
	}
	userFix := execFix("user-fix", fixes.Exec{Path: "/usr/bin/clean"})
	userFix.RunsAs = fixes.RunsAsUser
	winFix := execFix("win-fix", fixes.Exec{Path: `C:\Windows\System32\ipconfig.exe`})
	winFix.OS = []string{fixes.Windows}
	needs := execFix("needs-agent", fixes.Exec{Path: "/usr/bin/clean"})
	needs.Requires = []string{"/opt/agent/bin/agent"}
	bad := execFix("bad-fix", fixes.Exec{Path: "relative/path"})
	off := execFix("turned-off", fixes.Exec{Path: "/usr/bin/clean"})

	mallory := Caller{UID: "1666", Name: "mallory"}
	tests := []struct {
		name   string
		id     string
		params map[string]string
		code   Code
	}{
		{"unknown fix", "rm-rf", nil, CodeUnknownFix},
		{"unknown fix with path", "../../bin/sh", nil, CodeUnknownFix},
		{"semicolon", "clean", map[string]string{"keep": "7d; rm -rf /"}, CodeBadParams},
		{"command substitution", "clean", map[string]string{"keep": "$(reboot)"}, CodeBadParams},
		{"dot dot", "clean", map[string]string{"keep": "../../etc"}, CodeBadParams},
		{"NUL", "clean", map[string]string{"keep": "7d\x00--force"}, CodeBadParams},
		{"megabyte", "clean", map[string]string{"keep": strings.Repeat("A", 1<<20)}, CodeBadParams},
		{"out of range", "clean", map[string]string{"days": "31"}, CodeBadParams},
		{"not in enum", "clean", map[string]string{"keep": "1y"}, CodeBadParams},
		{"extra param", "clean", map[string]string{"path": "/etc"}, CodeBadParams},
		{"disabled by IT", "turned-off", nil, CodeDisabled},
		{"user fix asked of the service", "user-fix", nil, CodeWrongRunner},
		{"fix for another OS", "win-fix", nil, CodeWrongOS},
		{"agent not installed", "needs-agent", nil, CodeUnavailable},
		{"invalid definition", "bad-fix", nil, CodeInvalidFix},
	}
	sb := newSandbox(t)
	sb.recorder("/usr/bin/clean", "")
	cat := catalogOf(clean, userFix, winFix, needs, bad, off)
	cat.disabled["turned-off"] = true
	r, aud := newTestRunner(t, sb, fixes.RunsAsSystem, cat, nil)
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := r.Run(context.Background(), Request{FixID: tc.id, Params: tc.params, Caller: mallory}, func(Progress) {
				t.Error("progress reported for a refused request")
			})
			var re *RefusedError
			if !errors.As(err, &re) || res != nil {
				t.Fatalf("Run = %v, %v; want a refusal", res, err)
			}
			if re.Code != tc.code {
				t.Errorf("code %s, want %s (%s)", re.Code, tc.code, re.Reason)
			}
			recs := aud.all()
			if len(recs) != i+1 {
				t.Fatalf("%d audit records after %d requests", len(recs), i+1)
			}
			rec := recs[i]
			if rec.Result != audit.ResultRefused || rec.Code != string(tc.code) || rec.UID != "1666" || rec.User != "mallory" {
				t.Errorf("audit = %+v", rec)
			}
			for k, v := range rec.Params {
				if len(k) > 64 || len(v) > 100 {
					t.Errorf("audited param %q is %d bytes: hostile input must be cut", k, len(v))
				}
			}
			// The dry run refuses the same way.
			if _, err := r.Plan(Request{FixID: tc.id, Params: tc.params, Caller: mallory}); !errors.As(err, &re) || re.Code != tc.code {
				t.Errorf("Plan = %v", err)
			}
		})
	}
	if calls := sb.calls(); len(calls) != 0 {
		t.Errorf("refused requests executed %q", calls)
	}
	if len(aud.all()) != len(tests) {
		t.Errorf("dry runs were audited")
	}
}

func TestFloodIsRateLimitedPerUser(t *testing.T) {
	sb := newSandbox(t)
	sb.recorder("/usr/bin/ok", "")
	clock := &fakeClock{now: time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)}
	r, aud := newTestRunner(t, sb, fixes.RunsAsSystem, catalogOf(execFix("ok", fixes.Exec{Path: "/usr/bin/ok"})), func(o *Options) {
		o.RateBurst, o.RateRefill, o.Now = 3, time.Minute, clock.Now
	})
	run := func(c Caller) error {
		_, err := r.Run(context.Background(), Request{FixID: "ok", Caller: c}, nil)
		return err
	}
	for i := range 3 {
		if err := run(alice()); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	var re *RefusedError
	for range 20 {
		if err := run(alice()); !errors.As(err, &re) || re.Code != CodeRateLimited {
			t.Fatalf("flood run = %v, want rate-limited", err)
		}
	}
	// Another user has a bucket of their own; even an unknown fix costs
	// a token, so a flood of garbage is limited too.
	if err := run(Caller{UID: "1001"}); err != nil {
		t.Errorf("bob refused: %v", err)
	}
	clock.Add(time.Minute)
	if err := run(alice()); err != nil {
		t.Errorf("after a refill: %v", err)
	}
	if err := run(alice()); !errors.As(err, &re) || re.Code != CodeRateLimited {
		t.Errorf("second run after one refill = %v", err)
	}
	if n := len(sb.calls()); n != 5 {
		t.Errorf("%d runs executed, want 5", n)
	}
	refused := 0
	for _, rec := range aud.all() {
		if rec.Code == string(CodeRateLimited) {
			refused++
		}
	}
	if refused != 21 {
		t.Errorf("%d rate-limited refusals audited, want 21", refused)
	}
}

func TestSecondRunOfSameFixIsRefused(t *testing.T) {
	sb := newSandbox(t)
	sb.recorder("/usr/bin/slow", "sleep 30")
	sb.recorder("/usr/bin/other", "")
	r, _ := newTestRunner(t, sb, fixes.RunsAsSystem, catalogOf(
		execFix("slow", fixes.Exec{Path: "/usr/bin/slow"}),
		execFix("other", fixes.Exec{Path: "/usr/bin/other"})), nil)

	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	var first *Result
	wg.Go(func() {
		first, _ = r.Run(ctx, Request{FixID: "slow", Caller: alice()}, func(p Progress) {
			if p.Event == EventOutput {
				once.Do(func() { close(started) })
			}
		})
	})
	<-started
	var re *RefusedError
	if _, err := r.Run(context.Background(), Request{FixID: "slow", Caller: Caller{UID: "1001"}}, nil); !errors.As(err, &re) || re.Code != CodeBusy {
		t.Errorf("second run = %v, want busy", err)
	}
	if res, err := r.Run(context.Background(), Request{FixID: "other", Caller: alice()}, nil); err != nil || res.Outcome != Success {
		t.Errorf("another fix meanwhile = %v, %v", res, err)
	}
	cancel()
	wg.Wait()
	if first.Outcome != Failed || !strings.Contains(first.Message, "cancelled") {
		t.Errorf("cancelled run = %+v", first)
	}
	// Once it has finished, the fix can run again.
	sb.recorder("/usr/bin/slow", "")
	if _, err := r.Run(context.Background(), Request{FixID: "slow", Caller: alice()}, nil); err != nil {
		t.Errorf("run after the first finished: %v", err)
	}
}

func TestFailedStepStopsTheRun(t *testing.T) {
	sb := newSandbox(t)
	sb.recorder("/usr/bin/one", "")
	sb.recorder("/usr/bin/two", "echo 'disk on fire' >&2\nexit 3")
	sb.recorder("/usr/bin/three", "")
	sb.recorder("/usr/bin/tolerated", "exit 2")
	fix := execFix("fails",
		fixes.Exec{Path: "/usr/bin/one"},
		fixes.Exec{Path: "/usr/bin/tolerated", AllowExit: []int{2}},
		fixes.Exec{Path: "/usr/bin/missing", SkipIfMissing: true},
		fixes.Exec{Path: "/usr/bin/two"},
		fixes.Exec{Path: "/usr/bin/three"})
	fix.NextSteps = "Call the fire brigade."
	r, aud := newTestRunner(t, sb, fixes.RunsAsSystem, catalogOf(fix), nil)
	res, err := r.Run(context.Background(), Request{FixID: "fails", Caller: alice()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Failed || res.FailedStep != 4 || res.NextSteps != "Call the fire brigade." {
		t.Fatalf("result = %+v", res)
	}
	if !strings.Contains(res.Message, "Step 4 of 5") || !strings.Contains(res.Message, "status 3") {
		t.Errorf("message = %q", res.Message)
	}
	statuses := []StepStatus{}
	for _, s := range res.Steps {
		statuses = append(statuses, s.Status)
	}
	if !slices.Equal(statuses, []StepStatus{StepOK, StepOK, StepSkipped, StepFailed}) {
		t.Errorf("statuses = %v", statuses)
	}
	if !strings.Contains(res.Steps[3].Output, "disk on fire") {
		t.Errorf("stderr not captured: %q", res.Steps[3].Output)
	}
	if calls := sb.calls(); len(calls) != 3 {
		t.Errorf("ran %q; step 5 must not run", calls)
	}
	rec := aud.all()[0]
	if rec.Result != audit.ResultFailed || rec.FailedStep != 4 || *rec.Steps[3].Exit != 3 || *rec.Steps[1].Exit != 2 ||
		rec.Steps[2].Status != "skipped" || rec.Steps[2].Exit != nil {
		t.Errorf("audit = %+v", rec)
	}
	log := res.Log()
	for _, want := range []string{"Step 4 of 5", "failed (exit 3)", "    disk on fire", "skipped"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

func TestStepTimeout(t *testing.T) {
	sb := newSandbox(t)
	sb.recorder("/usr/bin/slow", "sleep 30")
	fix := execFix("slow", fixes.Exec{Path: "/usr/bin/slow", Timeout: 300 * time.Millisecond})
	r, _ := newTestRunner(t, sb, fixes.RunsAsSystem, catalogOf(fix), nil)
	res, err := r.Run(context.Background(), Request{FixID: "slow", Caller: alice()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Failed || !strings.Contains(res.Steps[0].Err, "longer than 300ms") {
		t.Errorf("result = %+v", res.Steps[0])
	}
}

func TestOutputIsCappedAndStreamedInOrder(t *testing.T) {
	sb := newSandbox(t)
	sb.recorder("/usr/bin/chatty", `i=0; while [ $i -lt 5000 ]; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); done`)
	r, _ := newTestRunner(t, sb, fixes.RunsAsSystem, catalogOf(execFix("chatty", fixes.Exec{Path: "/usr/bin/chatty"})),
		func(o *Options) { o.OutputCap = 8 << 10 })
	var lines []string
	res, err := r.Run(context.Background(), Request{FixID: "chatty", Caller: alice()}, func(p Progress) {
		if p.Event == EventOutput {
			if p.Step != 1 || p.Steps != 1 || p.FixID != "chatty" {
				t.Errorf("progress = %+v", p)
			}
			lines = append(lines, p.Line)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Success {
		t.Fatalf("outcome %s: %s (the program must not die of a full pipe)", res.Outcome, res.Message)
	}
	s := res.Steps[0]
	if !s.Truncated || len(s.Output) > 8<<10+100 {
		t.Errorf("output %d bytes, truncated %v", len(s.Output), s.Truncated)
	}
	if lines[0] != "ran chatty" || lines[1] != "out 0" || lines[2] != "err 0" || lines[3] != "out 1" {
		t.Errorf("first lines %q", lines[:4])
	}
	if last := lines[len(lines)-1]; !strings.Contains(last, "output cut") {
		t.Errorf("last streamed line %q", last)
	}
	streamed := 0
	for _, l := range lines[:len(lines)-1] {
		streamed += len(l) + 1
	}
	if streamed > 8<<10 {
		t.Errorf("%d bytes streamed, past the 8 KiB cap", streamed)
	}
}

func TestUserFixQuitsCleansAndRelaunches(t *testing.T) {
	data := t.TempDir()
	cache := filepath.Join(data, "Slack", "Cache")
	mustWrite(t, filepath.Join(cache, "blob1"), 1000, time.Now())
	mustWrite(t, filepath.Join(cache, "sub", "blob2"), 500, time.Now())
	mustWrite(t, filepath.Join(data, "Slack", "settings.json"), 10, time.Now())
	apps := &fakeApps{running: map[string]string{"slack": "/usr/lib/slack/slack"}}
	fix := fixes.Fix{ID: "slack", Title: "Slack", Description: "Clears.", Group: fixes.GroupMeetings,
		OS: []string{fixes.Linux}, RunsAs: fixes.RunsAsUser, Steps: []fixes.Step{
			fixes.QuitApp{Name: "slack"},
			fixes.RemoveOld{Root: "user-data", Paths: []string{"Slack/Cache", "Slack/GPUCache"}},
			fixes.RelaunchApp{Name: "slack"},
			fixes.RelaunchApp{Name: "zoom"},
		}}
	r, aud := newTestRunner(t, nil, fixes.RunsAsUser, catalogOf(fix), func(o *Options) {
		o.Apps, o.Roots = apps, map[string]string{"user-data": data}
	})
	res, err := r.Run(context.Background(), Request{FixID: "slack", Caller: alice()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Success || res.Reclaimed != 1500 || !strings.Contains(res.Message, "1.5 KB freed") {
		t.Fatalf("result %+v", res)
	}
	if _, err := os.Stat(filepath.Join(data, "Slack", "settings.json")); err != nil {
		t.Error("settings outside the cache were deleted")
	}
	if !slices.Equal(apps.launches, []string{"/usr/lib/slack/slack"}) {
		t.Errorf("launches %v (once per executable)", apps.launches)
	}
	if res.Steps[3].Status != StepSkipped {
		t.Errorf("relaunching an app that was not running: %+v", res.Steps[3])
	}
	if aud.all()[0].ReclaimedBytes != 1500 {
		t.Errorf("audit %+v", aud.all()[0])
	}
}

func TestAppIsRelaunchedAfterAFailure(t *testing.T) {
	apps := &fakeApps{running: map[string]string{"slack": "/usr/lib/slack/slack"}}
	fix := fixes.Fix{ID: "slack", Title: "Slack", Description: "Clears.", Group: fixes.GroupMeetings,
		OS: []string{fixes.Linux}, RunsAs: fixes.RunsAsUser, Steps: []fixes.Step{
			fixes.QuitApp{Name: "slack"},
			fixes.RemoveOld{Root: "user-data", Paths: []string{"Slack/Cache"}}, // root not available: fails
			fixes.WaitFor{Condition: fixes.Condition{Kind: fixes.CondNetworkUp}, Timeout: time.Second},
			fixes.RelaunchApp{Name: "slack"},
		}}
	conds := &fakeConditions{ok: true}
	r, _ := newTestRunner(t, nil, fixes.RunsAsUser, catalogOf(fix), func(o *Options) { o.Apps, o.Conditions = apps, conds })
	res, err := r.Run(context.Background(), Request{FixID: "slack", Caller: alice()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Failed || res.FailedStep != 2 || len(res.Steps) != 3 || res.Steps[2].N != 4 || res.Steps[2].Status != StepOK {
		t.Fatalf("result %+v", res)
	}
	if !slices.Equal(apps.launches, []string{"/usr/lib/slack/slack"}) || len(conds.asked) != 0 {
		t.Errorf("launches %v, conditions asked %d times (the wait must not run)", apps.launches, len(conds.asked))
	}
}

func TestRelaunchStartsFallbackWhenNotRunning(t *testing.T) {
	apps := &fakeApps{running: map[string]string{}}
	fix := fixes.Fix{ID: "onedrive", Title: "OneDrive", Description: "Restarts.", Group: fixes.GroupSlow,
		OS: []string{fixes.Windows}, RunsAs: fixes.RunsAsUser, Steps: []fixes.Step{
			fixes.QuitApp{Name: "OneDrive"},
			fixes.RelaunchApp{Name: "OneDrive", Root: "user-local-data", Path: "Microsoft/OneDrive/OneDrive.exe"},
		}}
	r, _ := newTestRunner(t, nil, fixes.RunsAsUser, catalogOf(fix), func(o *Options) {
		o.Apps, o.Platform = apps, fixes.Platform{GOOS: fixes.Windows, SystemRoot: `C:\Windows`}
		o.Roots = map[string]string{"user-local-data": `C:\Users\ann\AppData\Local`}
	})
	res, err := r.Run(context.Background(), Request{FixID: "onedrive", Caller: alice()}, nil)
	if err != nil || res.Outcome != Success {
		t.Fatalf("%v %+v", err, res)
	}
	if !slices.Equal(apps.launches, []string{`C:\Users\ann\AppData\Local\Microsoft\OneDrive\OneDrive.exe`}) {
		t.Errorf("launches %v", apps.launches)
	}
}

func TestWaitForAndCheck(t *testing.T) {
	conds := &fakeConditions{ok: false}
	fix := execFix("wait", fixes.WaitFor{Condition: fixes.Condition{Kind: fixes.CondNetworkUp}, Timeout: time.Second})
	check := execFix("check", fixes.Check{Condition: fixes.Condition{Kind: fixes.CondPrintQueueEmpty}, Message: "Jobs are left."})
	r, _ := newTestRunner(t, nil, fixes.RunsAsSystem, catalogOf(fix, check), func(o *Options) { o.Conditions = conds })
	res, err := r.Run(context.Background(), Request{FixID: "wait", Caller: alice()}, nil)
	if err != nil || res.Outcome != Failed || !strings.Contains(res.Message, "still not ready after 1s") {
		t.Fatalf("%v %+v", err, res)
	}
	if len(conds.asked) < 2 {
		t.Errorf("condition asked %d times in a 1s wait", len(conds.asked))
	}
	res, _ = r.Run(context.Background(), Request{FixID: "check", Caller: alice()}, nil)
	if res.Outcome != Failed || !strings.Contains(res.Message, "Jobs are left.") {
		t.Errorf("check: %+v", res)
	}
	conds.ok = true
	if res, _ = r.Run(context.Background(), Request{FixID: "check", Caller: alice()}, nil); res.Outcome != Success {
		t.Errorf("check that holds: %+v", res)
	}
}

func TestBuiltinConditionsAskPrograms(t *testing.T) {
	sb := newSandbox(t)
	r, _ := newTestRunner(t, sb, fixes.RunsAsSystem, catalogOf(), nil)
	c := &builtinConditions{r: r}
	svc := fixes.Condition{Kind: fixes.CondServiceActive, Arg: "cups"}
	sb.recorder("/usr/bin/systemctl", "") // prints "ran systemctl", not "active"
	if ok, err := c.Holds(context.Background(), svc); err != nil || ok {
		t.Errorf("inactive service: %v %v", ok, err)
	}
	if err := os.WriteFile(sb.mapPath("/usr/bin/systemctl"), []byte("#!/bin/sh\necho active\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if ok, err := c.Holds(context.Background(), svc); err != nil || !ok {
		t.Errorf("active service: %v %v", ok, err)
	}
	if _, err := c.Holds(context.Background(), fixes.Condition{Kind: fixes.CondPrintQueueEmpty}); err == nil {
		t.Error("a missing lpstat is not an error")
	}
	if ok, err := c.Holds(context.Background(), fixes.Condition{Kind: fixes.CondDNSResolves, Arg: "localhost"}); err != nil || !ok {
		t.Errorf("localhost does not resolve: %v %v", ok, err)
	}
}

func TestAuditFailureIsReported(t *testing.T) {
	sb := newSandbox(t)
	sb.recorder("/usr/bin/ok", "")
	r, _ := newTestRunner(t, sb, fixes.RunsAsSystem, catalogOf(execFix("ok", fixes.Exec{Path: "/usr/bin/ok"})), func(o *Options) {
		o.Audit = failingAudit{}
	})
	res, err := r.Run(context.Background(), Request{FixID: "ok", Caller: alice()}, nil)
	if err == nil || res == nil || res.Outcome != Success {
		t.Fatalf("Run = %+v, %v; want the result and the audit error", res, err)
	}
	_, err = r.Run(context.Background(), Request{FixID: "nope", Caller: alice()}, nil)
	var re *RefusedError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("refusal with failing audit = %v", err)
	}
}

type failingAudit struct{}

func (failingAudit) Append(audit.Record) error { return errors.New("disk full") }

func TestAvailable(t *testing.T) {
	sb := newSandbox(t)
	sb.recorder("/opt/agent", "")
	r, _ := newTestRunner(t, sb, fixes.RunsAsSystem, catalogOf(), nil)
	yes := execFix("yes", fixes.Exec{Path: "/usr/bin/x"})
	yes.Requires = []string{"/opt/agent"}
	no := yes.Clone()
	no.Requires = []string{"/opt/other"}
	user := yes.Clone()
	user.RunsAs = fixes.RunsAsUser
	if !r.Available(&yes) || r.Available(&no) || r.Available(&user) {
		t.Errorf("Available: yes %v, missing requirement %v, user fix %v", r.Available(&yes), r.Available(&no), r.Available(&user))
	}
}

func TestNewChecksOptions(t *testing.T) {
	if _, err := New(Options{RunsAs: fixes.RunsAsSystem}); err == nil {
		t.Error("no catalog accepted")
	}
	if _, err := New(Options{Catalog: catalogOf(), RunsAs: "root"}); err == nil {
		t.Error("bad runs_as accepted")
	}
}

func TestNothingInstalledIsNotCalledDone(t *testing.T) {
	sb := newSandbox(t)
	sb.recorder("/usr/bin/present", "")
	for _, tc := range []struct {
		steps []fixes.Step
		want  string
	}{
		{[]fixes.Step{fixes.Exec{Path: "/usr/bin/missing", SkipIfMissing: true}, fixes.Exec{Path: "/usr/sbin/gone", SkipIfMissing: true}}, "Nothing to do"},
		{[]fixes.Step{fixes.Exec{Path: "/usr/bin/missing", SkipIfMissing: true}, fixes.Exec{Path: "/usr/bin/present"}}, "Done."},
	} {
		fix := execFix("skip", tc.steps...)
		r, _ := newTestRunner(t, sb, fixes.RunsAsSystem, catalogOf(fix), nil)
		res, err := r.Run(context.Background(), Request{FixID: "skip", Caller: alice()}, nil)
		if err != nil || res.Outcome != Success || !strings.HasPrefix(res.Message, tc.want) {
			t.Errorf("%d steps: %+v, %v; want a message starting %q", len(tc.steps), res, err, tc.want)
		}
	}
}
