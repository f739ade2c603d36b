package fixespage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/builtin"
	"github.com/firstline-it/firstline/internal/fixes/catalog"
	"github.com/firstline-it/firstline/internal/fixes/runner"
	"github.com/firstline-it/firstline/internal/localapi"
)

// Source is where the page's fixes come from and run. [Router] is the
// real one: system fixes through the service, user fixes in this app.
type Source interface {
	// Fixes lists the catalog. A list may come with an error: the part
	// that could be read (the fixes that run in the app while the service
	// is away).
	Fixes(ctx context.Context) (*localapi.FixList, error)
	// Plan is the dry run of fix with params.
	Plan(ctx context.Context, fix localapi.FixInfo, params map[string]string) (*localapi.FixPlan, error)
	// Run runs fix, reporting progress in order; a refusal is an error.
	Run(ctx context.Context, fix localapi.FixInfo, params map[string]string, progress func(localapi.FixProgress)) (*localapi.FixResult, error)
	// History is the employee's runs, newest first.
	History(ctx context.Context) (*localapi.FixHistory, error)
}

// Service is the service's fix routes; *localapi.Client satisfies it.
type Service interface {
	Fixes(ctx context.Context) (*localapi.FixList, error)
	FixPlan(ctx context.Context, id string, params map[string]string) (*localapi.FixPlan, error)
	RunFix(ctx context.Context, id string, params map[string]string, progress func(localapi.FixProgress)) (*localapi.FixResult, error)
	FixHistory(ctx context.Context, all bool) (*localapi.FixHistory, error)
	RecordUserRun(ctx context.Context, run localapi.FixUserRun) error
}

// Local runs user fixes in the app; *runner.Runner satisfies it.
type Local interface {
	Available(f *fixes.Fix) bool
	Plan(req runner.Request) (*fixes.Plan, error)
	Run(ctx context.Context, req runner.Request, progress func(runner.Progress)) (*runner.Result, error)
}

// Catalog finds the fixes the local runner knows; *catalog.Catalog
// satisfies it.
type Catalog interface {
	Lookup(id string) (fixes.Fix, error)
	List(goos string) []fixes.Fix
}

// Router sends each fix where it runs: a system fix to the service, a
// user fix to the local runner, whose run is then recorded by the service
// so it lands in the audit log like any other.
type Router struct {
	Service Service
	Local   Local
	Catalog Catalog
	// Caller is the employee, for the local runner's rate limit.
	Caller runner.Caller
	// GOOS lists the local catalog when the service is away; "" means
	// this OS.
	GOOS   string
	Logger *slog.Logger
}

// recordTimeout bounds handing a user run to the service's audit log.
const recordTimeout = 15 * time.Second

// LocalOptions configure [NewLocal].
type LocalOptions struct {
	// Dir is the fixes.d folder the service reads; "" means
	// catalog.DefaultDir(). The app reads the same files so a fix IT
	// turned off is off in both.
	Dir    string
	Logger *slog.Logger
}

// NewLocal builds the catalog and the runner of this app's user fixes: the
// built-ins of this OS and IT's files, run as the employee with their own
// folders. A refused admin file is logged; the rest stays usable.
func NewLocal(opts LocalOptions) (*catalog.Catalog, *runner.Runner, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dir := opts.Dir
	if dir == "" {
		dir = catalog.DefaultDir()
	}
	cat, err := catalog.Load(dir, builtin.Current(), catalog.Options{Logger: log})
	var le *catalog.LoadError
	switch {
	case errors.As(err, &le) && cat != nil:
		log.Warn("some of IT's fix files were not read", "dir", dir, "err", err)
	case err != nil:
		return nil, nil, fmt.Errorf("loading the fixes from %s: %w", dir, err)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		log.Warn("no home folder: fixes that clean it are not available", "err", err)
	}
	run, err := runner.New(runner.Options{
		Catalog:  cat,
		RunsAs:   fixes.RunsAsUser,
		UserDirs: fixes.UserDirs{Home: home, Env: os.Getenv},
		Logger:   log,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("preparing the runner of user fixes: %w", err)
	}
	return cat, run, nil
}

// CurrentCaller is the employee running the app.
func CurrentCaller() runner.Caller {
	u, err := user.Current()
	if err != nil {
		return runner.Caller{UID: fmt.Sprint(os.Getuid())}
	}
	return runner.Caller{UID: u.Uid, Name: u.Username}
}

func (r *Router) log() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}

func isUser(fix localapi.FixInfo) bool { return fix.RunsAs == string(fixes.RunsAsUser) }

// Fixes lists the service's catalog, with the user fixes marked available
// by what this app can run: the service cannot see the employee's
// programs. Without the service it lists the user fixes alone, with the
// service's error.
func (r *Router) Fixes(ctx context.Context) (*localapi.FixList, error) {
	list, err := r.Service.Fixes(ctx)
	if err != nil {
		return r.localList(), err
	}
	out := *list
	out.Items = make([]localapi.FixInfo, len(list.Items))
	for i, it := range list.Items {
		if isUser(it) {
			it.Available = r.localAvailable(it.ID)
		}
		out.Items[i] = it
	}
	return &out, nil
}

// localAvailable reports whether the local runner can run the user fix id.
func (r *Router) localAvailable(id string) bool {
	if r.Local == nil || r.Catalog == nil {
		return false
	}
	f, err := r.Catalog.Lookup(id)
	return err == nil && r.Local.Available(&f)
}

// localList is the user fixes of the local catalog; nil without one.
func (r *Router) localList() *localapi.FixList {
	if r.Local == nil || r.Catalog == nil {
		return nil
	}
	goos := r.GOOS
	if goos == "" {
		goos = fixes.CurrentPlatform().GOOS
	}
	out := &localapi.FixList{}
	for _, g := range fixes.Groups() {
		out.Groups = append(out.Groups, string(g))
	}
	for _, f := range r.Catalog.List(goos) {
		if f.RunsAs == fixes.RunsAsUser {
			out.Items = append(out.Items, localapi.NewFixInfo(&f, r.Local.Available(&f)))
		}
	}
	return out
}

// Plan is the dry run: the local runner's for a user fix, the service's
// for a system fix.
func (r *Router) Plan(ctx context.Context, fix localapi.FixInfo, params map[string]string) (*localapi.FixPlan, error) {
	if !isUser(fix) {
		return r.Service.FixPlan(ctx, fix.ID, params)
	}
	if r.Local == nil {
		return nil, errNoLocal
	}
	plan, err := r.Local.Plan(runner.Request{FixID: fix.ID, Params: params, Caller: r.Caller})
	if err != nil {
		return nil, err
	}
	return localapi.NewFixPlan(plan), nil
}

// errNoLocal: the app could not prepare its own runner.
var errNoLocal = errors.New("this app cannot run fixes itself right now")

// Run runs fix where it belongs. A user fix that ran is handed to the
// service for the audit log; a failure to record it is logged, not shown:
// the fix itself ran, and the result is what the employee needs.
func (r *Router) Run(ctx context.Context, fix localapi.FixInfo, params map[string]string, progress func(localapi.FixProgress)) (*localapi.FixResult, error) {
	if !isUser(fix) {
		return r.Service.RunFix(ctx, fix.ID, params, progress)
	}
	if r.Local == nil {
		return nil, errNoLocal
	}
	res, err := r.Local.Run(ctx, runner.Request{FixID: fix.ID, Params: params, Caller: r.Caller}, func(p runner.Progress) {
		if progress != nil {
			progress(localapi.NewFixProgress(p))
		}
	})
	if res == nil {
		return nil, err
	}
	if err != nil {
		r.log().Warn("the user fix ran but was not recorded locally", "fix", fix.ID, "err", err)
	}
	out := localapi.NewFixResult(res)
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := r.Service.RecordUserRun(rctx, localapi.FixUserRun{Params: params, Result: *out}); err != nil {
		r.log().Warn("the service did not record the user fix in its audit log", "fix", fix.ID, "err", err)
	}
	return out, nil
}

// History is the employee's runs as the service's audit log has them.
func (r *Router) History(ctx context.Context) (*localapi.FixHistory, error) {
	return r.Service.FixHistory(ctx, false)
}
