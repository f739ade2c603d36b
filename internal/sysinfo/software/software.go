// Package software detects the workplace software IT supports on this
// machine — remote-help tools (with the ID the employee reads out), security
// software, the firewall, disk encryption, backup agents and the common
// workplace apps — for the system snapshot attached to a help request.
//
// Detection prefers files (package databases, the tools' own config and
// state files, the registry) over commands, because the whole snapshot has
// to stay fast. Every file is read under Env.Root, so tests point it at a
// fixture tree; every command goes through Env.Run with a timeout, so tests
// replay recorded outputs and a hung tool costs one timeout, not the
// snapshot.
//
// Detect never fails as a whole: a tool that cannot be read carries its
// own Error and the rest of the report is complete.
package software

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/command"
)

// Kind groups items the way the app and the ticket summary show them.
type Kind string

// The kinds, in the order a report lists them.
const (
	KindRemoteHelp Kind = "remote-help"
	KindSecurity   Kind = "security"
	KindFirewall   Kind = "firewall"
	KindEncryption Kind = "encryption"
	KindBackup     Kind = "backup"
	KindApp        Kind = "app"
)

// kindOrder is the position of each kind in a report; the helpdesk reads
// remote-help first because that is what the technician needs to connect.
func kindOrder(k Kind) int {
	switch k {
	case KindRemoteHelp:
		return 0
	case KindSecurity:
		return 1
	case KindFirewall:
		return 2
	case KindEncryption:
		return 3
	case KindBackup:
		return 4
	case KindApp:
		return 5
	default:
		return 6
	}
}

// Item is one detected tool.
type Item struct {
	// Name is the product as employees and IT know it: "TeamViewer",
	// "Microsoft Defender", "LUKS".
	Name string `json:"name"`
	// Kind groups the item.
	Kind Kind `json:"kind"`
	// Installed says the product is present. Only firewall, encryption and
	// (on Windows) Remote Desktop items are reported when it is false.
	Installed bool `json:"installed"`
	// Version is the version as the package manager or the app reports it.
	Version string `json:"version,omitempty"`
	// Running says the tool's process or service runs; nil when not
	// knowable.
	Running *bool `json:"running,omitempty"`
	// Enabled is the protective state: firewall on, Remote Desktop
	// accepting connections, disk encrypted, real-time protection on,
	// backups configured. Nil when not knowable.
	Enabled *bool `json:"enabled,omitempty"`
	// ID is the remote-help ID formatted as the tool shows it, the one IT
	// asks the employee to read out (TeamViewer, AnyDesk).
	ID string `json:"id,omitempty"`
	// LastBackup is when the last successful backup finished, where
	// readable.
	LastBackup *time.Time `json:"last_backup,omitempty"`
	// Definitions is the date of the antivirus signatures, where readable.
	Definitions *time.Time `json:"definitions,omitempty"`
	// Launch is the absolute path the app may start for a "Start
	// TeamViewer" button: an executable on Linux and Windows, the .app
	// bundle (to hand to /usr/bin/open) on macOS.
	Launch string `json:"launch,omitempty"`
	// Detail is a short human note, e.g. "/ and /home encrypted".
	Detail string `json:"detail,omitempty"`
	// Error says what went wrong detecting this item; the other fields
	// hold what could still be found.
	Error string `json:"error,omitempty"`
}

// Report is the software section of the system snapshot.
type Report struct {
	// Items are sorted by kind (remote-help first), then name.
	Items []Item `json:"items"`
	// Problems are failures that concern no single item, such as an
	// unreadable package database or a deadline that cut detection short.
	Problems []string `json:"problems,omitempty"`
}

// RunFunc runs an external command; see command.Func.
type RunFunc = command.Func

// DefaultTimeout bounds each external command when Env.Timeout is zero.
const DefaultTimeout = command.DefaultTimeout

// Env is what Detect reads from. The zero value detects on the live system.
type Env struct {
	// Root is the directory every file is read under: "" or "/" is the live
	// system, tests point it at a fixture tree. Paths of commands are the
	// live system's; tests inject Run instead.
	Root string
	// Run runs commands; nil means command.Runner(Timeout).
	Run RunFunc
	// Timeout bounds each command (default DefaultTimeout). Detect applies
	// it even to an injected Run.
	Timeout time.Duration
	// Logger receives debug notes on what was skipped; nil discards.
	Logger *slog.Logger
}

// Detect reports the workplace software of the machine. It never fails as
// a whole: problems are reported on the item they concern (Item.Error) or
// in Report.Problems, and the rest is complete. It returns once ctx is done
// with whatever was found by then.
func Detect(ctx context.Context, env Env) Report {
	s := newScan(env)
	items, problems := detect(ctx, s)
	// Detectors return a nameless item for "nothing here".
	items = slices.DeleteFunc(items, func(it Item) bool { return it.Name == "" })
	if err := context.Cause(ctx); err != nil {
		problems = append(problems, "detection cut short: "+err.Error())
	}
	sortItems(items)
	if items == nil {
		items = []Item{}
	}
	return Report{Items: items, Problems: problems}
}

// scan is one Detect call's view of the machine.
type scan struct {
	fs      rootFS
	run     RunFunc
	timeout time.Duration
	log     *slog.Logger
	// loc is the zone of times tools print without one (veeamconfig,
	// tmutil): the machine's local time.
	loc *time.Location
}

func newScan(env Env) *scan {
	if env.Timeout <= 0 {
		env.Timeout = DefaultTimeout
	}
	if env.Run == nil {
		env.Run = command.Runner(env.Timeout)
	}
	if env.Logger == nil {
		env.Logger = slog.New(slog.DiscardHandler)
	}
	return &scan{
		fs:      rootFS{root: env.Root},
		run:     env.Run,
		timeout: env.Timeout,
		log:     env.Logger,
		loc:     time.Local,
	}
}

// command runs one command under the per-command timeout, whatever Run
// does with its own.
func (s *scan) command(ctx context.Context, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out, err := s.run(ctx, name, args...)
	if err != nil && ctx.Err() != nil {
		return out, command.TimeoutError(ctx, name, s.timeout)
	}
	return out, err
}

// gather runs the detectors concurrently and waits for every one of them;
// each returns its items and the problems that belong to no item. Commands
// are the slow part of detection, so running detectors side by side bounds
// a Detect by the slowest command instead of their sum.
func gather(ctx context.Context, detectors ...func(context.Context) ([]Item, []string)) ([]Item, []string) {
	type result struct {
		items    []Item
		problems []string
	}
	results := make([]result, len(detectors))
	var wg sync.WaitGroup
	for i, d := range detectors {
		wg.Go(func() {
			items, problems := d(ctx)
			results[i] = result{items, problems}
		})
	}
	wg.Wait()
	var items []Item
	var problems []string
	for _, r := range results {
		items = append(items, r.items...)
		problems = append(problems, r.problems...)
	}
	return items, problems
}

func sortItems(items []Item) {
	slices.SortStableFunc(items, func(a, b Item) int {
		if d := kindOrder(a.Kind) - kindOrder(b.Kind); d != 0 {
			return d
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
}

// ptr returns a pointer to a copy of v, for the optional fields.
func ptr[T any](v T) *T { return &v }

// isTrue reports whether an optional flag is known and set.
func isTrue(b *bool) bool { return b != nil && *b }

// addError appends err to the item's Error, keeping earlier ones: a
// version that could not be read must not hide an ID that could not be.
func (it *Item) addError(err error) {
	if err == nil {
		return
	}
	if it.Error == "" {
		it.Error = err.Error()
		return
	}
	it.Error += "; " + err.Error()
}

// joinAnd lists words for a person: "a", "a and b", "a, b and c".
func joinAnd(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// firstLine is the first non-empty line of s, trimmed, for error messages.
func firstLine(s string) string {
	for line := range strings.Lines(s) {
		if line = strings.TrimSpace(line); line != "" {
			return line
		}
	}
	return ""
}
