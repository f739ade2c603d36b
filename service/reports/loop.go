package reports

import (
	"context"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/report/spool"
)

// idleRecheck is how soon the loop looks again at a report that is due but
// that it could not start (its content unreadable for a moment): never a
// busy loop, never a long wait.
const idleRecheck = time.Second

// holdOff is how long a report whose content could not be read waits
// before the next try.
const holdOff = time.Minute

// Run delivers reports until ctx ends, then returns nil. It owns its
// workers and the status read-back, and returns only once they have
// stopped; a delivery cut short by the stop is not counted as a failure and
// is made again by the next Run.
func (p *Pipeline) Run(ctx context.Context) error {
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range p.opts.Workers {
		wg.Go(func() {
			for j := range jobs {
				p.process(ctx, j.key, j.at)
				p.release(j.key)
			}
		})
	}
	wg.Go(func() { p.housekeep(ctx) })
	defer wg.Wait()
	defer close(jobs)

	p.log.Info("report delivery started", "workers", p.opts.Workers)
	p.finishDelivered(ctx)
	for {
		p.dispatch(ctx, jobs)
		if !p.sleep(ctx) {
			p.log.Info("report delivery stopping")
			return nil
		}
	}
}

// job is a report to work on, with the time of the walk that found it
// due.
type job struct {
	key report.Key
	at  time.Time
}

// dispatch hands every due report to the workers, oldest first. The walk
// holds no lock while it waits for a free worker, so a large backlog is
// one long walk rather than many short ones. Workers decide as of the
// walk's time: a destination that starts accepting again mid-walk is
// first tried by the next walk, with the oldest report, which keeps the
// queue in order when it resumes.
func (p *Pipeline) dispatch(ctx context.Context, jobs chan<- job) {
	at := p.opts.Now()
	for rec := range p.spool.Due(at) {
		if !p.claim(rec.Key) {
			continue
		}
		select {
		case jobs <- job{key: rec.Key, at: at}:
		case <-ctx.Done():
			p.release(rec.Key)
			return
		}
	}
}

// claim marks key in flight; false when it is already, or held back.
func (p *Pipeline) claim(key report.Key) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.inflight[key] {
		return false
	}
	if until, held := p.hold[key]; held {
		if p.opts.Now().Before(until) {
			return false
		}
		delete(p.hold, key)
	}
	p.inflight[key] = true
	return true
}

// release ends key's turn and tells the loop a worker is free.
func (p *Pipeline) release(key report.Key) {
	p.mu.Lock()
	delete(p.inflight, key)
	p.mu.Unlock()
	select {
	case p.finished <- struct{}{}:
	default:
	}
}

// holdBack keeps key from being tried for a while.
func (p *Pipeline) holdBack(key report.Key) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hold[key] = p.opts.Now().Add(holdOff)
}

// sleep waits until something may be due: a new or retried report, a
// worker finishing, or the next report's time. It returns false when ctx
// ends.
func (p *Pipeline) sleep(ctx context.Context) bool {
	var timer <-chan time.Time
	if next, ok := p.spool.NextDue(); ok {
		wait := next.Sub(p.opts.Now())
		if wait <= 0 {
			// Due already, so in flight (a worker finishing wakes
			// us) or held back.
			wait = idleRecheck
			if p.busy() {
				wait = -1
			}
		}
		if wait > 0 {
			t := time.NewTimer(wait)
			defer t.Stop()
			timer = t.C
		}
	}
	select {
	case <-ctx.Done():
		return false
	case <-p.wake:
	case <-p.finished:
	case <-timer:
	}
	return true
}

// busy reports whether a worker is on a report.
func (p *Pipeline) busy() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.inflight) > 0
}

// finishDelivered archives the reports a destination has but that are not
// archived yet: the service stopped between recording the delivery and
// archiving it. They are no longer due (nothing is pending), so the walk
// of due reports would never see them.
func (p *Pipeline) finishDelivered(ctx context.Context) {
	for rec := range p.spool.All(spool.Filter{SkipArchived: true, States: []report.Overall{report.OverallSent}}) {
		if ctx.Err() != nil {
			return
		}
		if dest := deliveredTo(rec.State); dest != "" && p.claim(rec.Key) {
			p.finish(ctx, rec, dest)
			p.release(rec.Key)
		}
	}
}
