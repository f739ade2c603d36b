// Package fixes is the service's side of one-click repairs: the catalog
// (built-ins changed by IT's fixes.d files), the runner of system fixes,
// the audit log of every run and refusal, the record of the user fixes the
// app ran, and the health checks with their background loop. The LocalAPI
// routes (service/api) call it with the caller the kernel reported.
package fixes

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	core "github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/audit"
	"github.com/firstline-it/firstline/internal/fixes/builtin"
	"github.com/firstline-it/firstline/internal/fixes/catalog"
	"github.com/firstline-it/firstline/internal/fixes/health"
	"github.com/firstline-it/firstline/internal/fixes/runner"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/ratelimit"
)

// Options configure a Service. Zero values pick the defaults noted.
type Options struct {
	// CatalogDir is the fixes.d folder of admin files; a missing folder
	// means none.
	CatalogDir string
	// Builtins are the fixes before admin files; nil means
	// builtin.Current(). Tests pass their own.
	Builtins []core.Fix
	// Platform is the machine; the zero value means the running one.
	Platform core.Platform
	// Roots map the allow-listed roots of system fixes to folders; nil
	// means the OS's (dev mode points them at a sandbox).
	Roots map[string]string
	// AgeByModTime is runner.Options.AgeByModTime: only for the dev
	// sandbox, whose seeded files cannot have an old change time.
	AgeByModTime bool
	// AuditPath is the audit log; required.
	AuditPath string
	Logger    *slog.Logger
	// Now is the clock of the runner, the audit log and health reports;
	// nil means time.Now.
	Now func() time.Time
	// RateBurst and RateRefill are the per-user rate limit of runs (and
	// of recorded user runs); zero means the runner's defaults.
	RateBurst  int
	RateRefill time.Duration

	// Health measures the machine for the health checks; nil measures
	// nothing (every check says unknown).
	Health func(ctx context.Context) health.Input
	// Thresholds are IT's limits; the zero value means
	// health.DefaultThresholds().
	Thresholds health.Thresholds
	// Checks are the checks that run; nil means every check, empty none.
	Checks []string
	// HealthInterval is the time between background runs (default 5 min);
	// HealthFirst the delay of the first one after RunHealth starts
	// (default 15 s: soon, but not while the machine is still booting).
	HealthInterval time.Duration
	HealthFirst    time.Duration
	// HealthCacheTTL is how long one measurement answers requests
	// (default 5 s), so a flood of requests costs one measurement.
	HealthCacheTTL time.Duration
	// OnHealth is told the summary when the background loop sees it
	// change; nil tells nobody.
	OnHealth func(localapi.HealthSummary)
}

// Service is the fixes component. It is safe for concurrent use.
type Service struct {
	opts     Options
	log      *slog.Logger
	catalog  *catalog.Catalog
	problems []string
	audit    *audit.Log
	runner   *runner.Runner
	records  *ratelimit.PerKey // recorded user runs, per uid

	// ctx is what runs execute under: a run goes on when its caller
	// hangs up, and ends only when the service closes.
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	closed bool
	runs   sync.WaitGroup

	gathering chan struct{} // one health measurement at a time
	cacheMu   sync.Mutex
	cached    health.Input
	cachedAt  time.Time
}

// ErrClosed is returned for runs asked after Close.
var ErrClosed = errors.New("the fix service is stopping")

// New loads the catalog, opens the audit log and builds the runner of
// system fixes. Problems with admin files do not stop it: they are logged,
// kept for administrators (List), and the sound files apply.
func New(opts Options) (*Service, error) {
	if opts.AuditPath == "" {
		return nil, errors.New("setting up fixes: no audit log path")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Platform.GOOS == "" {
		opts.Platform = core.CurrentPlatform()
	}
	if opts.Builtins == nil {
		opts.Builtins = builtin.Current()
	}
	if opts.Thresholds == (health.Thresholds{}) {
		opts.Thresholds = health.DefaultThresholds()
	}
	if err := opts.Thresholds.Validate(); err != nil {
		return nil, fmt.Errorf("setting up health checks: %w", err)
	}
	if opts.Checks == nil {
		opts.Checks = health.Names()
	}
	if _, err := health.Run(health.Input{}, opts.Thresholds, opts.Checks...); err != nil {
		return nil, fmt.Errorf("setting up health checks: %w", err)
	}
	if opts.HealthInterval <= 0 {
		opts.HealthInterval = 5 * time.Minute
	}
	if opts.HealthFirst <= 0 {
		opts.HealthFirst = 15 * time.Second
	}
	if opts.HealthCacheTTL <= 0 {
		opts.HealthCacheTTL = 5 * time.Second
	}
	if opts.RateBurst <= 0 {
		opts.RateBurst = runner.DefaultRateBurst
	}
	if opts.RateRefill <= 0 {
		opts.RateRefill = runner.DefaultRateRefill
	}
	log := opts.Logger.With("component", "fixes")

	cat, problems, err := loadCatalog(opts, log)
	if err != nil {
		return nil, err
	}
	alog, err := audit.Open(opts.AuditPath, audit.Options{Logger: log, Now: opts.Now})
	if err != nil {
		return nil, fmt.Errorf("opening the fix audit log: %w", err)
	}
	run, err := runner.New(runner.Options{
		Catalog: cat, RunsAs: core.RunsAsSystem, Platform: opts.Platform, Roots: opts.Roots,
		AgeByModTime: opts.AgeByModTime,
		Audit:        alog, Logger: log, Now: opts.Now, RateBurst: opts.RateBurst, RateRefill: opts.RateRefill,
	})
	if err != nil {
		alog.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Service{
		opts: opts, log: log, catalog: cat, problems: problems, audit: alog, runner: run,
		records: ratelimit.New(opts.RateBurst, opts.RateRefill, opts.Now),
		ctx:     ctx, cancel: cancel, gathering: make(chan struct{}, 1),
	}, nil
}

// loadCatalog loads the built-ins and IT's files, keeping the problems of
// refused files as text for administrators.
func loadCatalog(opts Options, log *slog.Logger) (*catalog.Catalog, []string, error) {
	cat, err := catalog.Load(opts.CatalogDir, opts.Builtins, catalog.Options{Logger: log})
	var lerr *catalog.LoadError
	switch {
	case errors.As(err, &lerr):
		problems := make([]string, 0, len(lerr.Problems))
		for _, p := range lerr.Problems {
			problems = append(problems, p.String())
		}
		return cat, problems, nil
	case err != nil:
		return nil, nil, fmt.Errorf("loading the fix catalog: %w", err)
	}
	return cat, nil, nil
}

// Close stops runs in progress (their steps are killed, each run is
// audited as failed), waits for them, and closes the audit log.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.runs.Wait()
	if err := s.audit.Close(); err != nil {
		return fmt.Errorf("closing the fix audit log: %w", err)
	}
	return nil
}

// AuditPath is the audit log's file.
func (s *Service) AuditPath() string { return s.audit.Path() }

// List is the catalog for this OS: system fixes the service runs and user
// fixes the app runs. CatalogProblems are filled for administrators only:
// file names under /etc say little, but they are IT's business.
func (s *Service) List(admin bool) localapi.FixList {
	out := localapi.FixList{Items: []localapi.FixInfo{}, Disabled: s.catalog.Disabled()}
	for _, g := range core.Groups() {
		out.Groups = append(out.Groups, string(g))
	}
	for _, f := range s.catalog.List(s.opts.Platform.GOOS) {
		out.Items = append(out.Items, localapi.NewFixInfo(&f, s.available(&f)))
	}
	if admin {
		out.CatalogProblems = append([]string(nil), s.problems...)
	}
	return out
}

// available says whether f can run here: the runner knows for system
// fixes; a user fix needs only what it requires (the app's runner checks
// the rest in the user's session).
func (s *Service) available(f *core.Fix) bool {
	if f.RunsAs == core.RunsAsSystem {
		return s.runner.Available(f)
	}
	return f.Missing(func(p string) bool {
		_, err := os.Stat(p)
		return err == nil
	}) == ""
}

// Plan is the dry run of the system fix id. Refusals are
// *runner.RefusedError, the same a run would get (without the rate limit).
func (s *Service) Plan(caller runner.Caller, id string, params map[string]string) (*localapi.FixPlan, error) {
	p, err := s.runner.Plan(runner.Request{FixID: id, Params: params, Caller: caller})
	if err != nil {
		return nil, err
	}
	return localapi.NewFixPlan(p), nil
}

// History is uid's runs and refusals, newest first, or everybody's when
// all is set (the caller checks the caller may). It is bounded: the app
// shows recent history, the audit command reads the file itself.
func (s *Service) History(uid string, all bool) (*localapi.FixHistory, error) {
	f := audit.Filter{UID: uid, Limit: 200}
	if all {
		f = audit.Filter{Limit: 1000}
	}
	recs, err := audit.Read(s.audit.Path(), f, s.log)
	if err != nil {
		return nil, fmt.Errorf("reading the fix audit log: %w", err)
	}
	items := make([]audit.Record, 0, len(recs))
	for i := len(recs) - 1; i >= 0; i-- {
		items = append(items, recs[i])
	}
	return &localapi.FixHistory{Items: items}, nil
}
