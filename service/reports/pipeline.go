package reports

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/report/spool"
	"github.com/firstline-it/firstline/service/events"
)

// Options configure a Pipeline. Zero values pick the defaults noted.
type Options struct {
	// Dir is the spool folder; the caller creates it with privdir first
	// so that it is private on every OS.
	Dir string
	// Limits bound what a submission may carry (default
	// report.DefaultLimits).
	Limits report.Limits
	// MaxBytes, MaxReports and KeepDelivered bound the spool (defaults
	// those of package spool).
	MaxBytes      int64
	MaxReports    int
	KeepDelivered time.Duration
	// Chain is the route of every report; Backends has one backend per
	// destination it names.
	Chain    delivery.Chain
	Backends []delivery.Backend
	// Backoff spaces retries (default delivery.DefaultBackoff).
	Backoff delivery.Backoff
	// AttemptTimeout bounds one delivery attempt, as a backstop to the
	// backends' own timeouts (default 10 minutes).
	AttemptTimeout time.Duration
	// Workers is how many reports are delivered at once (default 4).
	Workers int
	// StatusInterval is how often helpdesk statuses are read back
	// (default 5 minutes).
	StatusInterval time.Duration
	// Hostname names this computer in subjects when a report carries no
	// snapshot (default os.Hostname).
	Hostname string
	// Hub receives the report counts; nil publishes nothing.
	Hub    *events.Hub
	Logger *slog.Logger
	// Now is the clock and Rand the jitter source (tests).
	Now  func() time.Time
	Rand delivery.Rand
}

// Defaults of Options.
const (
	DefaultAttemptTimeout = 10 * time.Minute
	DefaultWorkers        = 4
	DefaultStatusInterval = 5 * time.Minute
)

// Pipeline is the spool plus its delivery loop. Submit, List, Get, Retry
// and Counts may be called from any goroutine, before, during and after
// Run.
type Pipeline struct {
	opts     Options
	log      *slog.Logger
	spool    *spool.Spool
	backends map[string]delivery.Backend

	// wake nudges the loop (a new report, a retry); finished tells it a
	// worker is done with a report.
	wake     chan struct{}
	finished chan struct{}

	mu       sync.Mutex
	inflight map[report.Key]bool
	hold     map[report.Key]time.Time // reports whose content could not be read, until
	gates    map[string]gate
	classes  map[report.Key]tracked
	counts   map[string]localapi.ReportSummary
	total    localapi.ReportSummary
}

// Open opens the spool in opts.Dir (repairing what a crash left) and
// checks that every destination of the chain has a backend. Nothing is
// delivered until Run.
func Open(opts Options) (*Pipeline, error) {
	if opts.Limits == (report.Limits{}) {
		opts.Limits = report.DefaultLimits()
	}
	if opts.Backoff == (delivery.Backoff{}) {
		opts.Backoff = delivery.DefaultBackoff()
	}
	if opts.AttemptTimeout <= 0 {
		opts.AttemptTimeout = DefaultAttemptTimeout
	}
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.StatusInterval <= 0 {
		opts.StatusInterval = DefaultStatusInterval
	}
	if opts.Hostname == "" {
		opts.Hostname, _ = os.Hostname()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rand == nil {
		opts.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	backends := map[string]delivery.Backend{}
	for _, b := range opts.Backends {
		backends[b.Name()] = b
	}
	if err := opts.Chain.Validate(func(name string) bool { return backends[name] != nil }); err != nil {
		return nil, fmt.Errorf("checking the delivery route: %w", err)
	}
	log := opts.Logger.With("component", "reports")
	sp, err := spool.Open(opts.Dir, spool.Options{
		MaxBytes: opts.MaxBytes, MaxReports: opts.MaxReports, KeepArchived: opts.KeepDelivered,
		Logger: log, Now: opts.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("opening the report spool: %w", err)
	}
	p := &Pipeline{
		opts: opts, log: log, spool: sp, backends: backends,
		wake: make(chan struct{}, 1), finished: make(chan struct{}, 1),
		inflight: map[report.Key]bool{}, hold: map[report.Key]time.Time{}, gates: map[string]gate{},
		classes: map[report.Key]tracked{}, counts: map[string]localapi.ReportSummary{},
	}
	for rec := range sp.All(spool.Filter{SkipArchived: true}) {
		p.track(rec)
	}
	st := sp.Stats()
	log.Info("report spool ready", "dir", opts.Dir, "waiting", st.Waiting, "needs_attention", st.NeedsAttention,
		"records", st.Reports, "route", routeNames(opts.Chain))
	return p, nil
}

// Close releases the spool once writes in progress have finished. Call it
// after Run has returned.
func (p *Pipeline) Close() error { return p.spool.Close() }

// Limits are the limits submissions are decoded and checked with.
func (p *Pipeline) Limits() report.Limits { return p.opts.Limits }

// Submit stores a report from who and returns once it is durable. The
// owner is who, whatever the submission says (it cannot say anything: the
// decoder refuses "owner"). Errors a caller tells apart with errors.Is:
// spool.ErrKeyInUse (the key belongs to another user's report; say no
// more), spool.ErrFull (nothing was saved; the error says so in the
// employee's words) and a *report.FieldError for an invalid submission.
func (p *Pipeline) Submit(ctx context.Context, who localapi.Identity, s report.Submission) (localapi.SubmitResult, error) {
	if who.UID == "" {
		return localapi.SubmitResult{}, errors.New("storing a report: the caller has no identity")
	}
	r := report.NewReport(s, report.Owner{UID: who.UID, Name: who.Username}, p.opts.Now())
	if err := r.Validate(p.opts.Limits); err != nil {
		return localapi.SubmitResult{}, err
	}
	rec, err := p.spool.Put(ctx, r)
	switch {
	case errors.Is(err, spool.ErrExists):
		p.log.InfoContext(ctx, "report handed over again; already saved", "key", rec.Key, "reference", rec.Reference, "uid", who.UID)
		return localapi.SubmitResult{Record: rec, Existing: true}, nil
	case err != nil:
		return localapi.SubmitResult{}, err
	}
	p.track(rec)
	p.nudge()
	p.log.InfoContext(ctx, "report saved", "key", rec.Key, "reference", rec.Reference, "uid", who.UID,
		"pid", who.PID, "size", rec.Size, "attachments", len(rec.Attachments))
	return localapi.SubmitResult{Record: rec}, nil
}

// List returns reports newest first: uid's, or everybody's when uid is
// empty (the caller checks that only an administrator asks for that).
func (p *Pipeline) List(uid string) []report.Record {
	recs := p.spool.List(spool.Filter{Owner: uid})
	slices.Reverse(recs)
	return recs
}

// Get returns the record of key, or an error wrapping spool.ErrNotFound.
// It does not check who asks.
func (p *Pipeline) Get(key report.Key) (report.Record, error) {
	return p.spool.Get(key)
}

// Retry puts a report's stuck or waiting destinations back in the queue
// for an attempt now, past any wait for a failing destination: what IT
// does after fixing the cause. A delivered or damaged report is returned
// unchanged.
func (p *Pipeline) Retry(ctx context.Context, key report.Key) (report.Record, error) {
	var names []string
	rec, err := p.spool.UpdateState(ctx, key, func(st *report.State) error {
		for _, d := range st.Destinations {
			names = append(names, d.Name)
		}
		st.Retry()
		return nil
	})
	if err != nil {
		return report.Record{}, err
	}
	p.mu.Lock()
	for _, name := range names {
		delete(p.gates, name)
	}
	delete(p.hold, key)
	p.mu.Unlock()
	p.track(rec)
	p.nudge()
	p.log.InfoContext(ctx, "report queued again by an administrator", "key", key, "reference", rec.Reference, "state", rec.Phrase())
	return rec, nil
}

// nudge wakes the delivery loop without waiting.
func (p *Pipeline) nudge() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func routeNames(c delivery.Chain) []string {
	names := make([]string, len(c))
	for i, r := range c {
		names[i] = r.Destination
	}
	return names
}
