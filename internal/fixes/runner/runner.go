// Package runner carries out fixes: it validates a request against the
// catalog, refuses what it must (unknown or disabled fix, a fix for the
// other runner, bad parameters, a second run of the same fix, a caller over
// the rate limit), executes the dry-run plan step by step with bounded
// time and output, streams progress, and writes an audit record for every
// run and every refusal.
//
// The service holds a runner for system fixes; the tray app holds one for
// user fixes. Each refuses the other's.
package runner

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/audit"
	"github.com/firstline-it/firstline/internal/ratelimit"
)

// Catalog finds fixes by id. It returns an error wrapping
// fixes.ErrUnknownFix or fixes.ErrDisabled when the fix cannot be run.
type Catalog interface {
	Lookup(id string) (fixes.Fix, error)
}

// Auditor stores audit records; *audit.Log is one.
type Auditor interface {
	Append(audit.Record) error
}

// Caller is who asked, as the kernel reported it (LocalAPI peer
// credentials), never as the request claimed.
type Caller struct {
	UID  string
	Name string
}

// Request asks for a fix to run.
type Request struct {
	FixID  string
	Params map[string]string
	Caller Caller
}

// Options configure a Runner.
type Options struct {
	// Catalog is where fixes come from; required.
	Catalog Catalog
	// RunsAs is which fixes this runner runs; required.
	RunsAs fixes.RunsAs
	// Platform is the machine; the zero value means the running one.
	Platform fixes.Platform
	// Roots maps allow-listed root names to folders; nil means
	// fixes.DefaultRoots for Platform, RunsAs and UserDirs.
	Roots map[string]string
	// UserDirs resolve the user roots of a user runner.
	UserDirs fixes.UserDirs
	// Audit receives one record per run and per refusal; nil writes none
	// (the tray app's runner, whose runs the service does not see).
	Audit Auditor
	// Logger is for the runner's own diagnostics; nil discards.
	Logger *slog.Logger
	// Now is the clock of the rate limit and of clean-up ages; nil means
	// time.Now.
	Now func() time.Time
	// RateBurst runs a caller may start at once, and RateRefill the time
	// to earn one more. Defaults: 6 runs, one more per 30 s.
	RateBurst  int
	RateRefill time.Duration
	// OutputCap bounds what one step's output keeps and streams, in
	// bytes; zero means 64 KiB.
	OutputCap int
	// AgeByModTime judges a file's age for clean-up steps by its
	// modification time alone. By default a file is old only when its
	// modification and change times (creation time on Windows) both are,
	// as systemd-tmpfiles does: an archive unpacked this morning keeps its
	// ten-year-old dates, and must not count as ten years old. Only a demo
	// sandbox or a test, which cannot age a change time, sets this.
	AgeByModTime bool
	// Conditions answers WaitFor and Check; nil means the built-in checks.
	Conditions Conditions
	// Apps quits and starts user apps; nil means the OS's.
	Apps Apps
}

// Conditions tests a condition of a WaitFor or Check step.
type Conditions interface {
	Holds(ctx context.Context, c fixes.Condition) (bool, error)
}

// Defaults of Options.
const (
	DefaultRateBurst  = 6
	DefaultRateRefill = 30 * time.Second
	DefaultOutputCap  = 64 << 10
)

// Runner runs fixes. It is safe for concurrent use.
type Runner struct {
	catalog   Catalog
	as        fixes.RunsAs
	platform  fixes.Platform
	roots     map[string]string
	audit     Auditor
	logger    *slog.Logger
	now       func() time.Time
	limiter   *ratelimit.PerKey
	outputCap int
	age       func(fs.FileInfo) time.Time
	conds     Conditions
	apps      Apps

	// mapPath turns a catalog path into the path executed; the identity
	// except in tests, which point it at recorder executables.
	mapPath func(string) string
	// testEnv is added to every program's environment; only tests set
	// it (to point CUPS tools at a private scheduler).
	testEnv []string

	mu      sync.Mutex
	running map[string]bool
}

// New checks opts and returns a Runner.
func New(opts Options) (*Runner, error) {
	if opts.Catalog == nil {
		return nil, errors.New("creating the fix runner: no catalog")
	}
	if opts.RunsAs != fixes.RunsAsUser && opts.RunsAs != fixes.RunsAsSystem {
		return nil, fmt.Errorf("creating the fix runner: runs_as %q is neither user nor system", opts.RunsAs)
	}
	r := &Runner{
		catalog:   opts.Catalog,
		as:        opts.RunsAs,
		platform:  opts.Platform,
		roots:     opts.Roots,
		audit:     opts.Audit,
		logger:    opts.Logger,
		now:       opts.Now,
		outputCap: opts.OutputCap,
		age:       lastChanged,
		conds:     opts.Conditions,
		apps:      opts.Apps,
		mapPath:   func(p string) string { return p },
		running:   map[string]bool{},
	}
	if opts.AgeByModTime {
		r.age = fs.FileInfo.ModTime
	}
	if r.platform.GOOS == "" {
		r.platform = fixes.CurrentPlatform()
	}
	if r.roots == nil {
		r.roots = fixes.DefaultRoots(r.platform, r.as, opts.UserDirs)
	}
	if r.logger == nil {
		r.logger = slog.New(slog.DiscardHandler)
	}
	if r.now == nil {
		r.now = time.Now
	}
	if r.outputCap <= 0 {
		r.outputCap = DefaultOutputCap
	}
	if r.apps == nil {
		r.apps = osApps{}
	}
	if r.conds == nil {
		r.conds = &builtinConditions{r: r}
	}
	burst, refill := opts.RateBurst, opts.RateRefill
	if burst <= 0 {
		burst = DefaultRateBurst
	}
	if refill <= 0 {
		refill = DefaultRateRefill
	}
	r.limiter = ratelimit.New(burst, refill, r.now)
	return r, nil
}

// Plan is the dry run of req: what Run would do, without running anything.
// It is neither rate limited nor audited (the app shows it whenever a fix
// is opened), but refuses exactly what Run refuses.
func (r *Runner) Plan(req Request) (*fixes.Plan, error) {
	_, plan, refused := r.prepare(req)
	if refused != nil {
		return nil, refused
	}
	return plan, nil
}

// Available reports whether f can run on this machine: it is for this
// runner and OS, and the programs it requires are installed. The app
// lists only available fixes.
func (r *Runner) Available(f *fixes.Fix) bool {
	return f.RunsAs == r.as && f.AppliesTo(r.platform.GOOS) && r.missing(f) == ""
}

func (r *Runner) missing(f *fixes.Fix) string {
	return f.Missing(func(p string) bool {
		_, err := os.Stat(r.mapPath(p))
		return err == nil
	})
}

// Run runs req and reports progress to progress (which may be nil; it is
// called from Run's goroutine and must not block for long).
//
// A refused request returns a *RefusedError and no Result. A fix that ran
// returns a Result whose Outcome says whether it worked, and a nil error,
// unless the audit record could not be written: then both are returned,
// and the caller should treat the audit failure as the service's problem
// to report.
func (r *Runner) Run(ctx context.Context, req Request, progress func(Progress)) (*Result, error) {
	start := r.now()
	if d := r.limiter.Allow(req.Caller.UID); !d.OK {
		return nil, r.refuse(req, start, &RefusedError{Code: CodeRateLimited, FixID: req.FixID,
			Reason: fmt.Sprintf("too many fixes run in a short time; try again in %s", d.Wait.Round(time.Second))})
	}
	fix, plan, refused := r.prepare(req)
	if refused != nil {
		return nil, r.refuse(req, start, refused)
	}
	if !r.acquire(fix.ID) {
		return nil, r.refuse(req, start, &RefusedError{Code: CodeBusy, FixID: fix.ID,
			Reason: "this fix is already running; wait for it to finish"})
	}
	defer r.release(fix.ID)

	r.logger.Info("running fix", "fix", fix.ID, "uid", req.Caller.UID, "user", req.Caller.Name, "params", plan.Values)
	res := r.execute(ctx, &fix, plan, progress)
	res.Start = start
	res.End = r.now()
	r.logger.Info("fix finished", "fix", fix.ID, "uid", req.Caller.UID, "outcome", res.Outcome, "failed_step", res.FailedStep)
	if err := r.record(runRecord(r.as, req.Caller, plan, res)); err != nil {
		return res, err
	}
	return res, nil
}

// prepare turns a request into a plan, or says why not.
func (r *Runner) prepare(req Request) (fixes.Fix, *fixes.Plan, *RefusedError) {
	refuse := func(code Code, format string, args ...any) (fixes.Fix, *fixes.Plan, *RefusedError) {
		return fixes.Fix{}, nil, &RefusedError{Code: code, FixID: req.FixID, Reason: fmt.Sprintf(format, args...)}
	}
	fix, err := r.catalog.Lookup(req.FixID)
	switch {
	case errors.Is(err, fixes.ErrDisabled):
		return refuse(CodeDisabled, "IT has turned this fix off")
	case err != nil:
		return refuse(CodeUnknownFix, "there is no such fix")
	}
	if err := fix.Validate(); err != nil {
		// The catalog validates; this only catches a catalog that does not.
		r.logger.Error("refusing an invalid fix from the catalog", "fix", fix.ID, "err", err)
		return refuse(CodeInvalidFix, "the fix's definition is invalid")
	}
	if fix.RunsAs != r.as {
		return refuse(CodeWrongRunner, "this is a %s fix; the %s runner does not run it", fix.RunsAs, r.as)
	}
	if !fix.AppliesTo(r.platform.GOOS) {
		return refuse(CodeWrongOS, "this fix is not for %s", r.platform.GOOS)
	}
	if p := r.missing(&fix); p != "" {
		return refuse(CodeUnavailable, "%s is not installed on this computer", p)
	}
	values, err := fix.Values(req.Params)
	if err != nil {
		return refuse(CodeBadParams, "%s", err.Error())
	}
	plan, err := fix.Plan(values, fixes.Target{Platform: r.platform, UID: req.Caller.UID, Roots: r.roots})
	if err != nil {
		return refuse(CodeInvalidFix, "%s", err.Error())
	}
	return fix, plan, nil
}

func (r *Runner) acquire(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running[id] {
		return false
	}
	r.running[id] = true
	return true
}

func (r *Runner) release(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.running, id)
}

// refuse audits and logs a refusal and returns it as the error of Run.
func (r *Runner) refuse(req Request, at time.Time, e *RefusedError) error {
	r.logger.Warn("refused a fix request", "fix", quoteID(req.FixID), "uid", req.Caller.UID,
		"code", string(e.Code), "reason", e.Reason)
	rec := audit.Record{
		UID: req.Caller.UID, User: req.Caller.Name, Runner: string(r.as),
		FixID: audit.Shorten(req.FixID, 64), Params: audit.SentParams(req.Params),
		Start: at, End: at, Result: audit.ResultRefused, Code: string(e.Code), Reason: e.Reason,
	}
	if err := r.record(rec); err != nil {
		return errors.Join(e, err)
	}
	return e
}

func (r *Runner) record(rec audit.Record) error {
	if r.audit == nil {
		return nil
	}
	if err := r.audit.Append(rec); err != nil {
		r.logger.Error("could not write the audit record", "fix", rec.FixID, "err", err)
		return fmt.Errorf("writing the audit record of fix %s: %w", rec.FixID, err)
	}
	return nil
}

// runRecord is the audit record of a finished run.
func runRecord(as fixes.RunsAs, c Caller, plan *fixes.Plan, res *Result) audit.Record {
	rec := audit.Record{
		UID: c.UID, User: c.Name, Runner: string(as), FixID: plan.FixID, Params: plan.Values,
		Start: res.Start, End: res.End, Result: string(res.Outcome), FailedStep: res.FailedStep,
		ReclaimedBytes: res.Reclaimed,
	}
	if res.Outcome == Failed {
		rec.Reason = res.Message
	}
	for _, s := range res.Steps {
		rec.Steps = append(rec.Steps, audit.Step{N: s.N, Kind: string(s.Kind), Status: string(s.Status), Exit: s.Exit, Error: s.Err})
	}
	return rec
}
