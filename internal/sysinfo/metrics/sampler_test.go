package metrics

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeSource returns scripted readings in order, then repeats the last.
type fakeSource struct {
	mu    sync.Mutex
	steps []fakeRead
	reads int
}

type fakeRead struct {
	c   Counters
	err error
}

func (f *fakeSource) Read(ctx context.Context) (Counters, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.steps[min(f.reads, len(f.steps)-1)]
	f.reads++
	return r.c, r.err
}

// fakeClock advances only when told.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *fakeClock                   { return &fakeClock{t: time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)} }
func counters(busy, total, read, rx uint64) Counters {
	return Counters{
		CPUBusy: time.Duration(busy) * time.Second, CPUTotal: time.Duration(total) * time.Second,
		MemTotal: 1000, MemUsed: 400, DiskRead: read, NetRx: rx, Disks: 1, Nets: 1,
	}
}

func TestSamplerRates(t *testing.T) {
	src := &fakeSource{steps: []fakeRead{
		{c: counters(10, 100, 0, 0)},
		{c: counters(15, 120, 1e6, 5e5)},         // 25 % CPU, 100 kB/s read, 50 kB/s in
		{c: counters(35, 140, 3e6, 5e5)},         // 100 % CPU, 200 kB/s
		{c: counters(35, 160, 2e6, 4e5)},         // counters went back: 0, never negative
		{c: Counters{CPUBusy: 40 * time.Second}}, // CPU total went back, memory unknown
	}}
	clock := newClock()
	s := NewSampler(Options{Interval: 10 * time.Second, Window: time.Minute, Source: src, Now: clock.now})
	ctx := context.Background()
	s.step(ctx)
	if s.Ring().Len() != 0 {
		t.Fatalf("the first reading added a sample; it should only prime")
	}
	for range 4 {
		clock.advance(10 * time.Second)
		s.step(ctx)
	}
	got := s.Samples()
	t0 := newClock().t
	want := []Sample{
		{At: t0.Add(10 * time.Second), CPUPercent: 25, MemUsedPercent: 40, MemUsedBytes: 400, DiskReadBps: 1e5, NetRxBps: 5e4},
		{At: t0.Add(20 * time.Second), CPUPercent: 100, MemUsedPercent: 40, MemUsedBytes: 400, DiskReadBps: 2e5},
		{At: t0.Add(30 * time.Second), CPUPercent: 0, MemUsedPercent: 40, MemUsedBytes: 400},
		{At: t0.Add(40 * time.Second)},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d samples, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sample %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestSamplerCapacity(t *testing.T) {
	tests := []struct {
		interval, window time.Duration
		wantInterval     time.Duration
		wantCap          int
	}{
		{0, 0, 10 * time.Second, 360},
		{5 * time.Second, time.Hour, 5 * time.Second, 720},
		{time.Millisecond, time.Minute, time.Second, 60},   // below the minimum interval
		{7 * time.Second, time.Minute, 7 * time.Second, 9}, // rounds up: the window is covered
		{time.Minute, time.Second, time.Minute, 2},
	}
	for _, tt := range tests {
		s := NewSampler(Options{Interval: tt.interval, Window: tt.window, Source: &fakeSource{}})
		if s.Interval() != tt.wantInterval || s.Ring().Cap() != tt.wantCap {
			t.Errorf("Interval %v Window %v: got interval %v cap %d, want %v %d",
				tt.interval, tt.window, s.Interval(), s.Ring().Cap(), tt.wantInterval, tt.wantCap)
		}
	}
}

func TestSamplerSkipsFailuresAndStaleGaps(t *testing.T) {
	boom := errors.New("boom")
	src := &fakeSource{steps: []fakeRead{
		{c: counters(0, 10, 0, 0)},
		{err: boom},                           // skipped, prev kept
		{c: counters(10, 30, 2e6, 0)},         // 20 s since prev: still a sample
		{err: boom}, {err: boom}, {err: boom}, // 40 s without a reading
		{c: counters(20, 60, 4e6, 0)}, // too long since prev: primes again
		{c: counters(25, 70, 5e6, 0)},
	}}
	clock := newClock()
	s := NewSampler(Options{Interval: 10 * time.Second, Source: src, Now: clock.now})
	for i := range len(src.steps) {
		if i > 0 {
			clock.advance(10 * time.Second)
		}
		s.step(context.Background())
	}
	got := s.Samples()
	if len(got) != 2 {
		t.Fatalf("got %d samples, want 2: %+v", len(got), got)
	}
	if got[0].CPUPercent != 50 || got[0].DiskReadBps != 1e5 {
		t.Errorf("sample over a failed read = %+v, want 50 %% and 100 kB/s over 20 s", got[0])
	}
	if got[1].CPUPercent != 50 || got[1].DiskReadBps != 1e5 || !got[1].At.Equal(clock.t) {
		t.Errorf("sample after re-priming = %+v", got[1])
	}
}

func TestSamplerLogsFailuresRateLimited(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	steps := []fakeRead{{c: counters(0, 10, 0, 0)}}
	for range 100 { // 1000 s of failures: the first, then one after 15 minutes
		steps = append(steps, fakeRead{err: errors.New("disk on fire")})
	}
	steps = append(steps, fakeRead{c: counters(1, 20, 0, 0)})
	clock := newClock()
	s := NewSampler(Options{Interval: 10 * time.Second, Source: &fakeSource{steps: steps}, Now: clock.now, Logger: log})
	for range steps {
		s.step(context.Background())
		clock.advance(10 * time.Second)
	}
	out := buf.String()
	if n := strings.Count(out, "level=WARN"); n != 2 {
		t.Errorf("%d warnings for 100 failures over 1000 s, want 2:\n%s", n, out)
	}
	if !strings.Contains(out, "disk on fire") || !strings.Contains(out, "failures=91") {
		t.Errorf("warnings lack the error or the count:\n%s", out)
	}
	if n := strings.Count(out, "works again"); n != 1 || !strings.Contains(out, "failures=100") {
		t.Errorf("recovery logged %d times, want once with failures=100:\n%s", n, out)
	}
}

// blockingSource blocks until its context ends, like a hung disk query.
type blockingSource struct{ calls chan struct{} }

func (b blockingSource) Read(ctx context.Context) (Counters, error) {
	b.calls <- struct{}{}
	<-ctx.Done()
	return Counters{}, ctx.Err()
}

func TestRunStopsPromptlyOnCancel(t *testing.T) {
	for _, tt := range []struct {
		name string
		src  Source
	}{
		{"idle between ticks", &fakeSource{steps: []fakeRead{{c: counters(0, 1, 0, 0)}}}},
		{"inside a hung read", blockingSource{calls: make(chan struct{}, 1)}},
	} {
		s := NewSampler(Options{Interval: time.Hour, Source: tt.src})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		if b, ok := tt.src.(blockingSource); ok {
			<-b.calls
		} else {
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s: Run returned %v after cancel, want nil", tt.name, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: Run did not return after cancel", tt.name)
		}
	}
}

func TestRunSamplesAndRefusesASecondRun(t *testing.T) {
	src := &fakeSource{steps: []fakeRead{{c: counters(0, 10, 0, 0)}, {c: counters(5, 20, 0, 0)}}}
	s := NewSampler(Options{Interval: MinInterval, Source: src})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for s.Ring().Len() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if err := s.Run(ctx); !errors.Is(err, ErrRunning) {
		t.Errorf("second Run = %v, want ErrRunning", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got := s.Samples()
	if len(got) == 0 || got[0].CPUPercent != 50 {
		t.Fatalf("after one interval: samples %+v, want one at 50 %%", got)
	}
}
