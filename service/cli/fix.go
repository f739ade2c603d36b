package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/builtin"
	"github.com/firstline-it/firstline/internal/fixes/catalog"
	"github.com/firstline-it/firstline/internal/fixes/runner"
	"github.com/firstline-it/firstline/internal/localapi"
)

// Exit codes of fix run beyond the common ones, from sysexits like 77 and
// 78: a fix IT turned off or that cannot run on this machine, and a
// refusal worth retrying later.
const (
	ExitUnavailable = 69 // EX_UNAVAILABLE
	ExitTryLater    = 75 // EX_TEMPFAIL
)

// fixListTimeout bounds list and show; a run is bounded by the fix's own
// timeout, which the service enforces.
const fixListTimeout = 30 * time.Second

func fixCommand() *Command {
	return &Command{
		Name:    "fix",
		Summary: "List, explain and run the one-click fixes",
		Help: `Fixes run through the service as the calling user, with the same checks,
rate limit and audit record as a click in the app.`,
		Sub: []*Command{fixListCommand(), fixShowCommand(), fixRunCommand()},
	}
}

func fixListCommand() *Command {
	return &Command{
		Name:    "list",
		Summary: "List the fixes of this machine, by problem",
		Help: `Lists every fix IT has not turned off: its id (for fix show and fix run),
title, who runs it (system: the service; user: the app in the employee's
session) and whether it can run here (a fix whose program is not installed
cannot). When the service does not answer, the list is read from this
machine's catalog (built-ins and fixes.d) instead. Exit code 0, 1 on errors.`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			asJSON := fs.Bool("json", false, "print the list as JSON")
			cfgPath := fs.String("config", config.DefaultPath(), "configuration whose fixes.d folder is read when the service does not answer")
			socket := socketFlag(fs)
			return func(ctx context.Context, env *Env, args []string) error {
				if err := noArgs(args); err != nil {
					return err
				}
				ctx, cancel := context.WithTimeout(ctx, fixListTimeout)
				defer cancel()
				c := localapi.NewClient(*socket)
				defer c.Close()
				list, _, err := fixList(ctx, env, c, *socket, *cfgPath)
				if err != nil {
					return err
				}
				if *asJSON {
					return writeJSON(env.Stdout, list)
				}
				writeFixList(env.Stdout, list)
				return nil
			}
		},
	}
}

// writeFixList prints the fixes under their groups, in the app's order.
func writeFixList(w io.Writer, list *localapi.FixList) {
	idW, titleW := len("ID"), len("TITLE")
	for _, f := range list.Items {
		idW, titleW = max(idW, len(f.ID)), max(titleW, len(f.Title))
	}
	row := func(id, title, runsAs, avail string) {
		fmt.Fprintf(w, "  %-*s  %-*s  %-7s  %s\n", idW, id, titleW, title, runsAs, avail)
	}
	groups := list.Groups
	for _, f := range list.Items {
		if !slices.Contains(groups, f.Group) {
			groups = append(groups, f.Group)
		}
	}
	row("ID", "TITLE", "RUNS AS", "AVAILABLE")
	for _, g := range groups {
		first := true
		for _, f := range list.Items {
			if f.Group != g {
				continue
			}
			if first {
				fmt.Fprintf(w, "%s\n", g)
				first = false
			}
			avail := "yes"
			if !f.Available {
				avail = "no (not installed)"
			}
			row(f.ID, f.Title, f.RunsAs, avail)
		}
	}
	if len(list.Items) == 0 {
		fmt.Fprintln(w, "No fixes are offered on this machine.")
	}
	if len(list.Disabled) > 0 {
		fmt.Fprintf(w, "\nTurned off by IT: %s\n", strings.Join(list.Disabled, ", "))
	}
	for i, p := range list.CatalogProblems {
		if i == 0 {
			fmt.Fprintln(w, "\nAdmin fix files refused:")
		}
		fmt.Fprintf(w, "  %s\n", p)
	}
}

func fixShowCommand() *Command {
	return &Command{
		Name:    "show",
		Args:    "ID",
		Summary: "Explain a fix: what it does, its parameters, and its dry run",
		Help: `Prints the fix's description, its parameters with their bounds and defaults,
and the dry run: exactly the steps and commands a run would carry out (with
--param values, the defaults otherwise). A user fix runs in the employee's
session from the Firstline app; its dry run is computed here, for you. When
the service does not answer, everything comes from this machine's catalog.
Exit code 0, 1 on errors, 2 for an unknown fix or a bad --param, 69 for a
fix IT turned off.`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			params := paramFlag{}
			fs.Var(params, "param", "a parameter's value for the dry run, NAME=VALUE (repeatable)")
			cfgPath := fs.String("config", config.DefaultPath(), "configuration whose fixes.d folder holds IT's own fixes")
			socket := socketFlag(fs)
			return func(ctx context.Context, env *Env, args []string) error {
				id, err := oneID(fs, args)
				if err != nil {
					return err
				}
				ctx, cancel := context.WithTimeout(ctx, fixListTimeout)
				defer cancel()
				c := localapi.NewClient(*socket)
				defer c.Close()
				list, local, err := fixList(ctx, env, c, *socket, *cfgPath)
				if err != nil {
					return err
				}
				info, err := lookupFix(list, id)
				if err != nil {
					return err
				}
				writeFixInfo(env.Stdout, info)
				var plan *localapi.FixPlan
				switch {
				case info.RunsAs == string(fixes.RunsAsUser) || local != nil:
					// The service plans only what it runs: a user fix's dry
					// run is made here, for the caller.
					if local == nil {
						if local, err = loadLocalFixes(*cfgPath); err != nil {
							return err
						}
					}
					plan, err = local.plan(info, params)
				default:
					if plan, err = c.FixPlan(ctx, id, params); err != nil {
						err = fixError(err, *socket, id)
					}
				}
				if err != nil {
					return err
				}
				writePlan(env.Stdout, plan)
				return nil
			}
		},
	}
}

func fixRunCommand() *Command {
	return &Command{
		Name:    "run",
		Args:    "ID",
		Summary: "Run a system fix through the service, with live progress",
		Help: `Runs the fix as the calling user over the LocalAPI, as the app does: the
service checks the parameters, applies the rate limit and writes an audit
record. Progress is shown step by step with each step's output; the result
says what to try next when the fix did not help. --dry-run prints the steps
and commands instead and changes nothing. Ctrl-C stops following the run,
not the run: the fix goes on in the service and lands in the audit log.

Exit codes: 0 the fix worked; 1 it ran and failed (or the service does not
answer); 2 unknown fix, bad --param, or a user fix (those run in the
Firstline app); 69 turned off by IT or not available on this machine; 75
busy (this fix is running already) or rate limited: try again later; 77 not
allowed.`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			params := paramFlag{}
			fs.Var(params, "param", "a parameter's value, NAME=VALUE (repeatable)")
			dryRun := fs.Bool("dry-run", false, "print the steps and commands; run nothing")
			socket := socketFlag(fs)
			return func(ctx context.Context, env *Env, args []string) error {
				id, err := oneID(fs, args)
				if err != nil {
					return err
				}
				// Every request goes to the service, even one it will
				// refuse: the service is the one judge, and its audit log
				// must see what was asked of it.
				c := localapi.NewClient(*socket)
				defer c.Close()
				if *dryRun {
					planCtx, cancel := context.WithTimeout(ctx, fixListTimeout)
					defer cancel()
					plan, err := c.FixPlan(planCtx, id, params)
					if err != nil {
						return fixError(err, *socket, id)
					}
					writePlan(env.Stdout, plan)
					return nil
				}
				res, err := c.RunFix(ctx, id, params, progressPrinter(env.Stdout))
				if err != nil {
					return fixError(err, *socket, id)
				}
				writeFixResult(env.Stdout, res)
				if res.Outcome != string(runner.Success) {
					return withCode(ExitFailure, errors.New(""))
				}
				return nil
			}
		},
	}
}

// paramFlag collects --param NAME=VALUE.
type paramFlag map[string]string

func (p paramFlag) String() string {
	keys := make([]string, 0, len(p))
	for k, v := range p {
		keys = append(keys, k+"="+v)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

func (p paramFlag) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return fmt.Errorf("%q is not NAME=VALUE", v)
	}
	if _, dup := p[name]; dup {
		return fmt.Errorf("parameter %s given twice", name)
	}
	p[name] = value
	return nil
}

// oneID takes the fix id and lets flags follow it ("fix run ID --param
// x=y"), as people type them.
func oneID(fs *flag.FlagSet, args []string) (string, error) {
	pos, err := positionals(fs, args)
	if err != nil {
		return "", err
	}
	if len(pos) != 1 {
		return "", withCode(ExitUsage, errors.New("name one fix by its id (see fix list)"))
	}
	return pos[0], nil
}

// positionals separates the positional arguments from flags given after
// them, parsing those flags into fs.
func positionals(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for len(args) > 0 {
		pos = append(pos, args[0])
		if err := fs.Parse(args[1:]); err != nil {
			return nil, withCode(ExitUsage, err)
		}
		args = fs.Args()
	}
	return pos, nil
}

// fixList is the service's list, or this machine's catalog (local, non-nil
// then) when the service does not answer.
func fixList(ctx context.Context, env *Env, c *localapi.Client, socket, cfgPath string) (*localapi.FixList, *localFixes, error) {
	list, err := c.Fixes(ctx)
	switch {
	case err == nil:
		return list, nil, nil
	case !errors.Is(err, localapi.ErrUnreachable):
		return nil, nil, fixError(err, socket, "")
	}
	fmt.Fprintf(env.Stderr, "firstline-service: the service does not answer at %s; reading this machine's catalog\n", socket)
	local, err := loadLocalFixes(cfgPath)
	if err != nil {
		return nil, nil, err
	}
	return local.list(), local, nil
}

// lookupFix finds id in list; a fix not listed is turned off by IT or
// unknown.
func lookupFix(list *localapi.FixList, id string) (*localapi.FixInfo, error) {
	for i := range list.Items {
		if list.Items[i].ID == id {
			return &list.Items[i], nil
		}
	}
	if slices.Contains(list.Disabled, id) {
		return nil, withCode(ExitUnavailable, fmt.Errorf("%s was turned off by IT", id))
	}
	return nil, withCode(ExitUsage, fmt.Errorf("no fix %q on this machine (see fix list)", id))
}

// fixError turns a LocalAPI error about fix id into a message and the
// exit code fix run documents.
func fixError(err error, socket, id string) error {
	var e *localapi.Error
	switch {
	case errors.Is(err, localapi.ErrUnreachable):
		return withCode(ExitFailure, fmt.Errorf("the Firstline service is not running (nothing answers at %s)", socket))
	case !errors.As(err, &e):
		return withCode(ExitFailure, err)
	}
	msg := errors.New(e.Message)
	if id != "" {
		msg = fmt.Errorf("%s: %s", id, e.Message)
	}
	switch e.Code {
	case localapi.CodeFixWrongRunner:
		return withCode(ExitUsage, fmt.Errorf("%s is a user fix: it runs in your session from the Firstline app (Fixes page), not through the service", id))
	case localapi.CodeFixUnknown, localapi.CodeFixBadParams, localapi.CodeBadRequest:
		return withCode(ExitUsage, msg)
	case localapi.CodeFixDisabled, localapi.CodeFixUnavailable:
		return withCode(ExitUnavailable, msg)
	case localapi.CodeFixBusy, localapi.CodeRateLimited:
		return withCode(ExitTryLater, msg)
	case localapi.CodePermissionDenied:
		return withCode(ExitNoPermission, msg)
	case localapi.CodeNotFound:
		return withCode(ExitFailure, errors.New("the service does not offer fixes ([fixes] enabled = false, or an older version)"))
	}
	return withCode(ExitFailure, msg)
}

func writeFixInfo(w io.Writer, f *localapi.FixInfo) {
	fmt.Fprintf(w, "%s — %s\n", f.ID, f.Title)
	fmt.Fprintf(w, "Group: %s · runs as %s · stops after %s", f.Group, f.RunsAs, time.Duration(f.TimeoutSeconds*float64(time.Second)))
	if !f.Available {
		fmt.Fprint(w, " · NOT AVAILABLE here (a program it needs is not installed)")
	}
	fmt.Fprintf(w, "\n\n%s\n", strings.TrimSpace(f.Description))
	if f.RunsAs == string(fixes.RunsAsUser) {
		fmt.Fprintln(w, "\nThis fix runs in the employee's own session, from the Firstline app (Fixes page).")
	}
	if len(f.Params) > 0 {
		fmt.Fprintln(w, "\nParameters (--param NAME=VALUE):")
		width := 0
		for _, p := range f.Params {
			width = max(width, len(p.Name))
		}
		for _, p := range f.Params {
			fmt.Fprintf(w, "  %-*s  %s: %s", width, p.Name, p.Label, paramBounds(p))
			if p.Default != "" {
				fmt.Fprintf(w, ", default %s", p.Default)
			}
			fmt.Fprintln(w)
		}
	}
	if f.NextSteps != "" {
		fmt.Fprintf(w, "\nIf it does not help: %s\n", strings.TrimSpace(f.NextSteps))
	}
}

func paramBounds(p localapi.FixParam) string {
	switch p.Kind {
	case string(fixes.ParamInt):
		return fmt.Sprintf("whole number %d–%d", p.Min, p.Max)
	case string(fixes.ParamEnum):
		return "one of " + strings.Join(p.Enum, ", ")
	case string(fixes.ParamBool):
		return "true or false"
	}
	return p.Kind
}

func writePlan(w io.Writer, p *localapi.FixPlan) {
	fmt.Fprintln(w, "\nDry run (nothing is changed):")
	if len(p.Params) > 0 {
		keys := make([]string, 0, len(p.Params))
		for k := range p.Params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			keys[i] = k + "=" + p.Params[k]
		}
		fmt.Fprintf(w, "  with %s\n", strings.Join(keys, ", "))
	}
	for _, s := range p.Steps {
		fmt.Fprintf(w, "  %d. %s\n", s.N, s.Summary)
		for _, c := range s.Commands {
			fmt.Fprintf(w, "       %s\n", c)
		}
	}
}

// progressPrinter prints a run as it goes: "[2/4] Restart the print
// service", the step's output indented, and a step's status unless ok.
func progressPrinter(w io.Writer) func(localapi.FixProgress) {
	return func(p localapi.FixProgress) {
		switch p.Event {
		case string(runner.EventStepStarted):
			fmt.Fprintf(w, "[%d/%d] %s\n", p.Step, p.Steps, p.Summary)
		case string(runner.EventOutput):
			fmt.Fprintf(w, "      %s\n", strings.TrimRight(p.Line, "\r\n"))
		case string(runner.EventStepDone):
			if p.Status != string(runner.StepOK) {
				fmt.Fprintf(w, "      → %s\n", p.Status)
			}
		}
	}
}

func writeFixResult(w io.Writer, r *localapi.FixResult) {
	fmt.Fprintln(w)
	if r.Outcome == string(runner.Success) {
		fmt.Fprintf(w, "Success: %s\n", r.Message)
	} else {
		fmt.Fprintf(w, "FAILED")
		if r.FailedStep > 0 {
			fmt.Fprintf(w, " at step %d of %d", r.FailedStep, r.Planned)
		}
		fmt.Fprintf(w, ": %s\n", r.Message)
		for _, s := range r.Steps {
			if s.N == r.FailedStep && s.Error != "" && !strings.Contains(r.Message, s.Error) {
				fmt.Fprintf(w, "  %s\n", s.Error)
			}
		}
	}
	if freed := runner.HumanBytes(r.ReclaimedBytes); r.ReclaimedBytes > 0 && !strings.Contains(r.Message, freed) {
		fmt.Fprintf(w, "Space freed: %s\n", freed)
	}
	if r.Outcome != string(runner.Success) && r.NextSteps != "" {
		fmt.Fprintf(w, "Next: %s\n", strings.TrimSpace(r.NextSteps))
	}
}

// localFixes is this machine's catalog as the service loads it
// (built-ins and the trusted files of fixes.d), for what is answered
// without the service: a user fix's dry run, and everything when the
// service does not answer.
type localFixes struct {
	cat      *catalog.Catalog
	problems []string
	runners  map[fixes.RunsAs]*runner.Runner
	caller   runner.Caller
}

func loadLocalFixes(cfgPath string) (*localFixes, error) {
	cat, err := catalog.Load(catalogDir(cfgPath), builtin.Current(), catalog.Options{})
	if cat == nil {
		return nil, withCode(ExitFailure, fmt.Errorf("loading the fixes: %w", err))
	}
	l := &localFixes{cat: cat, runners: map[fixes.RunsAs]*runner.Runner{}}
	// A refused admin file leaves the rest usable; say which, as the
	// service does to administrators.
	var le *catalog.LoadError
	if errors.As(err, &le) {
		for _, p := range le.Problems {
			l.problems = append(l.problems, p.String())
		}
	}
	home, _ := os.UserHomeDir()
	for _, as := range []fixes.RunsAs{fixes.RunsAsSystem, fixes.RunsAsUser} {
		r, err := runner.New(runner.Options{Catalog: cat, RunsAs: as, UserDirs: fixes.UserDirs{Home: home, Env: os.Getenv}})
		if err != nil {
			return nil, withCode(ExitFailure, fmt.Errorf("preparing the dry run: %w", err))
		}
		l.runners[as] = r
	}
	if u, err := user.Current(); err == nil {
		l.caller = runner.Caller{UID: u.Uid, Name: u.Username}
	}
	return l, nil
}

// list is the catalog as the service lists it.
func (l *localFixes) list() *localapi.FixList {
	out := &localapi.FixList{Items: []localapi.FixInfo{}, Disabled: l.cat.Disabled(), CatalogProblems: l.problems}
	for _, g := range fixes.Groups() {
		out.Groups = append(out.Groups, string(g))
	}
	for _, f := range l.cat.List(runtime.GOOS) {
		r := l.runners[f.RunsAs]
		out.Items = append(out.Items, localapi.NewFixInfo(&f, r != nil && r.Available(&f)))
	}
	return out
}

// plan is the dry run of the fix for the current user.
func (l *localFixes) plan(info *localapi.FixInfo, params map[string]string) (*localapi.FixPlan, error) {
	r := l.runners[fixes.RunsAs(info.RunsAs)]
	if r == nil {
		return nil, withCode(ExitFailure, fmt.Errorf("%s runs as %q, which this version does not know", info.ID, info.RunsAs))
	}
	plan, err := r.Plan(runner.Request{FixID: info.ID, Params: params, Caller: l.caller})
	var refused *runner.RefusedError
	switch {
	case errors.As(err, &refused) && refused.Code == runner.CodeBadParams:
		return nil, withCode(ExitUsage, err)
	case err != nil:
		return nil, withCode(ExitFailure, fmt.Errorf("the dry run: %w", err))
	}
	return localapi.NewFixPlan(plan), nil
}

// catalogDir is the fixes.d folder the service reads, from the
// configuration when it loads, beside cfgPath otherwise.
func catalogDir(cfgPath string) string {
	if loaded, err := config.Load(config.Options{Path: cfgPath}); err == nil {
		return loaded.Config.Fixes.CatalogDir(cfgPath)
	}
	return config.Fixes{}.CatalogDir(cfgPath)
}
