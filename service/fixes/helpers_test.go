package fixes

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	core "github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/audit"
	"github.com/firstline-it/firstline/internal/fixes/health"
)

// lab is a test machine: recorder scripts that leave marker files, fixes
// that run them, and a fixes.d folder.
type lab struct {
	t      *testing.T
	dir    string
	marker string // written by the recorder fix
	done   string // written by the slow fix when it finishes
	gate   string // the slow fix waits for this file before finishing
}

func newLab(t *testing.T) *lab {
	t.Helper()
	dir := t.TempDir()
	l := &lab{t: t, dir: dir, marker: filepath.Join(dir, "ran.marker"),
		done: filepath.Join(dir, "slow.done"), gate: filepath.Join(dir, "slow.gate")}
	l.script("record.sh", "echo \"$@\" >> '"+l.marker+"'\necho recorded \"$@\"\n")
	// The slow fix prints, then waits for the gate (at most 10 s) so a
	// test can act while it runs, then finishes.
	l.script("slow.sh", "echo started\ni=0\nwhile [ ! -e '"+l.gate+"' ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done\n"+
		"echo finished\ntouch '"+l.done+"'\n")
	return l
}

func (l *lab) script(name, body string) string {
	l.t.Helper()
	p := filepath.Join(l.dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		l.t.Fatal(err)
	}
	return p
}

func (l *lab) openGate() {
	l.t.Helper()
	if err := os.WriteFile(l.gate, nil, 0o644); err != nil {
		l.t.Fatal(err)
	}
}

// fixes are the lab's catalog: system fixes that run the scripts, one that
// needs a program that is missing, and a user fix.
func (l *lab) fixes() []core.Fix {
	linux := []string{core.Linux}
	return []core.Fix{
		{
			ID: "record", Title: "Record a run", Description: "Writes a marker.", Group: core.GroupInternet,
			OS: linux, RunsAs: core.RunsAsSystem,
			Params: []core.Param{
				{Name: "mode", Label: "Mode", Kind: core.ParamEnum, Enum: []string{"fast", "slow"}, Default: "fast"},
				{Name: "count", Label: "Count", Kind: core.ParamInt, Min: 1, Max: 5, Default: "1"},
			},
			Steps: []core.Step{core.Exec{Path: filepath.Join(l.dir, "record.sh"), Args: []string{"{{mode}}", "{{count}}"}}},
		},
		{
			ID: "slow", Title: "A slow fix", Description: "Waits for the gate.", Group: core.GroupSlow,
			OS: linux, RunsAs: core.RunsAsSystem, Timeout: 30 * time.Second,
			Steps: []core.Step{core.Exec{Path: filepath.Join(l.dir, "slow.sh")}},
		},
		{
			ID: "missing", Title: "Needs a missing program", Description: "Cannot run here.", Group: core.GroupSecurity,
			OS: linux, RunsAs: core.RunsAsSystem, Requires: []string{filepath.Join(l.dir, "no-such-program")},
			Steps: []core.Step{core.Exec{Path: filepath.Join(l.dir, "no-such-program")}},
		},
		{
			ID: "user-cache", Title: "Clear a cache", Description: "A user fix.", Group: core.GroupMeetings,
			OS: linux, RunsAs: core.RunsAsUser,
			Params: []core.Param{{Name: "days", Label: "Days", Kind: core.ParamInt, Min: 1, Max: 30, Default: "7"}},
			Steps: []core.Step{
				core.QuitApp{Name: "acmechat"},
				core.RemoveOld{Root: "user-cache", Paths: []string{"acmechat"}, OlderThanParam: "days"},
				core.RelaunchApp{Name: "acmechat"},
			},
		},
	}
}

// fixesDir makes a fixes.d folder holding files, as an installer would.
func (l *lab) fixesDir(files map[string]string) string {
	l.t.Helper()
	dir := filepath.Join(l.dir, "fixes.d")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		l.t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			l.t.Fatal(err)
		}
	}
	return dir
}

func (l *lab) ran() bool {
	_, err := os.Stat(l.marker)
	return err == nil
}

// options are a Service's options on the lab: no admin files, an audit
// log in the lab, a generous rate limit.
func (l *lab) options() Options {
	return Options{
		CatalogDir: filepath.Join(l.dir, "no-fixes.d"),
		Builtins:   l.fixes(),
		Platform:   core.Platform{GOOS: core.Linux},
		Roots:      map[string]string{},
		AuditPath:  filepath.Join(l.dir, "audit.log"),
		RateBurst:  100,
	}
}

func (l *lab) open(opts Options) *Service {
	l.t.Helper()
	s, err := New(opts)
	if err != nil {
		l.t.Fatal(err)
	}
	l.t.Cleanup(func() {
		if err := s.Close(); err != nil {
			l.t.Error(err)
		}
	})
	return s
}

// records reads the audit log.
func (l *lab) records(path string) []audit.Record {
	l.t.Helper()
	recs, err := audit.Read(path, audit.Filter{}, nil)
	if err != nil {
		l.t.Fatal(err)
	}
	return recs
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// inputs serves health inputs and counts the measurements.
type inputs struct {
	mu    sync.Mutex
	in    health.Input
	calls int
}

func (i *inputs) set(in health.Input) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.in = in
}

func (i *inputs) gather(context.Context) health.Input {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.calls++
	return i.in
}

func (i *inputs) count() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.calls
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
