// Package pagework owns the background work of a page: the goroutines
// that wait on the service off the UI goroutine, the hand-over of their
// results to it, and the single-flight loads a page refreshes with.
//
// Every page does its waiting the same way, and the same ways of getting
// it wrong (a result applied to a closed page, a Close that returns while
// a request still runs, a refresh that is lost while a load is under way)
// are fixed once here.
package pagework

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// Work is the background work of one page. Its methods are called on the
// UI goroutine; Go and Post may also be called from the work's own
// goroutines.
type Work struct {
	do   func(fn func())
	ctx  context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup
}

// New starts the work of a page that hands results to the UI goroutine
// with do; nil means fyne.Do. Tests pass a queue to decide when the UI
// goroutine gets to them.
func New(do func(fn func())) *Work {
	if do == nil {
		do = fyne.Do
	}
	ctx, stop := context.WithCancel(context.Background())
	return &Work{do: do, ctx: ctx, stop: stop}
}

// Go runs fn on a goroutine the work owns: ctx ends at Close, and Close
// waits for fn to return. Once the work is closed fn still runs, its ctx
// already done, so that it releases what it was handed (a file the
// picker opened).
func (w *Work) Go(fn func(ctx context.Context)) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		fn(w.ctx)
	}()
}

// Load runs load on a goroutine of the work, bounded by timeout, and the
// function it returns on the UI goroutine. The result is dropped once the
// work is closed: the page it would change is gone.
func (w *Work) Load(timeout time.Duration, load func(ctx context.Context) (apply func())) {
	w.Go(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		w.Post(load(ctx))
	})
}

// Post runs fn on the UI goroutine unless the work is closed, either now
// or by the time the UI goroutine gets to it.
func (w *Work) Post(fn func()) {
	if w.ctx.Err() != nil {
		return
	}
	w.do(func() {
		if w.ctx.Err() == nil {
			fn()
		}
	})
}

// Close cancels the work's requests and waits for its goroutines to end.
func (w *Work) Close() {
	w.stop()
	w.wg.Wait()
}

// Flight makes a page's load single-flight without losing a request: one
// asked for while a load is under way runs once more after it, because
// the answer on its way may predate the change that prompted the ask.
// Its methods are called on the UI goroutine.
type Flight struct {
	running bool
	again   bool
}

// Start reports whether a load may start now. While one is under way it
// says no and remembers to run once more when that one finishes.
func (f *Flight) Start() bool {
	if f.running {
		f.again = true
		return false
	}
	f.running = true
	return true
}

// Finish ends the load under way and reports whether another was asked
// for meanwhile; the caller starts it, and Start then says yes.
func (f *Flight) Finish() (again bool) {
	f.running = false
	again, f.again = f.again, false
	return again
}

// Clock is now, or time.Now when nil: pages take a clock so that tests can
// fix the time they show.
func Clock(now func() time.Time) func() time.Time {
	if now == nil {
		return time.Now
	}
	return now
}

// Logger is log, or a logger that discards when nil, so a page logs
// without asking whether anyone listens.
func Logger(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}
