package pagework

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

// uiQueue stands in for the UI goroutine: what is handed to it waits until
// the test runs it.
type uiQueue struct{ ch chan func() }

func newQueue() *uiQueue { return &uiQueue{ch: make(chan func(), 16)} }

func (q *uiQueue) do(fn func()) { q.ch <- fn }

// next is the next function handed to the UI goroutine.
func (q *uiQueue) next(t *testing.T) func() {
	t.Helper()
	select {
	case fn := <-q.ch:
		return fn
	case <-time.After(5 * time.Second):
		t.Fatal("nothing was handed to the UI goroutine")
		return nil
	}
}

// none checks nothing more is handed to the UI goroutine.
func (q *uiQueue) none(t *testing.T) {
	t.Helper()
	select {
	case <-q.ch:
		t.Fatal("a function was handed to the UI goroutine")
	case <-time.After(50 * time.Millisecond):
	}
}

func TestCloseWaitsForRunningGoroutine(t *testing.T) {
	w := New(newQueue().do)
	release := make(chan struct{})
	var finished atomic.Bool
	cancelled := make(chan struct{})
	w.Go(func(ctx context.Context) {
		<-ctx.Done()
		close(cancelled)
		<-release // still busy after the cancel: cleaning up
		finished.Store(true)
	})

	closed := make(chan struct{})
	go func() {
		w.Close()
		close(closed)
	}()
	<-cancelled
	select {
	case <-closed:
		t.Fatal("Close returned while the goroutine was still running")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return after the goroutine ended")
	}
	if !finished.Load() {
		t.Error("Close returned before the goroutine finished")
	}
}

func TestLoadAppliesOnUIGoroutine(t *testing.T) {
	q := newQueue()
	w := New(q.do)
	defer w.Close()
	var deadline time.Duration
	applied := 0
	w.Load(time.Minute, func(ctx context.Context) func() {
		d, ok := ctx.Deadline()
		if ok {
			deadline = time.Until(d)
		}
		return func() { applied++ }
	})
	fn := q.next(t)
	if applied != 0 {
		t.Fatal("applied before the UI goroutine ran it")
	}
	fn()
	if applied != 1 {
		t.Errorf("applied %d times, want 1", applied)
	}
	if deadline <= 0 || deadline > time.Minute {
		t.Errorf("load's deadline in %v, want within the minute asked for", deadline)
	}
	q.none(t)
}

func TestLoadTimeout(t *testing.T) {
	q := newQueue()
	w := New(q.do)
	defer w.Close()
	var err error
	w.Load(10*time.Millisecond, func(ctx context.Context) func() {
		<-ctx.Done()
		err = ctx.Err()
		return func() {}
	})
	q.next(t)()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("load ended with %v, want the deadline", err)
	}
}

func TestLoadAfterClose(t *testing.T) {
	tests := []struct {
		name string
		// closeAt is when the work closes: while loading, or with the
		// result waiting for the UI goroutine.
		closeAt string
	}{
		{"closed while loading", "load"},
		{"closed before the UI goroutine got to the result", "queued"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newQueue()
			w := New(q.do)
			started := make(chan struct{})
			var loadErr error
			applied := false
			w.Load(time.Minute, func(ctx context.Context) func() {
				close(started)
				if tt.closeAt == "load" {
					<-ctx.Done()
					loadErr = ctx.Err()
				}
				return func() { applied = true }
			})
			<-started
			if tt.closeAt == "queued" {
				fn := q.next(t)
				w.Close()
				fn()
			} else {
				w.Close()
				if !errors.Is(loadErr, context.Canceled) {
					t.Errorf("load ended with %v, want cancelled", loadErr)
				}
				q.none(t)
			}
			if applied {
				t.Error("the result was applied to a closed page")
			}
		})
	}
}

func TestGoAfterCloseRunsWithDoneContext(t *testing.T) {
	w := New(newQueue().do)
	w.Close()
	got := make(chan error, 1)
	w.Go(func(ctx context.Context) { got <- ctx.Err() })
	select {
	case err := <-got:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("ctx.Err() = %v, want cancelled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("fn did not run after Close")
	}
}

func TestPost(t *testing.T) {
	q := newQueue()
	w := New(q.do)
	ran := 0
	w.Post(func() { ran++ })
	q.next(t)()
	if ran != 1 {
		t.Fatalf("ran %d times, want 1", ran)
	}
	w.Close()
	w.Post(func() { ran++ })
	q.none(t)
	if ran != 1 {
		t.Errorf("ran after Close")
	}
}

func TestFlight(t *testing.T) {
	// Each step is Start (s) or Finish (f) and what it must report.
	type step struct {
		op   byte
		want bool
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"one load", []step{{'s', true}, {'f', false}}},
		{"asked during a load runs once more", []step{{'s', true}, {'s', false}, {'f', true}, {'s', true}, {'f', false}}},
		{"asked three times runs once more", []step{{'s', true}, {'s', false}, {'s', false}, {'s', false}, {'f', true}, {'s', true}, {'f', false}}},
		{"asked after a load starts at once", []step{{'s', true}, {'f', false}, {'s', true}, {'f', false}}},
		{"asked during the second round", []step{{'s', true}, {'s', false}, {'f', true}, {'s', true}, {'s', false}, {'f', true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f Flight
			for i, st := range tt.steps {
				var got bool
				if st.op == 's' {
					got = f.Start()
				} else {
					got = f.Finish()
				}
				if got != st.want {
					t.Fatalf("step %d (%c) = %v, want %v", i, st.op, got, st.want)
				}
			}
		})
	}
}

// page refreshes the way the app's pages do, counting its loads.
type page struct {
	work   *Work
	flight Flight
	loads  atomic.Int32
	shown  int32 // the load count on screen
}

func (p *page) Refresh() {
	if !p.flight.Start() {
		return
	}
	p.work.Load(time.Minute, func(context.Context) func() {
		n := p.loads.Add(1)
		return func() {
			p.shown = n
			if p.flight.Finish() {
				p.Refresh()
			}
		}
	})
}

func TestRefreshDuringLoadRunsOnceMore(t *testing.T) {
	q := newQueue()
	p := &page{work: New(q.do)}
	defer p.work.Close()

	p.Refresh()
	p.Refresh() // the service said something changed: the answer may predate it
	p.Refresh()
	q.next(t)()
	q.next(t)()
	q.none(t)
	if got := p.loads.Load(); got != 2 {
		t.Errorf("%d loads, want 2", got)
	}
	if p.shown != 2 {
		t.Errorf("load %d on screen, want the second", p.shown)
	}

	p.Refresh()
	q.next(t)()
	q.none(t)
	if got := p.loads.Load(); got != 3 {
		t.Errorf("%d loads after a quiet refresh, want 3", got)
	}
}

func TestDefaults(t *testing.T) {
	fixed := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	if got := Clock(func() time.Time { return fixed })(); !got.Equal(fixed) {
		t.Errorf("Clock kept %v, want %v", got, fixed)
	}
	if got := Clock(nil)(); time.Since(got) > time.Minute || time.Since(got) < 0 {
		t.Errorf("Clock(nil)() = %v, want now", got)
	}

	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	Logger(log).Info("kept")
	if !bytes.Contains(buf.Bytes(), []byte("kept")) {
		t.Error("Logger did not keep the logger given")
	}
	if Logger(nil) == nil || Logger(nil).Enabled(context.Background(), slog.LevelError) {
		t.Error("Logger(nil) must discard")
	}
}
