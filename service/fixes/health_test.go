package fixes

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/fixes/health"
	"github.com/firstline-it/firstline/internal/localapi"
)

func TestHealthRunsChecksOnCachedInput(t *testing.T) {
	l := newLab(t)
	clk := newClock()
	src := &inputs{}
	src.set(health.Input{DiskFreePct: health.Known(3.0), DiskPath: "/", FirewallOn: health.Known(false)})
	opts := l.options()
	opts.Now, opts.Health = clk.Now, src.gather
	opts.Checks = []string{"disk", "firewall", "clock"}
	s := l.open(opts)
	ctx := context.Background()

	rep, err := s.Health(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range rep.Checks {
		names = append(names, c.Name)
	}
	if len(rep.Checks) != 3 || rep.Checks[0].Name != "disk" || rep.Checks[0].Status != "critical" || rep.Checks[0].FixID != "free-disk-space" {
		t.Errorf("checks %v: %+v", names, rep.Checks)
	}
	// Disk and firewall are critical; the clock was not measured (unknown).
	if rep.Worst != "critical" || rep.Summary() != (localapi.HealthSummary{Critical: 2}) || rep.Checks[1].Name != "clock" || rep.Checks[1].Status != "unknown" {
		t.Errorf("worst %s summary %+v", rep.Worst, rep.Summary())
	}
	if !rep.Checked.Equal(clk.Now()) {
		t.Errorf("checked %s", rep.Checked)
	}
	one, err := s.Health(ctx, "disk")
	if err != nil || len(one.Checks) != 1 || one.Checks[0].Name != "disk" {
		t.Fatalf("one check: %+v %v", one, err)
	}
	if n := src.count(); n != 1 {
		t.Errorf("%d measurements for two requests within the cache's life, want 1", n)
	}
	clk.Advance(6 * time.Second)
	if _, err := s.Health(ctx); err != nil {
		t.Fatal(err)
	}
	if n := src.count(); n != 2 {
		t.Errorf("%d measurements after the cache expired, want 2", n)
	}
	for _, bad := range []string{"battery", "nope", "disk;reboot"} {
		if _, err := s.Health(ctx, bad); !errors.Is(err, ErrUnknownCheck) {
			t.Errorf("check %q: %v, want ErrUnknownCheck", bad, err)
		}
	}
}

// TestHealthFloodCostsOneMeasurement: requests arriving together share
// one measurement.
func TestHealthFloodCostsOneMeasurement(t *testing.T) {
	l := newLab(t)
	src := &inputs{}
	opts := l.options()
	opts.Health = func(ctx context.Context) health.Input {
		time.Sleep(20 * time.Millisecond)
		return src.gather(ctx)
	}
	s := l.open(opts)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if _, err := s.Health(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := src.count(); n != 1 {
		t.Errorf("%d measurements for 50 requests at once, want 1", n)
	}
}

func TestNoChecks(t *testing.T) {
	l := newLab(t)
	src := &inputs{}
	opts := l.options()
	opts.Health, opts.Checks = src.gather, []string{}
	s := l.open(opts)
	rep, err := s.Health(context.Background())
	if err != nil || len(rep.Checks) != 0 || rep.Worst != "ok" || src.count() != 0 {
		t.Errorf("report %+v err %v, %d measurements", rep, err, src.count())
	}
}

// TestRunHealthReportsChanges: the loop tells OnHealth the first summary
// and each change, not every run.
func TestRunHealthReportsChanges(t *testing.T) {
	l := newLab(t)
	src := &inputs{}
	src.set(health.Input{DiskFreePct: health.Known(50.0)})
	got := make(chan localapi.HealthSummary, 10)
	opts := l.options()
	opts.Health, opts.Checks = src.gather, []string{"disk"}
	opts.HealthFirst, opts.HealthInterval, opts.HealthCacheTTL = time.Millisecond, 5*time.Millisecond, time.Nanosecond
	opts.OnHealth = func(s localapi.HealthSummary) { got <- s }
	s := l.open(opts)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := s.RunHealth(ctx); err != nil {
			t.Error(err)
		}
	})
	defer wg.Wait()
	defer cancel()

	next := func() localapi.HealthSummary {
		t.Helper()
		select {
		case sum := <-got:
			return sum
		case <-time.After(10 * time.Second):
			t.Fatal("no health summary")
			return localapi.HealthSummary{}
		}
	}
	if sum := next(); sum != (localapi.HealthSummary{}) {
		t.Errorf("first summary %+v, want all ok", sum)
	}
	waitFor(t, "a few more runs", func() bool { return src.count() >= 4 })
	select {
	case sum := <-got:
		t.Errorf("summary %+v reported without a change", sum)
	default:
	}
	src.set(health.Input{DiskFreePct: health.Known(2.0)})
	if sum := next(); sum != (localapi.HealthSummary{Critical: 1}) {
		t.Errorf("after the disk filled: %+v", sum)
	}
}
