package api

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	core "github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/audit"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/service/fixes"
)

// fixLab is a catalog of test fixes around recorder scripts: "record"
// writes a marker file (a refused request must never create it), "slow"
// prints a line and waits for a gate file, "true" runs /bin/true.
type fixLab struct {
	t      testing.TB
	dir    string
	marker string
	gate   string
	done   string
	svc    *fixes.Service
}

func newFixLab(t testing.TB) *fixLab {
	t.Helper()
	dir, err := os.MkdirTemp("", "fl-fixes-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// Root runs the scripts; the hostile child only needs to see nothing.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	l := &fixLab{t: t, dir: dir, marker: filepath.Join(dir, "ran.marker"),
		gate: filepath.Join(dir, "slow.gate"), done: filepath.Join(dir, "slow.done")}
	l.script("record.sh", "echo \"$@\" >> '"+l.marker+"'\necho recorded \"$@\"\n")
	l.script("slow.sh", "echo started\ni=0\nwhile [ ! -e '"+l.gate+"' ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done\n"+
		"echo finished\ntouch '"+l.done+"'\n")
	return l
}

func (l *fixLab) script(name, body string) {
	l.t.Helper()
	if err := os.WriteFile(filepath.Join(l.dir, name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		l.t.Fatal(err)
	}
}

func (l *fixLab) fixes() []core.Fix {
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
			ID: "true", Title: "Do nothing", Description: "Runs /bin/true.", Group: core.GroupSlow,
			OS: linux, RunsAs: core.RunsAsSystem,
			Steps: []core.Step{core.Exec{Path: "/bin/true"}},
		},
		{
			ID: "user-cache", Title: "Clear a cache", Description: "A user fix.", Group: core.GroupMeetings,
			OS: linux, RunsAs: core.RunsAsUser,
			Steps: []core.Step{core.RemoveOld{Root: "user-cache", Paths: []string{"acmechat"}}},
		},
	}
}

// open builds the fixes service on the lab; edit adjusts its options.
func (l *fixLab) open(edit func(*fixes.Options)) *fixes.Service {
	l.t.Helper()
	opts := fixes.Options{
		CatalogDir: filepath.Join(l.dir, "no-fixes.d"),
		Builtins:   l.fixes(),
		Platform:   core.Platform{GOOS: core.Linux},
		Roots:      map[string]string{},
		AuditPath:  filepath.Join(l.dir, "audit.log"),
		RateBurst:  1000,
	}
	if edit != nil {
		edit(&opts)
	}
	svc, err := fixes.New(opts)
	if err != nil {
		l.t.Fatal(err)
	}
	l.t.Cleanup(func() {
		if err := svc.Close(); err != nil {
			l.t.Error(err)
		}
	})
	l.svc = svc
	return svc
}

// adminDir writes a fixes.d folder as an installer would.
func (l *fixLab) adminDir(files map[string]string) string {
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

func (l *fixLab) ran() bool {
	_, err := os.Stat(l.marker)
	return err == nil
}

func (l *fixLab) openGate() {
	l.t.Helper()
	if err := os.WriteFile(l.gate, nil, 0o644); err != nil {
		l.t.Fatal(err)
	}
}

func (l *fixLab) records() []audit.Record {
	l.t.Helper()
	recs, err := audit.Read(l.svc.AuditPath(), audit.Filter{}, nil)
	if err != nil {
		l.t.Fatal(err)
	}
	return recs
}

// startFixes serves the lab's fixes.
func startFixes(t *testing.T, edit func(*fixes.Options)) (*harness, *fixLab) {
	t.Helper()
	l := newFixLab(t)
	svc := l.open(edit)
	return start(t, Options{Fixes: svc}), l
}

// get sends a GET on a fresh connection and returns the reply.
func get(t testing.TB, c *http.Client, path string) answer {
	t.Helper()
	resp, err := c.Get("http://" + localapi.Host + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	return readAnswer(resp)
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
