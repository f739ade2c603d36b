package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/firstline-it/firstline/internal/fixes"
)

// File is one admin file, parsed and checked on its own.
type File struct {
	Name string
	// Disable are ids of fixes to turn off.
	Disable []string
	// Overrides change the parameters of existing fixes.
	Overrides []Override
	// Fixes are the company's own fixes, validated.
	Fixes []fixes.Fix

	lines lineMap
}

// Override changes an existing fix.
type Override struct {
	ID     string
	Params []ParamOverride
	line   int
}

// ParamOverride changes one parameter; nil fields keep their value.
type ParamOverride struct {
	Name     string
	Min, Max *int
	Default  *string
	// Enum replaces the accepted values of an enum parameter.
	Enum []string
}

// The file format, as TOML decodes it. Unknown keys are refused, so a
// typo is an error rather than a silently ignored setting.
type fileDoc struct {
	Disable  []string      `toml:"disable"`
	Override []overrideDoc `toml:"override"`
	Fix      []fixDoc      `toml:"fix"`
}

type overrideDoc struct {
	ID    string             `toml:"id"`
	Param []paramOverrideDoc `toml:"param"`
}

type paramOverrideDoc struct {
	Name    string   `toml:"name"`
	Min     *int     `toml:"min"`
	Max     *int     `toml:"max"`
	Default *string  `toml:"default"`
	Enum    []string `toml:"enum"`
}

type fixDoc struct {
	ID          string     `toml:"id"`
	Title       string     `toml:"title"`
	Description string     `toml:"description"`
	Group       string     `toml:"group"`
	OS          []string   `toml:"os"`
	RunsAs      string     `toml:"runs_as"`
	Timeout     string     `toml:"timeout"`
	Requires    []string   `toml:"requires"`
	RequiresAny []string   `toml:"requires_any"`
	NextSteps   string     `toml:"next_steps"`
	Param       []paramDoc `toml:"param"`
	Step        []stepDoc  `toml:"step"`
}

type paramDoc struct {
	Name    string   `toml:"name"`
	Label   string   `toml:"label"`
	Kind    string   `toml:"kind"`
	Enum    []string `toml:"enum"`
	Min     int      `toml:"min"`
	Max     int      `toml:"max"`
	Default string   `toml:"default"`
}

// stepDoc holds every key a step can have; exactly one action key (exec,
// service, remove_old, quit_app, relaunch_app, wait_for, check) says what
// the step is, and keys of other actions are refused.
type stepDoc struct {
	Exec        *string `toml:"exec"`
	Service     *string `toml:"service"`
	RemoveOld   *string `toml:"remove_old"`
	QuitApp     *string `toml:"quit_app"`
	RelaunchApp *string `toml:"relaunch_app"`
	WaitFor     *string `toml:"wait_for"`
	Check       *string `toml:"check"`

	Args           []string `toml:"args"`
	Env            []string `toml:"env"`
	AllowExit      []int    `toml:"allow_exit"`
	SkipIfMissing  *bool    `toml:"skip_if_missing"`
	Timeout        *string  `toml:"timeout"`
	Action         *string  `toml:"action"`
	User           *bool    `toml:"user"`
	Paths          []string `toml:"paths"`
	Pattern        *string  `toml:"pattern"`
	Exclude        []string `toml:"exclude"`
	OlderThan      *string  `toml:"older_than"`
	OlderThanParam *string  `toml:"older_than_param"`
	Grace          *string  `toml:"grace"`
	Root           *string  `toml:"root"`
	Path           *string  `toml:"path"`
	Arg            *string  `toml:"arg"`
	Message        *string  `toml:"message"`
}

// Parse reads one admin file. Any problem makes the whole file unusable:
// half an admin's intent applied is worse than none, and the problems say
// what to correct, each with its line.
func Parse(name string, data []byte) (*File, []Problem) {
	var doc fileDoc
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, decodeProblems(name, err)
	}
	f := &File{Name: name, lines: scanLines(data)}
	var probs []Problem
	add := func(line int, format string, args ...any) {
		probs = append(probs, Problem{File: name, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	for _, id := range doc.Disable {
		if !idRE.MatchString(id) {
			add(f.lines.disable, "disable: %q is not a fix id", id)
		}
	}
	f.Disable = doc.Disable
	for i, o := range doc.Override {
		line := f.lines.at(f.lines.override, i)
		if !idRE.MatchString(o.ID) {
			add(line, "override: %q is not a fix id", o.ID)
		}
		ov := Override{ID: o.ID, line: line}
		for _, p := range o.Param {
			ov.Params = append(ov.Params, ParamOverride(p))
		}
		f.Overrides = append(f.Overrides, ov)
	}
	for i, fd := range doc.Fix {
		fix, errs := fd.build()
		line := f.lines.at(f.lines.fix, i)
		for _, e := range errs {
			add(f.lines.stepLine(i, e.step, line), "fix %s: %s", quoteID(fd.ID), e.msg)
		}
		if len(errs) > 0 {
			continue
		}
		var ve *fixes.ValidationError
		if err := fix.Validate(); errors.As(err, &ve) {
			for _, p := range ve.Problems {
				l := f.lines.stepLine(i, p.Step, line)
				if p.Param > 0 {
					l = f.lines.paramLine(i, p.Param, line)
				}
				add(l, "fix %s: %s", quoteID(fd.ID), p.Message)
			}
			continue
		}
		f.Fixes = append(f.Fixes, fix)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return f, nil
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

func quoteID(id string) string {
	if idRE.MatchString(id) {
		return id
	}
	if len(id) > 40 {
		id = id[:40]
	}
	return strconv.Quote(id)
}

// buildError is a problem found turning a fixDoc into a Fix; step is the
// 1-based step concerned, 0 for the fix.
type buildError struct {
	step int
	msg  string
}

func (fd *fixDoc) build() (fixes.Fix, []buildError) {
	var errs []buildError
	bad := func(step int, format string, args ...any) {
		errs = append(errs, buildError{step: step, msg: fmt.Sprintf(format, args...)})
	}
	f := fixes.Fix{
		ID: fd.ID, Title: fd.Title, Description: fd.Description, Group: fixes.Group(fd.Group),
		OS: fd.OS, RunsAs: fixes.RunsAs(fd.RunsAs), Requires: fd.Requires, RequiresAny: fd.RequiresAny, NextSteps: fd.NextSteps,
	}
	if fd.Timeout != "" {
		d, err := parseDuration(fd.Timeout)
		if err != nil {
			bad(0, "timeout: %v", err)
		}
		f.Timeout = d
	}
	for _, p := range fd.Param {
		f.Params = append(f.Params, fixes.Param{Name: p.Name, Label: p.Label, Kind: fixes.ParamKind(p.Kind),
			Enum: p.Enum, Min: p.Min, Max: p.Max, Default: p.Default})
	}
	for i := range fd.Step {
		s, err := fd.Step[i].build()
		if err != nil {
			bad(i+1, "step %d: %v", i+1, err)
			continue
		}
		f.Steps = append(f.Steps, s)
	}
	return f, errs
}

func (sd *stepDoc) build() (fixes.Step, error) {
	actions := map[string]*string{"exec": sd.Exec, "service": sd.Service, "remove_old": sd.RemoveOld,
		"quit_app": sd.QuitApp, "relaunch_app": sd.RelaunchApp, "wait_for": sd.WaitFor, "check": sd.Check}
	var kind string
	for k, v := range actions {
		if v == nil {
			continue
		}
		if kind != "" {
			return nil, errors.New("a step has exactly one of exec, service, remove_old, quit_app, relaunch_app, wait_for, check")
		}
		kind = k
	}
	if kind == "" {
		return nil, errors.New("a step needs one of exec, service, remove_old, quit_app, relaunch_app, wait_for, check")
	}
	if extra := sd.keysBesides(allowedKeys(kind)); extra != "" {
		return nil, fmt.Errorf("%s is not used by a %s step", extra, kind)
	}
	timeout, err := optDuration("timeout", sd.Timeout)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "exec":
		return fixes.Exec{Path: *sd.Exec, Args: sd.Args, Env: sd.Env, AllowExit: sd.AllowExit,
			SkipIfMissing: deref(sd.SkipIfMissing), Timeout: timeout}, nil
	case "service":
		return fixes.ServiceAction{Name: *sd.Service, Action: fixes.ServiceVerb(derefS(sd.Action)), User: deref(sd.User)}, nil
	case "remove_old":
		age, err := optDuration("older_than", sd.OlderThan)
		if err != nil {
			return nil, err
		}
		return fixes.RemoveOld{Root: *sd.RemoveOld, Paths: sd.Paths, Pattern: derefS(sd.Pattern), Exclude: sd.Exclude,
			OlderThan: age, OlderThanParam: derefS(sd.OlderThanParam)}, nil
	case "quit_app":
		grace, err := optDuration("grace", sd.Grace)
		if err != nil {
			return nil, err
		}
		return fixes.QuitApp{Name: *sd.QuitApp, Grace: grace}, nil
	case "relaunch_app":
		return fixes.RelaunchApp{Name: *sd.RelaunchApp, Root: derefS(sd.Root), Path: derefS(sd.Path)}, nil
	case "wait_for":
		return fixes.WaitFor{Condition: fixes.Condition{Kind: fixes.ConditionKind(*sd.WaitFor), Arg: derefS(sd.Arg)}, Timeout: timeout}, nil
	default:
		return fixes.Check{Condition: fixes.Condition{Kind: fixes.ConditionKind(*sd.Check), Arg: derefS(sd.Arg)}, Message: derefS(sd.Message)}, nil
	}
}

// allowedKeys are the keys besides the action key that kind uses.
func allowedKeys(kind string) []string {
	switch kind {
	case "exec":
		return []string{"args", "env", "allow_exit", "skip_if_missing", "timeout"}
	case "service":
		return []string{"action", "user"}
	case "remove_old":
		return []string{"paths", "pattern", "exclude", "older_than", "older_than_param"}
	case "quit_app":
		return []string{"grace"}
	case "relaunch_app":
		return []string{"root", "path"}
	case "wait_for":
		return []string{"arg", "timeout"}
	default:
		return []string{"arg", "message"}
	}
}

// keysBesides returns the first set key not in allowed, in a fixed order.
func (sd *stepDoc) keysBesides(allowed []string) string {
	set := []struct {
		key string
		on  bool
	}{
		{"args", sd.Args != nil}, {"env", sd.Env != nil}, {"allow_exit", sd.AllowExit != nil},
		{"skip_if_missing", sd.SkipIfMissing != nil}, {"timeout", sd.Timeout != nil}, {"action", sd.Action != nil},
		{"user", sd.User != nil}, {"paths", sd.Paths != nil}, {"pattern", sd.Pattern != nil},
		{"exclude", sd.Exclude != nil}, {"older_than", sd.OlderThan != nil}, {"older_than_param", sd.OlderThanParam != nil},
		{"grace", sd.Grace != nil}, {"root", sd.Root != nil}, {"path", sd.Path != nil}, {"arg", sd.Arg != nil},
		{"message", sd.Message != nil},
	}
	for _, s := range set {
		if s.on && !contains(allowed, s.key) {
			return s.key
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func deref(b *bool) bool {
	return b != nil && *b
}

func derefS(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func optDuration(key string, s *string) (time.Duration, error) {
	if s == nil {
		return 0, nil
	}
	d, err := parseDuration(*s)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", key, err)
	}
	return d, nil
}

// parseDuration reads Go durations ("90s", "2m") and whole days ("7d"),
// which admins think in for file ages.
func parseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 3650 {
			return 0, fmt.Errorf("%q is not a number of days (like \"7d\")", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration (like \"30s\", \"5m\" or \"7d\")", s)
	}
	return d, nil
}

// decodeProblems turns a TOML error into problems with lines, in words
// about keys rather than Go types.
func decodeProblems(name string, err error) []Problem {
	var se *toml.StrictMissingError
	if errors.As(err, &se) {
		var out []Problem
		for i := range se.Errors {
			row, _ := se.Errors[i].Position()
			out = append(out, Problem{File: name, Line: row,
				Message: fmt.Sprintf("unknown key %q", strings.Join(se.Errors[i].Key(), "."))})
		}
		return out
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		if m := typeErrRE.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("%s: expected %s, got a TOML %s", strings.Join(de.Key(), "."), goTypeName(m[2]), m[1])
		} else {
			msg = "syntax error: " + msg
		}
		return []Problem{{File: name, Line: row, Message: msg, Err: err}}
	}
	return []Problem{{File: name, Message: err.Error(), Err: err}}
}

var typeErrRE = regexp.MustCompile(`^cannot decode TOML (\w+) into struct field \S+ of type (\S+)$`)

func goTypeName(t string) string {
	switch strings.TrimPrefix(t, "*") {
	case "string":
		return "a string"
	case "int":
		return "an integer"
	case "bool":
		return "true or false"
	case "[]string":
		return "a list of strings"
	case "[]int":
		return "a list of integers"
	}
	return "a table"
}

// lineMap is where the headers of a file's tables are, so that problems
// found after decoding can still name a line.
type lineMap struct {
	disable       int
	override      []int
	fix           []int
	fixStep       map[int][]int
	fixParam      map[int][]int
	overrideParam map[int][]int
}

func (m lineMap) at(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}

// stepLine is the line of step (1-based) of fix i, or def.
func (m lineMap) stepLine(i, step, def int) int {
	if step > 0 && step <= len(m.fixStep[i]) {
		return m.fixStep[i][step-1]
	}
	return def
}

func (m lineMap) paramLine(i, param, def int) int {
	if param > 0 && param <= len(m.fixParam[i]) {
		return m.fixParam[i][param-1]
	}
	return def
}

// scanLines finds the [[fix]], [[fix.step]], [[fix.param]], [[override]]
// headers and the disable key. Arrays written inline ("step = [{…}]") have
// no headers; their problems get the line of the fix.
func scanLines(data []byte) lineMap {
	m := lineMap{fixStep: map[int][]int{}, fixParam: map[int][]int{}, overrideParam: map[int][]int{}}
	var p unstable.Parser
	p.Reset(data)
	lineOf := func(n *unstable.Node) int {
		if n == nil {
			return 0
		}
		return p.Shape(n.Raw).Start.Line
	}
	inTable := false
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.ArrayTable, unstable.Table:
			inTable = true
			if e.Kind != unstable.ArrayTable {
				continue
			}
			key := keyString(e.Key())
			line := lineOf(e.Child())
			switch key {
			case "fix":
				m.fix = append(m.fix, line)
			case "fix.step":
				i := len(m.fix) - 1
				m.fixStep[i] = append(m.fixStep[i], line)
			case "fix.param":
				i := len(m.fix) - 1
				m.fixParam[i] = append(m.fixParam[i], line)
			case "override":
				m.override = append(m.override, line)
			case "override.param":
				i := len(m.override) - 1
				m.overrideParam[i] = append(m.overrideParam[i], line)
			}
		case unstable.KeyValue:
			if !inTable {
				it := e.Key()
				if it.Next() && string(it.Node().Data) == "disable" {
					m.disable = lineOf(it.Node())
				}
			}
		}
	}
	return m
}

func keyString(it unstable.Iterator) string {
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return strings.Join(parts, ".")
}
