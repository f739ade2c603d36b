package metrics

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Sampling defaults and limits.
const (
	DefaultInterval = 10 * time.Second
	MinInterval     = time.Second
	DefaultWindow   = time.Hour
)

// staleAfter is how many intervals may pass between two readings before
// their difference stops describing "the last interval" (the machine slept,
// or reads failed for a while); the sampler then primes again instead of
// recording one long average as if it were a normal sample.
const staleAfter = 3

// failureLogEvery bounds how often a persistently failing source is logged:
// the service samples for ever, and a log line every 10 s would bury
// everything else.
const failureLogEvery = 15 * time.Minute

// Options configure a Sampler. Zero values pick the defaults noted.
type Options struct {
	// Interval between readings: default 10 s, at least 1 s.
	Interval time.Duration
	// Window is how much history the ring holds (default 1 h); its
	// capacity is Window/Interval samples, so memory is fixed up front.
	Window time.Duration
	// Source reads the counters; default NewSource.
	Source Source
	// Logger receives read failures (rate limited); default discards.
	Logger *slog.Logger
	// Now stamps readings; default time.Now. Rates are computed from the
	// difference of two stamps, so tests script it with the counters.
	Now func() time.Time
}

// Sampler reads a Source every interval and keeps the derived samples in a
// Ring. Run it in a goroutine the caller owns; read it from anywhere.
type Sampler struct {
	interval time.Duration
	src      Source
	log      *slog.Logger
	now      func() time.Time
	ring     *Ring
	running  atomic.Bool

	usageMu     sync.Mutex
	usage       map[int32]float64 // replaced, never modified, each interval
	usageWindow time.Duration

	// Owned by the goroutine in Run.
	prev     Counters
	prevAt   time.Time
	primed   bool
	failures failureLog
}

// NewSampler returns a sampler that is not running yet.
func NewSampler(opts Options) *Sampler {
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	opts.Interval = max(opts.Interval, MinInterval)
	if opts.Window <= 0 {
		opts.Window = DefaultWindow
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Source == nil {
		opts.Source = NewSource(SourceOptions{Logger: opts.Logger})
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	capacity := int((opts.Window + opts.Interval - 1) / opts.Interval)
	return &Sampler{
		interval: opts.Interval,
		src:      opts.Source,
		log:      opts.Logger,
		now:      opts.Now,
		ring:     NewRing(max(capacity, 2)),
	}
}

// ErrRunning is returned by Run when the sampler is already running.
var ErrRunning = errors.New("metrics: sampler is already running")

// Run samples until ctx is done, then returns nil. The first reading only
// primes the counters; each later one adds a sample. It blocks: the caller
// owns the goroutine and waits for it.
func (s *Sampler) Run(ctx context.Context) error {
	if !s.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer s.running.Store(false)
	tick := time.NewTicker(s.interval)
	defer tick.Stop()
	for {
		s.step(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// Samples returns the history, oldest first.
func (s *Sampler) Samples() []Sample { return s.ring.Samples() }

// Ring is the history itself, for callers that want Len or Last.
func (s *Sampler) Ring() *Ring { return s.ring }

// Interval is the time between samples, which tells a chart where samples
// are missing.
func (s *Sampler) Interval() time.Duration { return s.interval }

// step takes one reading and, when there is a recent previous one, records
// the sample between them.
func (s *Sampler) step(ctx context.Context) {
	// A read that hangs (a stuck disk, a slow WMI-like call) must not stop
	// the sampler: the next tick gets its own chance.
	rctx, cancel := context.WithTimeout(ctx, s.interval)
	cur, err := s.src.Read(rctx)
	cancel()
	at := s.now()
	if err != nil {
		if ctx.Err() == nil {
			s.failures.failed(s.log, err, at)
		}
		return
	}
	s.failures.recovered(s.log)
	prev, prevAt, primed := s.prev, s.prevAt, s.primed
	s.prev, s.prevAt, s.primed = cur, at, true
	if !primed {
		return
	}
	elapsed := at.Sub(prevAt)
	if elapsed <= 0 || elapsed > staleAfter*s.interval {
		return
	}
	s.ring.Add(derive(prev, cur, elapsed, at.Round(0)))
	s.usageMu.Lock()
	s.usage, s.usageWindow = cur.Usage, elapsed
	s.usageMu.Unlock()
}

// ProcessCPU is every process's CPU use over the last interval, in percent
// of one core, so a snapshot lists the busiest processes without waiting
// to measure. ok is false until an interval has been measured, and on
// systems whose source cannot tell. The map must not be modified.
func (s *Sampler) ProcessCPU() (byPID map[int32]float64, window time.Duration, ok bool) {
	s.usageMu.Lock()
	defer s.usageMu.Unlock()
	return s.usage, s.usageWindow, s.usage != nil
}

// failureLog logs the first of a run of read failures, then at most once
// per failureLogEvery, and once more when reads work again.
type failureLog struct {
	count    int
	lastLog  time.Time
	firstErr time.Time
}

func (f *failureLog) failed(log *slog.Logger, err error, at time.Time) {
	f.count++
	if f.count == 1 {
		f.firstErr, f.lastLog = at, at
		log.Warn("metrics: reading system counters failed; samples are skipped until it works", "err", err)
		return
	}
	if at.Sub(f.lastLog) >= failureLogEvery {
		f.lastLog = at
		log.Warn("metrics: reading system counters still fails",
			"err", err, "failures", f.count, "since", f.firstErr.Format(time.RFC3339))
	}
}

func (f *failureLog) recovered(log *slog.Logger) {
	if f.count == 0 {
		return
	}
	log.Info("metrics: reading system counters works again", "failures", f.count)
	*f = failureLog{}
}
