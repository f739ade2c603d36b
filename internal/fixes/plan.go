package fixes

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Target is what a plan is made for: the platform, the caller, and (when
// the runner knows them) the folders the roots resolve to.
type Target struct {
	Platform Platform
	// UID is the caller's uid (launchd's gui/UID domain on macOS).
	UID string
	// Roots maps root names to folders; when set, summaries name the
	// folder, so the dry run says exactly what would be cleaned.
	Roots map[string]string
}

// Plan is the dry run of a fix: exactly the steps, and the commands, that a
// run with these values would carry out. The runner executes plans, never
// fixes directly, so what the dry run shows is what runs.
type Plan struct {
	FixID   string
	Title   string
	RunsAs  RunsAs
	Values  map[string]string
	Timeout time.Duration
	Steps   []PlannedStep
}

// PlannedStep is one step with its parameters filled in.
type PlannedStep struct {
	// N is 1-based.
	N int
	// Step is the action, placeholders replaced: Exec.Args hold values,
	// RemoveOld.OlderThan holds the age chosen.
	Step Step
	// Summary says in one line what the step does.
	Summary string
	// Commands are the programs the step runs (Exec, ServiceAction), in
	// order; empty for actions implemented in Go.
	Commands []Command
}

// Plan resolves the fix for t with values from [Fix.Values].
func (f *Fix) Plan(v Values, t Target) (*Plan, error) {
	if !f.AppliesTo(t.Platform.GOOS) {
		return nil, fmt.Errorf("planning fix %s: it does not apply to %s", f.ID, t.Platform.GOOS)
	}
	if len(v.m) != len(f.Params) {
		return nil, fmt.Errorf("planning fix %s: parameter values were not validated", f.ID)
	}
	for _, p := range f.Params {
		if _, ok := v.m[p.Name]; !ok {
			return nil, fmt.Errorf("planning fix %s: parameter %s has no validated value", f.ID, p.Name)
		}
	}
	plan := &Plan{FixID: f.ID, Title: f.Title, RunsAs: f.RunsAs, Values: v.Map(), Timeout: f.EffectiveTimeout()}
	for i, s := range f.Steps {
		ps, err := planStep(s, v, t)
		if err != nil {
			return nil, fmt.Errorf("planning fix %s, step %d: %w", f.ID, i+1, err)
		}
		ps.N = i + 1
		plan.Steps = append(plan.Steps, ps)
	}
	return plan, nil
}

func planStep(s Step, v Values, t Target) (PlannedStep, error) {
	switch s := s.(type) {
	case Exec:
		s = s.clone().(Exec)
		for i, a := range s.Args {
			if name, ok := placeholder(a); ok {
				val, ok := v.Get(name)
				if !ok {
					return PlannedStep{}, fmt.Errorf("argument %s names no parameter", a)
				}
				s.Args[i] = val
			}
		}
		cmd := Command{Argv: append([]string{s.Path}, s.Args...), Env: s.Env, AllowExit: s.AllowExit}
		sum := "Run " + FormatArgv(cmd.Argv)
		if s.SkipIfMissing {
			sum += " (if installed)"
		}
		return PlannedStep{Step: s, Summary: sum, Commands: []Command{cmd}}, nil
	case ServiceAction:
		what := "the service " + s.Name
		if s.User {
			what = "your service " + s.Name
		}
		return PlannedStep{Step: s, Summary: capitalize(string(s.Action)) + " " + what,
			Commands: ServiceCommands(t.Platform, s, t.UID)}, nil
	case RemoveOld:
		s = s.clone().(RemoveOld)
		if s.OlderThanParam != "" {
			val, _ := v.Get(s.OlderThanParam)
			days, err := strconv.Atoi(val)
			if err != nil || days < 0 {
				return PlannedStep{}, fmt.Errorf("older_than_param %s holds %q, not a number of days", s.OlderThanParam, val)
			}
			s.OlderThan = time.Duration(days) * 24 * time.Hour
		}
		return PlannedStep{Step: s, Summary: removeSummary(s, t)}, nil
	case QuitApp:
		return PlannedStep{Step: s, Summary: fmt.Sprintf("Quit %s (it is asked to close, and stopped after %s if it has not)",
			s.Name, graceOf(s))}, nil
	case RelaunchApp:
		sum := "Start " + s.Name + " again if it was running"
		if s.Root != "" {
			sum = "Start " + s.Name + " again (" + rootPath(t, s.Root, s.Path) + " if it was not running)"
		}
		return PlannedStep{Step: s, Summary: sum}, nil
	case WaitFor:
		return PlannedStep{Step: s, Summary: fmt.Sprintf("Wait up to %s until %s", s.Timeout, describeCondition(s.Condition))}, nil
	case Check:
		return PlannedStep{Step: s, Summary: "Check that " + describeCondition(s.Condition)}, nil
	}
	return PlannedStep{}, fmt.Errorf("unknown step type %T", s)
}

// DefaultGrace is how long QuitApp waits before stopping an app by force.
const DefaultGrace = 10 * time.Second

func graceOf(q QuitApp) time.Duration {
	if q.Grace <= 0 {
		return DefaultGrace
	}
	return q.Grace
}

// EffectiveGrace is the grace period of q, DefaultGrace when unset.
func (q QuitApp) EffectiveGrace() time.Duration { return graceOf(q) }

func removeSummary(s RemoveOld, t Target) string {
	var where []string
	if len(s.Paths) == 0 {
		where = append(where, rootPath(t, s.Root, ""))
	}
	for _, p := range s.Paths {
		where = append(where, rootPath(t, s.Root, p))
	}
	what := "files"
	if s.Pattern != "" && s.Pattern != "*" {
		what = "files named " + s.Pattern
	}
	age := ""
	if s.OlderThan > 0 {
		age = " older than " + humanAge(s.OlderThan)
	}
	return fmt.Sprintf("Delete %s%s in %s", what, age, strings.Join(where, ", "))
}

// rootPath names root/rel for a person: the real folder when known.
func rootPath(t Target, root, rel string) string {
	if dir, ok := t.Roots[root]; ok {
		return joinFor(t.Platform.GOOS, dir, rel)
	}
	if rel == "" {
		return "<" + root + ">"
	}
	return "<" + root + ">/" + rel
}

func humanAge(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d%day == 0 && d == day:
		return "1 day"
	case d%day == 0:
		return fmt.Sprintf("%d days", d/day)
	default:
		return d.String()
	}
}

func describeCondition(c Condition) string {
	switch c.Kind {
	case CondNetworkUp:
		return "the network is up"
	case CondDNSResolves:
		return c.Arg + " can be looked up (DNS)"
	case CondServiceActive:
		return "the service " + c.Arg + " is running"
	case CondProcessRunning:
		return c.Arg + " is running"
	case CondProcessGone:
		return c.Arg + " has quit"
	case CondPrintQueueEmpty:
		return "no print job is waiting"
	}
	return string(c.Kind)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// FormatArgv renders argv for people and logs: elements that a shell would
// split or interpret are quoted (Windows paths in double quotes, the rest in
// single quotes, Go quoting when they hold quotes themselves). It is for
// display only; nothing ever parses it back.
func FormatArgv(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = quoteArg(a)
	}
	return strings.Join(out, " ")
}

func quoteArg(a string) string {
	special := " \t\n\"'$`;&|<>(){}*?!#~"
	winPath := len(a) > 2 && a[1] == ':' && a[2] == '\\'
	switch {
	case a == "":
		return `""`
	case strings.ContainsFunc(a, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return strconv.Quote(a)
	case !strings.ContainsAny(a, special) && (winPath || !strings.ContainsRune(a, '\\')):
		return a
	case winPath && !strings.ContainsRune(a, '"'):
		return `"` + a + `"`
	case !strings.ContainsRune(a, '\''):
		return "'" + a + "'"
	}
	return strconv.Quote(a)
}
