package fixes

import (
	"context"
	"sync"

	"github.com/firstline-it/firstline/internal/fixes/runner"
	"github.com/firstline-it/firstline/internal/localapi"
)

// Run runs the system fix id for caller and calls progress, from the
// calling goroutine, for each progress report while ctx lasts.
//
// The run itself belongs to the service, not to ctx: when the caller hangs
// up (ctx ends) Run returns ctx's error at once, and the run goes on to its
// end and its audit record. A refusal is a *runner.RefusedError, returned
// before any progress. A run whose audit record could not be written still
// returns its result; the failure is logged as the service's own.
func (s *Service) Run(ctx context.Context, caller runner.Caller, id string, params map[string]string,
	progress func(localapi.FixProgress)) (*localapi.FixResult, error) {
	st := &stream{wake: make(chan struct{}, 1), done: make(chan struct{})}
	if err := s.start(runner.Request{FixID: id, Params: params, Caller: caller}, st); err != nil {
		return nil, err
	}
	for {
		var finished bool
		select {
		case <-st.wake:
		case <-st.done:
			finished = true
		case <-ctx.Done():
			st.detach()
			s.log.Info("caller left a fix run; it goes on", "fix", id, "uid", caller.UID)
			return nil, ctx.Err()
		}
		for _, p := range st.take() {
			if progress != nil {
				progress(localapi.NewFixProgress(p))
			}
		}
		if finished {
			return st.outcome()
		}
	}
}

// start runs req in the background under the service's context, tracked so
// Close waits for it.
func (s *Service) start(req runner.Request, st *stream) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.runs.Go(func() {
		res, err := s.runner.Run(s.ctx, req, st.push)
		if res != nil && err != nil {
			// The fix ran but its record is missing: that is the
			// service's problem to report, not the caller's.
			s.log.Error("a fix ran but its audit record was not written", "fix", req.FixID,
				"uid", req.Caller.UID, "err", err)
		}
		st.finish(res, err)
	})
	return nil
}

// stream carries one run's progress from the runner's goroutine to the
// caller's. The runner must never wait for a slow or gone client, so
// reports are queued; the queue is bounded by the runner's output cap per
// step, and dropped once the caller has left.
type stream struct {
	wake chan struct{} // a report is queued (capacity 1: wakes coalesce)
	done chan struct{} // closed once res and err are set

	mu       sync.Mutex
	queue    []runner.Progress
	detached bool
	res      *runner.Result
	err      error
}

func (st *stream) push(p runner.Progress) {
	st.mu.Lock()
	if !st.detached {
		st.queue = append(st.queue, p)
	}
	st.mu.Unlock()
	select {
	case st.wake <- struct{}{}:
	default:
	}
}

func (st *stream) take() []runner.Progress {
	st.mu.Lock()
	defer st.mu.Unlock()
	q := st.queue
	st.queue = nil
	return q
}

func (st *stream) detach() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.detached = true
	st.queue = nil
}

func (st *stream) finish(res *runner.Result, err error) {
	st.mu.Lock()
	st.res, st.err = res, err
	st.mu.Unlock()
	close(st.done)
}

// outcome is the run's result on the wire, or its refusal.
func (st *stream) outcome() (*localapi.FixResult, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.res == nil {
		return nil, st.err
	}
	return localapi.NewFixResult(st.res), nil
}
