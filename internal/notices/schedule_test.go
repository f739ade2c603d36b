package notices

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"
)

// fixedSource makes rand.Float64 return a chosen value: Float64 uses the
// low 53 bits of Uint64.
type fixedSource uint64

func (s fixedSource) Uint64() uint64 { return uint64(s) }

func float(f float64) *rand.Rand { return rand.New(fixedSource(uint64(f * (1 << 53)))) }

func TestNextDelay(t *testing.T) {
	const iv = 5 * time.Minute
	tests := []struct {
		name     string
		interval time.Duration
		failures int
		r        float64
		want     time.Duration
	}{
		{"success, middle", iv, 0, 0.5, iv},
		{"success, low end", iv, 0, 0, iv * 85 / 100},
		{"success, high end", iv, 0, 0.999, 345 * time.Second},
		{"one failure doubles", iv, 1, 0.5, 2 * iv},
		{"two", iv, 2, 0.5, 4 * iv},
		{"three reaches the cap", iv, 3, 0.5, 8 * iv},
		{"capped", iv, 4, 0.5, 8 * iv},
		{"capped, many", iv, 1 << 30, 0.5, 8 * iv},
		{"cap holds after jitter (reflected)", iv, 5, 0.75, 8 * iv * 925 / 1000},
		{"cap, low end", iv, 5, 0, 8 * iv * 85 / 100},
		{"no interval: the default", 0, 0, 0.5, DefaultPollInterval},
	}
	for _, tt := range tests {
		got := NextDelay(tt.interval, tt.failures, float(tt.r))
		if diff := got - tt.want; diff < -time.Second || diff > time.Second {
			t.Errorf("%s: NextDelay(%v, %d, %v) = %v, want %v", tt.name, tt.interval, tt.failures, tt.r, got, tt.want)
		}
	}
}

func TestNextDelayBoundsAndSpread(t *testing.T) {
	const iv = time.Minute
	rnd := rand.New(rand.NewPCG(1, 2))
	for failures := range 12 {
		base := iv << min(failures, 3)
		lo, hi := time.Duration(float64(base)*0.85), min(time.Duration(float64(base)*1.15), 8*iv)
		var sum time.Duration
		minSeen, maxSeen := time.Duration(1<<62), time.Duration(0)
		const n = 5000
		for range n {
			d := NextDelay(iv, failures, rnd)
			if d < lo || d > hi {
				t.Fatalf("failures %d: %v outside [%v, %v]", failures, d, lo, hi)
			}
			sum += d
			minSeen, maxSeen = min(minSeen, d), max(maxSeen, d)
		}
		// The spread is used, not collapsed onto one value.
		if failures == 0 {
			if minSeen > iv*86/100 || maxSeen < iv*114/100 {
				t.Errorf("spread [%v, %v], want close to [51s, 69s]", minSeen, maxSeen)
			}
			if mean := sum / n; mean < iv*99/100 || mean > iv*101/100 {
				t.Errorf("mean %v, want %v within 1%%", mean, iv)
			}
		}
	}
}

func TestRunChecksNowAtOnceButNotInALoop(t *testing.T) {
	f := newPollFixture(t, func(o *PollerOptions) {
		o.Interval = time.Hour // no scheduled poll during the test
		o.MinCheckNow = time.Hour
	})
	f.publish(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	checkNow := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- f.poller.Run(ctx, checkNow) }()

	checkNow <- struct{}{}
	waitFor(t, func() bool { n, _ := f.srv.hits(); return n == 1 })
	// The channel is unbuffered: when the third send returns, Run has
	// handled the second, so both were ignored without a poll.
	checkNow <- struct{}{}
	checkNow <- struct{}{}
	if n, _ := f.srv.hits(); n != 1 {
		t.Errorf("%d feed requests after three checks in a row, want 1", n)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}

func TestRunPollsOnScheduleWithOneRequestEach(t *testing.T) {
	f := newPollFixture(t, func(o *PollerOptions) {
		o.Interval = 50 * time.Millisecond
		o.minInterval = time.Millisecond
	})
	f.publish(t, 1)
	runFor(t, f.poller, 600*time.Millisecond)
	feed, sig := f.srv.hits()
	// About 12 polls at 50 ms ± 15 %; fewer on a loaded machine, never
	// more (no hot loop). The feed changed once, so one signature fetch.
	if feed < 3 || feed > 14 || sig != 1 {
		t.Errorf("feed requests %d, signature requests %d; want 3..14 and 1", feed, sig)
	}
}

func TestRunBacksOffOnErrors(t *testing.T) {
	f := newPollFixture(t, func(o *PollerOptions) {
		o.Interval = 100 * time.Millisecond
		o.minInterval = time.Millisecond
	})
	f.srv.status = http.StatusInternalServerError
	runFor(t, f.poller, time.Second)
	// Polls at about 0, 200, 600 ms (delays 200, 400, 800 ms): 3, not
	// the 10 a fixed interval would make.
	if feed, _ := f.srv.hits(); feed < 2 || feed > 4 {
		t.Errorf("%d feed requests in 1 s with backoff, want 2..4", feed)
	}
	if s := f.poller.Status(); s.Failures < 2 {
		t.Errorf("failures = %d", s.Failures)
	}
}

// runFor runs p for d and waits for Run to return.
func runFor(t *testing.T, p *Poller, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := p.Run(ctx, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run = %v", err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
