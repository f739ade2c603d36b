package fixes

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParamKind is the type of a parameter. There is deliberately no free-text
// kind: every value a caller can send is an enum member, a bounded integer
// or a boolean, so nothing a caller types can name a path or a command.
type ParamKind string

// The parameter kinds.
const (
	ParamEnum ParamKind = "enum"
	ParamInt  ParamKind = "int"
	ParamBool ParamKind = "bool"
)

// Param declares a value the caller may choose.
type Param struct {
	// Name is what placeholders ("{{days}}") and callers use.
	Name string
	// Label is shown in the app ("Delete temporary files older than (days)").
	Label string
	Kind  ParamKind
	// Enum are the accepted values of an enum parameter.
	Enum []string
	// Min and Max bound an int parameter, inclusive.
	Min, Max int
	// Default is used when the caller does not send the parameter, written
	// as the caller would write it ("7", "true", "14d").
	Default string
}

// Values are validated parameter values by name, in canonical form (an int
// without sign or leading zeros, "true"/"false"). Only [Fix.Values] makes
// them; a Values filled any other way is rejected by [Fix.Plan].
type Values struct {
	m map[string]string
}

// Get returns the value of name.
func (v Values) Get(name string) (string, bool) {
	s, ok := v.m[name]
	return s, ok
}

// Map returns a copy of the values, for the audit log and display.
func (v Values) Map() map[string]string { return maps.Clone(v.m) }

// Limits on what a caller may send. The values a fix accepts are short
// (a number, an enum member); anything longer is refused before it is
// looked at further, and is never echoed back whole.
const (
	MaxParams     = 16
	maxValueBytes = 256
	maxNameBytes  = 64
)

// ParamError is why a caller's parameter was refused.
type ParamError struct {
	Param  string
	Reason string
}

func (e *ParamError) Error() string {
	if e.Param == "" {
		return "parameters: " + e.Reason
	}
	return fmt.Sprintf("parameter %s: %s", quoteShort(e.Param), e.Reason)
}

// Values checks what a caller sent against the fix's declarations and
// fills in defaults. Unknown names, values of the wrong kind, out of range
// or not in the enum are refused, and so is anything carrying characters no
// valid value has (shell metacharacters, "../", NUL, control characters):
// those are refused with a reason that says so, so the audit log shows an
// attack for what it is.
func (f *Fix) Values(sent map[string]string) (Values, error) {
	if len(sent) > MaxParams {
		return Values{}, &ParamError{Reason: fmt.Sprintf("%d parameters sent, at most %d are accepted", len(sent), MaxParams)}
	}
	// Report in a stable order whatever the map's.
	for _, name := range slices.Sorted(maps.Keys(sent)) {
		if err := screenName(name); err != nil {
			return Values{}, err
		}
		if f.param(name) == nil {
			return Values{}, &ParamError{Param: name, Reason: "this fix has no such parameter"}
		}
	}
	out := make(map[string]string, len(f.Params))
	for _, p := range f.Params {
		raw, ok := sent[p.Name]
		if !ok {
			raw = p.Default
		}
		v, err := p.check(raw)
		if err != nil {
			return Values{}, err
		}
		out[p.Name] = v
	}
	return Values{m: out}, nil
}

func (f *Fix) param(name string) *Param {
	for i := range f.Params {
		if f.Params[i].Name == name {
			return &f.Params[i]
		}
	}
	return nil
}

func screenName(name string) error {
	if len(name) > maxNameBytes || !validName(name) {
		return &ParamError{Param: name, Reason: "not a parameter name"}
	}
	return nil
}

// check validates one raw value and returns its canonical form.
func (p *Param) check(raw string) (string, error) {
	if reason := screenValue(raw); reason != "" {
		return "", &ParamError{Param: p.Name, Reason: reason}
	}
	switch p.Kind {
	case ParamEnum:
		if slices.Contains(p.Enum, raw) {
			return raw, nil
		}
		return "", &ParamError{Param: p.Name, Reason: fmt.Sprintf("%s is not one of %s", quoteShort(raw), strings.Join(p.Enum, ", "))}
	case ParamInt:
		n, err := strconv.Atoi(raw)
		if err != nil || strings.HasPrefix(raw, "+") {
			return "", &ParamError{Param: p.Name, Reason: fmt.Sprintf("%s is not a whole number", quoteShort(raw))}
		}
		if n < p.Min || n > p.Max {
			return "", &ParamError{Param: p.Name, Reason: fmt.Sprintf("%d is out of range (%d to %d)", n, p.Min, p.Max)}
		}
		return strconv.Itoa(n), nil
	case ParamBool:
		switch raw {
		case "true", "false":
			return raw, nil
		}
		return "", &ParamError{Param: p.Name, Reason: fmt.Sprintf("%s is not true or false", quoteShort(raw))}
	}
	return "", &ParamError{Param: p.Name, Reason: fmt.Sprintf("unknown kind %q", p.Kind)}
}

// screenValue returns why raw cannot be any parameter's value, or "". It
// runs before the kind-specific checks so that injection attempts are named
// as such rather than as "not in the enum".
func screenValue(raw string) string {
	switch {
	case len(raw) > maxValueBytes:
		return fmt.Sprintf("value of %d bytes refused (at most %d)", len(raw), maxValueBytes)
	case !utf8.ValidString(raw):
		return "value is not valid UTF-8"
	case strings.ContainsFunc(raw, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "value contains control characters (NUL, newline, escape)"
	case strings.ContainsAny(raw, ";|&$`<>(){}*?!~\"'\\"):
		return "value contains shell or template characters"
	case strings.Contains(raw, "..") || strings.ContainsRune(raw, '/'):
		return "value contains a path"
	}
	return ""
}

// quoteShort quotes s for a message, cut to a length that keeps a hostile
// megabyte out of logs.
func quoteShort(s string) string {
	const keep = 32
	if len(s) > keep {
		cut := keep
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}
