package fixes

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Problem is one thing wrong with a fix definition.
type Problem struct {
	// Step is the 1-based step concerned, 0 for the fix itself.
	Step int
	// Param is the 1-based parameter concerned, 0 for none.
	Param   int
	Message string
}

// ValidationError lists everything wrong with a fix, so an admin can
// correct a file in one pass.
type ValidationError struct {
	FixID    string
	Problems []Problem
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "fix %q is invalid:", e.FixID)
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		switch {
		case p.Step > 0:
			fmt.Fprintf(&b, "step %d: ", p.Step)
		case p.Param > 0:
			fmt.Fprintf(&b, "param %d: ", p.Param)
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

// Patterns of names. They are narrow on purpose: every one of these ends
// up in an argv, a log line or a file name.
var (
	idRE      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	nameRE    = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
	enumRE    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._:+@-]{0,63}$`)
	serviceRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,127}$`)
	appRE     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._+-]{0,63}$`)
	hostRE    = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,62}\.)*[A-Za-z0-9-]{1,63}$`)
	envNameRE = regexp.MustCompile(`^[A-Z_][A-Z0-9_]{0,63}$`)
)

func validName(s string) bool { return nameRE.MatchString(s) }

// Bounds of a fix definition.
const (
	maxSteps       = 32
	maxArgs        = 64
	maxArgBytes    = 4096
	maxTitle       = 80
	maxDescription = 1000
	maxGrace       = time.Minute
	maxWait        = 30 * time.Minute
)

// Validate checks the definition for every OS it names: names and bounds,
// absolute executable paths, placeholders that are whole argv elements and
// name declared parameters, allow-listed roots, steps allowed for RunsAs.
// It returns a *ValidationError listing every problem.
func (f *Fix) Validate() error {
	v := &validator{f: f}
	v.fix()
	if len(v.problems) > 0 && len(f.OS) > 3 {
		return &ValidationError{FixID: f.ID, Problems: v.problems}
	}
	for i := range min(len(f.Params), MaxParams) {
		v.param(i+1, &f.Params[i])
	}
	if len(f.Steps) == 0 || len(f.Steps) > maxSteps {
		v.add(0, "needs 1 to %d steps, has %d", maxSteps, len(f.Steps))
		return &ValidationError{FixID: f.ID, Problems: v.problems}
	}
	for i, s := range f.Steps {
		for _, goos := range f.OS {
			v.step(i+1, goos, s)
		}
	}
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{FixID: f.ID, Problems: v.problems}
}

type validator struct {
	f        *Fix
	problems []Problem
}

// maxProblems bounds the list: past it, more of the same helps nobody, and
// a generated file must not make validation quadratic.
const maxProblems = 50

func (v *validator) add(step int, format string, args ...any) {
	if len(v.problems) >= maxProblems {
		return
	}
	msg := fmt.Sprintf(format, args...)
	for _, p := range v.problems {
		if p.Step == step && p.Message == msg {
			return // the same problem found for a second OS
		}
	}
	v.problems = append(v.problems, Problem{Step: step, Message: msg})
}

func (v *validator) fix() {
	f := v.f
	if !idRE.MatchString(f.ID) {
		v.add(0, "id %s must be lower-case letters, digits and dashes", quoteShort(f.ID))
	}
	if t := strings.TrimSpace(f.Title); t == "" || len(t) > maxTitle {
		v.add(0, "title must be 1 to %d characters", maxTitle)
	}
	if d := strings.TrimSpace(f.Description); d == "" || len(d) > maxDescription {
		v.add(0, "description must be 1 to %d characters", maxDescription)
	}
	if !slices.Contains(Groups(), f.Group) {
		v.add(0, "group %s is not one of %s", quoteShort(string(f.Group)), joinGroups())
	}
	if len(f.OS) == 0 || len(f.OS) > 3 {
		v.add(0, "os must name one to three of linux, windows, darwin")
	}
	for i, o := range f.OS {
		if o != Linux && o != Windows && o != Darwin {
			v.add(0, "os %s is not linux, windows or darwin", quoteShort(o))
		} else if slices.Index(f.OS, o) != i {
			v.add(0, "os %s is listed twice", o)
		}
	}
	if f.RunsAs != RunsAsUser && f.RunsAs != RunsAsSystem {
		v.add(0, "runs_as must be user or system, not %s", quoteShort(string(f.RunsAs)))
	}
	if f.Timeout != 0 && (f.Timeout < MinTimeout || f.Timeout > MaxTimeout) {
		v.add(0, "timeout %s is outside %s to %s", f.Timeout, MinTimeout, MaxTimeout)
	}
	if len(f.Requires) > maxArgs || len(f.RequiresAny) > maxArgs {
		v.add(0, "at most %d requires and %d requires_any", maxArgs, maxArgs)
		return
	}
	for _, r := range append(slices.Clone(f.Requires), f.RequiresAny...) {
		for _, goos := range f.OS {
			if !isAbsFor(goos, r) {
				v.add(0, "requires %s is not an absolute %s path", quoteShort(r), goos)
			}
		}
	}
	if len(f.NextSteps) > maxDescription {
		v.add(0, "next_steps is longer than %d characters", maxDescription)
	}
	if len(f.Params) > MaxParams {
		v.add(0, "at most %d params", MaxParams)
	}
}

func joinGroups() string {
	var s []string
	for _, g := range Groups() {
		s = append(s, string(g))
	}
	return strings.Join(s, ", ")
}

func (v *validator) param(n int, p *Param) {
	bad := func(format string, args ...any) {
		if len(v.problems) < maxProblems {
			v.problems = append(v.problems, Problem{Param: n, Message: fmt.Sprintf(format, args...)})
		}
	}
	if !validName(p.Name) {
		bad("name %s must be lower-case letters, digits and _", quoteShort(p.Name))
	}
	if slices.IndexFunc(v.f.Params, func(q Param) bool { return q.Name == p.Name }) != n-1 {
		bad("name %s is declared twice", quoteShort(p.Name))
	}
	switch p.Kind {
	case ParamEnum:
		if len(p.Enum) == 0 || len(p.Enum) > maxArgs {
			bad("an enum needs 1 to %d values", maxArgs)
			return
		}
		for _, e := range p.Enum {
			if !enumRE.MatchString(e) || screenValue(e) != "" {
				bad("enum value %s must be letters, digits, space and . _ : + @ -", quoteShort(e))
			}
		}
	case ParamInt:
		if p.Min > p.Max {
			bad("min %d is greater than max %d", p.Min, p.Max)
		}
	case ParamBool:
	default:
		bad("kind must be enum, int or bool, not %s", quoteShort(string(p.Kind)))
		return
	}
	if _, err := p.check(p.Default); err != nil {
		var pe *ParamError
		if errors.As(err, &pe) {
			bad("default: %s", pe.Reason)
		}
	}
}

func (v *validator) step(n int, goos string, s Step) {
	user := v.f.RunsAs == RunsAsUser
	switch s := s.(type) {
	case Exec:
		v.exec(n, goos, s)
	case ServiceAction:
		if !serviceRE.MatchString(s.Name) {
			v.add(n, "service name %s is not a valid name", quoteShort(s.Name))
		}
		if s.Action != ServiceStop && s.Action != ServiceStart && s.Action != ServiceRestart {
			v.add(n, "service action must be stop, start or restart, not %s", quoteShort(string(s.Action)))
		}
		switch {
		case s.User && !user:
			v.add(n, "a system fix cannot control a user's service")
		case !s.User && user:
			v.add(n, "a user fix cannot control system services (set user = true for the user's own)")
		case s.User && goos == Windows:
			v.add(n, "Windows has no per-user services to control")
		}
	case RemoveOld:
		v.removeOld(n, goos, s)
	case QuitApp:
		if !user {
			v.add(n, "only user fixes can quit apps")
		}
		if !appRE.MatchString(s.Name) {
			v.add(n, "app name %s is not a valid process name", quoteShort(s.Name))
		}
		if s.Grace < 0 || s.Grace > maxGrace {
			v.add(n, "grace must be 0 to %s", maxGrace)
		}
	case RelaunchApp:
		if !user {
			v.add(n, "only user fixes can start apps")
		}
		if !appRE.MatchString(s.Name) {
			v.add(n, "app name %s is not a valid process name", quoteShort(s.Name))
		}
		if (s.Root == "") != (s.Path == "") {
			v.add(n, "root and path go together")
		} else if s.Root != "" {
			v.root(n, goos, s.Root, false)
			v.relPath(n, s.Path)
		}
	case WaitFor:
		v.condition(n, goos, s.Condition)
		if s.Timeout < time.Second || s.Timeout > maxWait {
			v.add(n, "wait timeout must be 1s to %s", maxWait)
		}
	case Check:
		v.condition(n, goos, s.Condition)
		if len(s.Message) > maxDescription {
			v.add(n, "message is longer than %d characters", maxDescription)
		}
	default:
		v.add(n, "unknown step type %T", s)
	}
}

func (v *validator) exec(n int, goos string, s Exec) {
	if !isAbsFor(goos, s.Path) {
		v.add(n, "path %s is not an absolute %s path", quoteShort(s.Path), goos)
	}
	if len(s.Args) > maxArgs || len(s.Env) > maxArgs || len(s.AllowExit) > maxArgs {
		v.add(n, "at most %d arguments, environment entries and exit codes", maxArgs)
		return
	}
	for _, a := range s.Args {
		if name, ok := placeholder(a); ok {
			if v.f.param(name) == nil {
				v.add(n, "argument %s names no declared parameter", quoteShort(a))
			}
			continue
		}
		switch {
		case strings.Contains(a, "{{") || strings.Contains(a, "}}"):
			v.add(n, "argument %s: a placeholder must be a whole argument, as in \"{{name}}\"", quoteShort(a))
		case len(a) > maxArgBytes || strings.ContainsRune(a, 0):
			v.add(n, "argument %s is too long or contains NUL", quoteShort(a))
		}
	}
	for _, e := range s.Env {
		name, val, ok := strings.Cut(e, "=")
		switch {
		case !ok || !envNameRE.MatchString(name):
			v.add(n, "env %s must be NAME=value with an upper-case name", quoteShort(e))
		case reservedEnv(name):
			v.add(n, "env %s cannot be set by a fix", name)
		case strings.ContainsRune(val, 0) || len(val) > maxArgBytes:
			v.add(n, "env %s: value too long or contains NUL", name)
		}
	}
	for _, c := range s.AllowExit {
		if c == 0 {
			v.add(n, "allow_exit lists 0, which always counts as success")
		}
	}
	if s.Timeout < 0 || s.Timeout > MaxTimeout {
		v.add(n, "timeout must be 0 to %s", MaxTimeout)
	}
}

// reservedEnv names variables the runner sets itself, and those that
// change which code a program loads.
func reservedEnv(name string) bool {
	switch name {
	case "PATH", "LANG", "LANGUAGE", "HOME", "IFS", "SHELL", "ENV", "BASH_ENV", "PATHEXT", "COMSPEC", "SYSTEMROOT":
		return true
	}
	return strings.HasPrefix(name, "LC_") || strings.HasPrefix(name, "LD_") || strings.HasPrefix(name, "DYLD_") ||
		strings.HasPrefix(name, "GCONV") || strings.HasPrefix(name, "PYTHON") || strings.HasPrefix(name, "PERL")
}

// placeholder reports whether arg is exactly "{{name}}" and returns name.
func placeholder(arg string) (string, bool) {
	if !strings.HasPrefix(arg, "{{") || !strings.HasSuffix(arg, "}}") || len(arg) < 5 {
		return "", false
	}
	name := arg[2 : len(arg)-2]
	return name, validName(name)
}

func (v *validator) removeOld(n int, goos string, s RemoveOld) {
	ri, ok := v.root(n, goos, s.Root, true)
	if ok && ri.needsPaths && len(s.Paths) == 0 {
		v.add(n, "root %s is too broad to clean whole: list the folders under it in paths", s.Root)
	}
	if len(s.Paths) > maxArgs || len(s.Exclude) > maxArgs {
		v.add(n, "at most %d paths and %d exclude patterns", maxArgs, maxArgs)
		return
	}
	for _, p := range s.Paths {
		v.relPath(n, p)
	}
	for _, pat := range append([]string{s.Pattern}, s.Exclude...) {
		if _, err := path.Match(pat, ""); err != nil || strings.ContainsAny(pat, `/\`) || strings.ContainsRune(pat, 0) {
			v.add(n, "pattern %s is not a file name pattern", quoteShort(pat))
		}
	}
	if s.OlderThan < 0 {
		v.add(n, "older_than cannot be negative")
	}
	if s.OlderThanParam != "" {
		p := v.f.param(s.OlderThanParam)
		if p == nil || p.Kind != ParamInt || p.Min < 0 {
			v.add(n, "older_than_param %s must name an int parameter of at least 0 (days)", quoteShort(s.OlderThanParam))
		}
	}
}

// root checks that name is an allow-listed root usable by this fix on goos,
// for removal (remove) or for starting a program.
func (v *validator) root(n int, goos, name string, remove bool) (rootInfo, bool) {
	ri, ok := rootInfoFor(name)
	switch {
	case !ok:
		v.add(n, "root %s is not one of the allowed roots", quoteShort(name))
		return ri, false
	case !slices.Contains(ri.oses, goos):
		v.add(n, "root %s does not exist on %s", name, goos)
	case ri.scope != v.f.RunsAs:
		v.add(n, "root %s is for %s fixes", name, ri.scope)
	case remove && !ri.remove:
		v.add(n, "files under root %s cannot be removed", name)
	case !remove && !ri.launch:
		v.add(n, "programs cannot be started from root %s", name)
	default:
		return ri, true
	}
	return ri, false
}

// relPath checks a slash-separated path under a root: relative, clean, no
// way up, nothing Windows would read as a drive or stream.
func (v *validator) relPath(n int, p string) {
	if p == "" || len(p) > 512 || path.IsAbs(p) || path.Clean(p) != p || p == "." ||
		strings.HasPrefix(p, "../") || p == ".." || strings.Contains(p, "/../") ||
		strings.ContainsAny(p, `\:*?"<>|`) || strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 }) {
		v.add(n, "path %s must be a clean relative folder path using /", quoteShort(p))
	}
}

func (v *validator) condition(n int, goos string, c Condition) {
	switch c.Kind {
	case CondNetworkUp:
		v.noArg(n, c)
	case CondPrintQueueEmpty:
		v.noArg(n, c)
		if goos == Windows {
			v.add(n, "condition print-queue-empty needs CUPS, which Windows does not have")
		}
	case CondDNSResolves:
		if len(c.Arg) > 253 || !hostRE.MatchString(c.Arg) {
			v.add(n, "condition dns-resolves needs a host name, not %s", quoteShort(c.Arg))
		}
	case CondServiceActive:
		if !serviceRE.MatchString(c.Arg) {
			v.add(n, "condition service-active needs a service name, not %s", quoteShort(c.Arg))
		}
	case CondProcessRunning, CondProcessGone:
		if !appRE.MatchString(c.Arg) {
			v.add(n, "condition %s needs a process name, not %s", c.Kind, quoteShort(c.Arg))
		}
	default:
		v.add(n, "unknown condition %s", quoteShort(string(c.Kind)))
	}
}

func (v *validator) noArg(n int, c Condition) {
	if c.Arg != "" {
		v.add(n, "condition %s takes no argument", c.Kind)
	}
}
