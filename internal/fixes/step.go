package fixes

import (
	"slices"
	"time"
)

// StepKind names an action; it is the key admin files use for it.
type StepKind string

// The fixed set of actions a step can take.
const (
	KindExec        StepKind = "exec"
	KindService     StepKind = "service"
	KindRemoveOld   StepKind = "remove_old"
	KindQuitApp     StepKind = "quit_app"
	KindRelaunchApp StepKind = "relaunch_app"
	KindWaitFor     StepKind = "wait_for"
	KindCheck       StepKind = "check"
)

// Step is one action of a fix: one of [Exec], [ServiceAction], [RemoveOld],
// [QuitApp], [RelaunchApp], [WaitFor] or [Check]. The set is closed (the
// interface has unexported methods) because every action is reviewed code:
// an admin file can combine them, not invent new ones.
type Step interface {
	Kind() StepKind
	clone() Step
}

// Exec runs an executable by absolute path, without a shell, with a fixed
// environment. An Args element that is exactly "{{name}}" is replaced by the
// validated value of parameter name; placeholders inside a longer element
// are refused by Validate, so a value never becomes part of another word.
type Exec struct {
	Path string
	Args []string
	// Env adds NAME=value pairs to the fixed environment
	// (DEBIAN_FRONTEND=noninteractive, say). PATH, the locale and the
	// dynamic loader's variables cannot be set.
	Env []string
	// AllowExit lists non-zero exit codes that still count as success.
	AllowExit []int
	// SkipIfMissing skips the step, instead of failing, when Path does not
	// exist: "flush nscd's cache too, where nscd is installed".
	SkipIfMissing bool
	// Timeout bounds this step; zero leaves only the fix's timeout.
	Timeout time.Duration
}

// ServiceAction stops, starts or restarts a system service (or, with User,
// one of the employee's own services) with the OS's service manager.
type ServiceAction struct {
	// Name is the systemd unit, Windows service name or launchd label.
	Name   string
	Action ServiceVerb
	// User targets the user's service manager (systemctl --user, the
	// gui/UID launchd domain); only user fixes may set it.
	User bool
}

// ServiceVerb is what to do to a service.
type ServiceVerb string

// The service verbs.
const (
	ServiceStop    ServiceVerb = "stop"
	ServiceStart   ServiceVerb = "start"
	ServiceRestart ServiceVerb = "restart"
)

// RemoveOld deletes files older than a cutoff under one of the allow-listed
// roots (see [RootNames]), without ever following a symbolic link out of
// the root, and reports the bytes reclaimed.
type RemoveOld struct {
	// Root names an allow-listed folder ("temp", "user-cache"); the runner
	// resolves it for the OS and the user.
	Root string
	// Paths are folders under Root, slash-separated and relative, to clean
	// instead of the whole root. Roots like the home folder require them.
	Paths []string
	// Pattern is matched against file names (path.Match syntax); empty
	// matches every file.
	Pattern string
	// Exclude are name patterns skipped entirely, directories included
	// (systemd's private temp folders, X11 sockets).
	Exclude []string
	// OlderThan is the minimum age, by modification time; zero removes
	// every matching file.
	OlderThan time.Duration
	// OlderThanParam names an int parameter holding the age in days; it
	// overrides OlderThan when set.
	OlderThanParam string
}

// QuitApp asks every process of the current user named Name to quit, and
// kills those still running after Grace. User fixes only.
type QuitApp struct {
	Name  string
	Grace time.Duration
}

// RelaunchApp starts again what QuitApp stopped for Name (the same
// executable). When nothing was running and Path is set, it starts
// Root/Path instead, so "restart OneDrive" also starts a crashed OneDrive.
type RelaunchApp struct {
	Name string
	Root string
	Path string
}

// WaitFor polls Condition until it holds or Timeout passes (a failure).
type WaitFor struct {
	Condition Condition
	Timeout   time.Duration
}

// Check fails the fix with Message unless Condition holds.
type Check struct {
	Condition Condition
	Message   string
}

// Condition is one of a fixed set of things the runner can test.
type Condition struct {
	Kind ConditionKind
	// Arg is the host, service or process name the kind needs.
	Arg string
}

// ConditionKind names a condition.
type ConditionKind string

// The conditions.
const (
	// CondNetworkUp holds when an interface other than loopback is up and
	// has an address.
	CondNetworkUp ConditionKind = "network-up"
	// CondDNSResolves holds when Arg (a host name) resolves.
	CondDNSResolves ConditionKind = "dns-resolves"
	// CondServiceActive holds when the system service Arg is running.
	CondServiceActive ConditionKind = "service-active"
	// CondProcessRunning holds when a process of the current user named
	// Arg runs; CondProcessGone when none does.
	CondProcessRunning ConditionKind = "process-running"
	CondProcessGone    ConditionKind = "process-gone"
	// CondPrintQueueEmpty holds when no print job is queued (CUPS).
	CondPrintQueueEmpty ConditionKind = "print-queue-empty"
)

func (Exec) Kind() StepKind          { return KindExec }
func (ServiceAction) Kind() StepKind { return KindService }
func (RemoveOld) Kind() StepKind     { return KindRemoveOld }
func (QuitApp) Kind() StepKind       { return KindQuitApp }
func (RelaunchApp) Kind() StepKind   { return KindRelaunchApp }
func (WaitFor) Kind() StepKind       { return KindWaitFor }
func (Check) Kind() StepKind         { return KindCheck }

func (s Exec) clone() Step {
	s.Args, s.Env, s.AllowExit = slices.Clone(s.Args), slices.Clone(s.Env), slices.Clone(s.AllowExit)
	return s
}
func (s ServiceAction) clone() Step { return s }
func (s RemoveOld) clone() Step {
	s.Paths, s.Exclude = slices.Clone(s.Paths), slices.Clone(s.Exclude)
	return s
}
func (s QuitApp) clone() Step     { return s }
func (s RelaunchApp) clone() Step { return s }
func (s WaitFor) clone() Step     { return s }
func (s Check) clone() Step       { return s }
