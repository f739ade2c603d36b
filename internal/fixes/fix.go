package fixes

import (
	"errors"
	"strings"
	"time"
)

// RunsAs says which process runs a fix.
type RunsAs string

const (
	// RunsAsUser fixes run in the employee's session, by the tray app, on
	// the employee's own files (an app's cache in their home).
	RunsAsUser RunsAs = "user"
	// RunsAsSystem fixes run in the service, with its privileges.
	RunsAsSystem RunsAs = "system"
)

// Group is the problem a fix helps with, as the app groups them.
type Group string

// The groups, in the order the app shows them.
const (
	GroupInternet Group = "Internet"
	GroupPrinting Group = "Printing"
	GroupMeetings Group = "Meetings & chat"
	GroupSlow     Group = "Slow computer"
	GroupSecurity Group = "Security"
)

// Groups lists the groups in display order.
func Groups() []Group {
	return []Group{GroupInternet, GroupPrinting, GroupMeetings, GroupSlow, GroupSecurity}
}

// The OSes a fix can name.
const (
	Linux   = "linux"
	Windows = "windows"
	Darwin  = "darwin"
)

// Limits of a fix's overall timeout. The lower bound keeps a typo from
// killing every run; the upper one keeps a hung fix from holding its slot
// (one run per fix at a time) for the rest of the day.
const (
	MinTimeout     = time.Second
	MaxTimeout     = 2 * time.Hour
	DefaultTimeout = 5 * time.Minute
)

// Errors a catalog lookup returns; the runner turns them into refusals.
var (
	ErrUnknownFix = errors.New("no such fix")
	ErrDisabled   = errors.New("this fix was turned off by IT")
)

// Fix is one repair. Build it as a literal (built-ins) or decode it from an
// admin file (catalog); either way call [Fix.Validate] before use.
type Fix struct {
	// ID is stable and lower-case ("flush-dns"); admin files and the audit
	// log refer to it.
	ID string
	// Title is the button label ("Flush the DNS cache").
	Title string
	// Description is plain language for the employee: what it does, how
	// long it takes and what it interrupts.
	Description string
	// Group is the problem it helps with.
	Group Group
	// OS are the operating systems it applies to (Linux, Windows, Darwin).
	OS []string
	// RunsAs says whether the tray app (user) or the service (system) runs
	// it. Each refuses the other's fixes.
	RunsAs RunsAs
	// Params are the values the caller may choose, each validated before
	// anything runs.
	Params []Param
	// Steps run in order; the first that fails ends the run.
	Steps []Step
	// Timeout bounds the whole run; zero means DefaultTimeout.
	Timeout time.Duration
	// Requires are absolute paths that must exist for the fix to be
	// offered (the backup agent, the antivirus CLI).
	Requires []string
	// RequiresAny are absolute paths of which at least one must exist
	// (resolvectl or nscd: a DNS cache to flush).
	RequiresAny []string
	// NextSteps is what the employee should try when the fix failed; a
	// generic text is used when empty.
	NextSteps string
}

// EffectiveTimeout is Timeout, or DefaultTimeout when unset.
func (f *Fix) EffectiveTimeout() time.Duration {
	if f.Timeout <= 0 {
		return DefaultTimeout
	}
	return f.Timeout
}

// AppliesTo reports whether the fix is meant for goos.
func (f *Fix) AppliesTo(goos string) bool {
	for _, o := range f.OS {
		if o == goos {
			return true
		}
	}
	return false
}

// Clone returns a deep copy, so a catalog can hand out fixes that callers
// may not change behind its back.
func (f *Fix) Clone() Fix {
	c := *f
	c.OS = append([]string(nil), f.OS...)
	c.Requires = append([]string(nil), f.Requires...)
	c.RequiresAny = append([]string(nil), f.RequiresAny...)
	c.Params = make([]Param, len(f.Params))
	for i, p := range f.Params {
		c.Params[i] = p
		c.Params[i].Enum = append([]string(nil), p.Enum...)
	}
	c.Steps = make([]Step, len(f.Steps))
	for i, s := range f.Steps {
		c.Steps[i] = s.clone()
	}
	return c
}

// Missing is the requirement this machine lacks, as a path or "one of
// PATH, PATH", or "" when every requirement is met. exists reports whether
// a path exists; the runner points it at a test root.
func (f *Fix) Missing(exists func(path string) bool) string {
	for _, p := range f.Requires {
		if !exists(p) {
			return p
		}
	}
	if len(f.RequiresAny) == 0 {
		return ""
	}
	for _, p := range f.RequiresAny {
		if exists(p) {
			return ""
		}
	}
	return "one of " + strings.Join(f.RequiresAny, ", ")
}

// genericNextSteps is shown when a fix has no NextSteps of its own.
const genericNextSteps = "Restart your computer and try once more. If it is still broken, choose \"Get help\": " +
	"this fix's log is attached to your report so IT can see what was tried."

// WhatNext is the text to show after a failed run.
func (f *Fix) WhatNext() string {
	if f.NextSteps != "" {
		return f.NextSteps
	}
	return genericNextSteps
}
