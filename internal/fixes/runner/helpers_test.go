package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/audit"
)

// fakeCatalog serves fixes from a map; ids in disabled are turned off.
type fakeCatalog struct {
	fixes    map[string]fixes.Fix
	disabled map[string]bool
}

func catalogOf(list ...fixes.Fix) *fakeCatalog {
	c := &fakeCatalog{fixes: map[string]fixes.Fix{}, disabled: map[string]bool{}}
	for _, f := range list {
		c.fixes[f.ID] = f
	}
	return c
}

func (c *fakeCatalog) Lookup(id string) (fixes.Fix, error) {
	if c.disabled[id] {
		return fixes.Fix{}, fmt.Errorf("fix %s: %w", id, fixes.ErrDisabled)
	}
	f, ok := c.fixes[id]
	if !ok {
		return fixes.Fix{}, fmt.Errorf("fix %q: %w", id, fixes.ErrUnknownFix)
	}
	return f.Clone(), nil
}

// memAudit keeps records in memory.
type memAudit struct {
	mu   sync.Mutex
	recs []audit.Record
}

func (m *memAudit) Append(r audit.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.recs = append(m.recs, r)
	return nil
}

func (m *memAudit) all() []audit.Record {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]audit.Record(nil), m.recs...)
}

// sandbox is a test root holding recorder executables at the paths the
// fixes name: each appends its argv to calls.log and prints a line.
type sandbox struct {
	t    *testing.T
	root string
	log  string
}

func newSandbox(t *testing.T) *sandbox {
	root := t.TempDir()
	return &sandbox{t: t, root: root, log: filepath.Join(root, "calls.log")}
}

// recorder installs a recorder at path (absolute, as a fix names it);
// extra is shell code run after recording (exit 3, sleep, print).
func (s *sandbox) recorder(path, extra string) {
	s.t.Helper()
	full := filepath.Join(s.root, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		s.t.Fatal(err)
	}
	script := fmt.Sprintf("#!/bin/sh\n{ printf '%%s' \"$0\"; for a in \"$@\"; do printf '\\037%%s' \"$a\"; done; printf '\\n'; } >> '%s'\necho \"ran $(basename \"$0\")\"\n%s\n",
		s.log, extra)
	if err := os.WriteFile(full, []byte(script), 0o755); err != nil {
		s.t.Fatal(err)
	}
}

// calls returns the recorded argvs, paths given back as the fix named them.
func (s *sandbox) calls() [][]string {
	s.t.Helper()
	data, err := os.ReadFile(s.log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		s.t.Fatal(err)
	}
	var out [][]string
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		argv := strings.Split(line, "\x1f")
		argv[0] = strings.TrimPrefix(argv[0], s.root)
		out = append(out, argv)
	}
	return out
}

func (s *sandbox) mapPath(p string) string { return filepath.Join(s.root, p) }

// fakeApps records quits and launches; running names the apps "running".
type fakeApps struct {
	mu       sync.Mutex
	running  map[string]string // name -> exe
	quits    []string
	launches []string
}

func (a *fakeApps) Quit(_ context.Context, name string, _ time.Duration) ([]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.quits = append(a.quits, name)
	if exe, ok := a.running[name]; ok {
		delete(a.running, name)
		return []string{exe, exe}, nil // an app's helper processes share its exe
	}
	return nil, nil
}

func (a *fakeApps) Launch(_ context.Context, exe string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.launches = append(a.launches, exe)
	return nil
}

func (a *fakeApps) Running(_ context.Context, name string) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	_, ok := a.running[name]
	return ok, nil
}

// fakeConditions answers every condition with ok.
type fakeConditions struct {
	ok    bool
	mu    sync.Mutex
	asked []fixes.Condition
}

func (c *fakeConditions) Holds(_ context.Context, cond fixes.Condition) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.asked = append(c.asked, cond)
	return c.ok, nil
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newTestRunner builds a Linux runner over sb with generous limits; edit
// opts to change them.
func newTestRunner(t *testing.T, sb *sandbox, as fixes.RunsAs, cat Catalog, edit func(*Options)) (*Runner, *memAudit) {
	t.Helper()
	aud := &memAudit{}
	opts := Options{
		Catalog: cat, RunsAs: as, Platform: fixes.Platform{GOOS: fixes.Linux},
		Roots: map[string]string{}, Audit: aud, RateBurst: 1000,
		Conditions: &fakeConditions{ok: true}, Apps: &fakeApps{running: map[string]string{}},
	}
	if edit != nil {
		edit(&opts)
	}
	r, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if sb != nil {
		r.mapPath = sb.mapPath
	}
	return r, aud
}

// execFix is a one-off system fix of Exec steps.
func execFix(id string, steps ...fixes.Step) fixes.Fix {
	return fixes.Fix{ID: id, Title: "Test " + id, Description: "A test fix.", Group: fixes.GroupSlow,
		OS: []string{fixes.Linux}, RunsAs: fixes.RunsAsSystem, Steps: steps, Timeout: time.Minute}
}

func alice() Caller { return Caller{UID: "1000", Name: "alice"} }

func mustWrite(t *testing.T, path string, size int, mtime time.Time) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, make([]byte, size), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
