package fixes

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/fixes/audit"
	"github.com/firstline-it/firstline/internal/fixes/health"
	"github.com/firstline-it/firstline/internal/fixes/runner"
	"github.com/firstline-it/firstline/internal/localapi"
)

var alice = runner.Caller{UID: "1000", Name: "alice"}

func TestListMarksRunnerAndAvailability(t *testing.T) {
	l := newLab(t)
	s := l.open(l.options())
	list := s.List(false)
	got := map[string]localapi.FixInfo{}
	for _, f := range list.Items {
		got[f.ID] = f
	}
	want := map[string]struct {
		runsAs    string
		available bool
	}{
		"record": {"system", true}, "slow": {"system", true}, "missing": {"system", false}, "user-cache": {"user", true},
	}
	if len(got) != len(want) {
		t.Fatalf("listed %v", list.Items)
	}
	for id, w := range want {
		if f, ok := got[id]; !ok || f.RunsAs != w.runsAs || f.Available != w.available {
			t.Errorf("%s: %+v, want runs_as %s available %v", id, f, w.runsAs, w.available)
		}
	}
	if len(list.Groups) != 5 || list.Groups[0] != "Internet" {
		t.Errorf("groups %v", list.Groups)
	}
	if p := got["record"].Params; len(p) != 2 || p[0].Kind != "enum" || p[1].Max != 5 {
		t.Errorf("record params %+v", p)
	}
}

// TestAdminFilesAndProblems: a fixes.d file disables a fix; a broken file
// is named with file:line, to administrators only, and the rest still
// applies.
func TestAdminFilesAndProblems(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("catalog files are trusted only when root owns them")
	}
	l := newLab(t)
	opts := l.options()
	opts.CatalogDir = l.fixesDir(map[string]string{
		"10-off.toml":    "disable = [\"slow\"]\n",
		"20-broken.toml": "disable = [\"record\"]\n\n[[fix]]\nid = 3\n",
	})
	s := l.open(opts)
	list := s.List(true)
	if !slices.Equal(list.Disabled, []string{"slow"}) {
		t.Errorf("disabled %v, want [slow]", list.Disabled)
	}
	for _, f := range list.Items {
		if f.ID == "slow" {
			t.Error("a disabled fix is listed")
		}
	}
	if len(list.CatalogProblems) != 1 || !strings.Contains(list.CatalogProblems[0], "20-broken.toml:4:") {
		t.Errorf("catalog problems %q, want one naming 20-broken.toml:4", list.CatalogProblems)
	}
	if p := s.List(false).CatalogProblems; len(p) != 0 {
		t.Errorf("an ordinary user sees catalog problems %q", p)
	}
	_, err := s.Run(context.Background(), alice, "slow", nil, nil)
	if re := (*runner.RefusedError)(nil); !errors.As(err, &re) || re.Code != runner.CodeDisabled {
		t.Errorf("running a disabled fix: %v", err)
	}
}

func TestRunStreamsProgressAndAudits(t *testing.T) {
	l := newLab(t)
	s := l.open(l.options())
	var events []localapi.FixProgress
	res, err := s.Run(context.Background(), alice, "record", map[string]string{"mode": "slow", "count": "3"},
		func(p localapi.FixProgress) { events = append(events, p) })
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != "success" || res.FixID != "record" || len(res.Steps) != 1 || !strings.Contains(res.Log, "recorded slow 3") {
		t.Errorf("result %+v", res)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Event)
	}
	if !slices.Equal(kinds, []string{"step-started", "output", "step-done"}) || events[1].Line != "recorded slow 3" {
		t.Errorf("progress %+v", events)
	}
	data, err := os.ReadFile(l.marker)
	if err != nil || string(data) != "slow 3\n" {
		t.Errorf("marker %q %v", data, err)
	}
	h, err := s.History(alice.UID, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Items) != 1 || h.Items[0].Result != audit.ResultSuccess || h.Items[0].User != "alice" ||
		h.Items[0].Params["mode"] != "slow" || h.Items[0].Runner != "system" {
		t.Errorf("history %+v", h.Items)
	}
	if other, _ := s.History("1001", false); len(other.Items) != 0 {
		t.Errorf("another user sees %+v", other.Items)
	}
}

// TestRunGoesOnWhenTheCallerLeaves: the caller's context ends mid-run;
// Run returns at once, and the fix still finishes and is audited.
func TestRunGoesOnWhenTheCallerLeaves(t *testing.T) {
	l := newLab(t)
	s := l.open(l.options())
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{}, 1)
	errc := make(chan error, 1)
	go func() {
		_, err := s.Run(ctx, alice, "slow", nil, func(p localapi.FixProgress) {
			if p.Line == "started" {
				started <- struct{}{}
			}
		})
		errc <- err
	}()
	<-started
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after the caller left: %v", err)
	}
	if _, err := os.Stat(l.done); err == nil {
		t.Fatal("the fix finished before the gate opened; the test proves nothing")
	}
	l.openGate()
	waitFor(t, "the audit record of the abandoned run", func() bool {
		recs := l.records(s.AuditPath())
		return len(recs) == 1 && recs[0].Result == audit.ResultSuccess
	})
	if _, err := os.Stat(l.done); err != nil {
		t.Errorf("the fix did not finish: %v", err)
	}
}

// TestCloseStopsRunsAndAuditsThem: Close kills a run in progress, which
// is audited as failed, and refuses new runs.
func TestCloseStopsRunsAndAuditsThem(t *testing.T) {
	l := newLab(t)
	s, err := New(l.options())
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{}, 1)
	errc := make(chan error, 1)
	go func() {
		_, err := s.Run(context.Background(), alice, "slow", nil, func(p localapi.FixProgress) {
			if p.Line == "started" {
				started <- struct{}{}
			}
		})
		errc <- err
	}()
	<-started
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Errorf("the caller of a run stopped by Close: %v", err)
	}
	recs := l.records(l.options().AuditPath)
	if len(recs) != 1 || recs[0].Result != audit.ResultFailed {
		t.Errorf("records %+v, want one failed run", recs)
	}
	if _, err := s.Run(context.Background(), alice, "record", nil, nil); !errors.Is(err, ErrClosed) {
		t.Errorf("run after Close: %v", err)
	}
	if l.ran() {
		t.Error("a run after Close executed")
	}
}

// TestRefusalsAreAuditedAndRunNothing covers what a hostile caller can
// send to Run; each is refused with its code and audited.
func TestRefusalsAreAuditedAndRunNothing(t *testing.T) {
	l := newLab(t)
	opts := l.options()
	opts.RateBurst = 8
	s := l.open(opts)
	tests := []struct {
		name   string
		id     string
		params map[string]string
		code   runner.Code
	}{
		{"unknown id", "rm-rf", nil, runner.CodeUnknownFix},
		{"shell metacharacters", "record", map[string]string{"mode": "fast; touch /tmp/x"}, runner.CodeBadParams},
		{"command substitution", "record", map[string]string{"count": "$(id)"}, runner.CodeBadParams},
		{"traversal", "record", map[string]string{"mode": "../../etc/passwd"}, runner.CodeBadParams},
		{"NUL", "record", map[string]string{"mode": "fast\x00"}, runner.CodeBadParams},
		{"out of range", "record", map[string]string{"count": "6"}, runner.CodeBadParams},
		{"user fix", "user-cache", nil, runner.CodeWrongRunner},
		{"missing program", "missing", nil, runner.CodeUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Run(context.Background(), alice, tt.id, tt.params, nil)
			var re *runner.RefusedError
			if !errors.As(err, &re) || re.Code != tt.code {
				t.Fatalf("err %v, want refusal %s", err, tt.code)
			}
		})
	}
	// The burst is spent: the next request is refused for the rate.
	_, err := s.Run(context.Background(), alice, "record", nil, nil)
	if re := (*runner.RefusedError)(nil); !errors.As(err, &re) || re.Code != runner.CodeRateLimited {
		t.Errorf("over the rate: %v", err)
	}
	recs := l.records(s.AuditPath())
	if len(recs) != len(tests)+1 {
		t.Fatalf("%d records, want %d", len(recs), len(tests)+1)
	}
	for i, r := range recs {
		if r.Result != audit.ResultRefused || r.UID != alice.UID {
			t.Errorf("record %d: %+v", i, r)
		}
	}
	if l.ran() {
		t.Error("a refused request executed the fix")
	}
}

func TestPlanIsSystemFixesOnly(t *testing.T) {
	l := newLab(t)
	s := l.open(l.options())
	p, err := s.Plan(alice, "record", map[string]string{"count": "2"})
	if err != nil {
		t.Fatal(err)
	}
	if p.FixID != "record" || len(p.Steps) != 1 || !strings.HasSuffix(p.Steps[0].Commands[0], "record.sh fast 2") {
		t.Errorf("plan %+v", p)
	}
	_, err = s.Plan(alice, "user-cache", nil)
	if re := (*runner.RefusedError)(nil); !errors.As(err, &re) || re.Code != runner.CodeWrongRunner {
		t.Errorf("plan of a user fix: %v", err)
	}
	if l.ran() {
		t.Error("a plan executed the fix")
	}
}

// TestRateDefaultsMatchConfig keeps the config's documented defaults in
// step with the runner's (config cannot import the runner).
func TestRateDefaultsMatchConfig(t *testing.T) {
	c := config.Defaults()
	if c.Fixes.RateBurst != runner.DefaultRateBurst || c.Fixes.RateRefill.Duration() != runner.DefaultRateRefill {
		t.Errorf("config defaults %d/%s, runner's %d/%s", c.Fixes.RateBurst, c.Fixes.RateRefill,
			runner.DefaultRateBurst, runner.DefaultRateRefill)
	}
}

func TestNewRefusesBadHealthSettings(t *testing.T) {
	l := newLab(t)
	opts := l.options()
	opts.Checks = []string{"disk", "horoscope"}
	if _, err := New(opts); err == nil || !strings.Contains(err.Error(), "horoscope") {
		t.Errorf("unknown check: %v", err)
	}
	opts = l.options()
	opts.Thresholds = health.DefaultThresholds()
	opts.Thresholds.ClockWarn, opts.Thresholds.ClockCrit = time.Hour, time.Minute
	if _, err := New(opts); err == nil {
		t.Error("thresholds out of order accepted")
	}
}
