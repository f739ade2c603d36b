package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/sysinfo"
)

// startService runs the real binary on a temporary socket until the test
// ends.
func startService(t *testing.T) (sock string) {
	t.Helper()
	// Not t.TempDir: its parent is private, and nobody must reach the
	// socket.
	dir, err := os.MkdirTemp("", "fl-diag-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, "[service]\nstate_dir = \""+filepath.Join(dir, "state")+"\"\n")
	sock = filepath.Join(dir, "run", "local.sock")
	cmd := exec.Command(binary, "run", "--config", cfg, "--socket", sock)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() })
	c := localapi.NewClient(sock)
	defer c.Close()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := c.Status(context.Background()); err == nil {
			return sock
		}
		if time.Now().After(deadline) {
			t.Fatal("service never answered")
		}
	}
}

func TestDiagThroughTheService(t *testing.T) {
	sock := startService(t)
	var cred *syscall.Credential
	want := ""
	if os.Geteuid() == 0 {
		cred = &syscall.Credential{Uid: 65534, Gid: 65534}
		want = "nobody"
	}
	r := runCLI(t, cred, "diag", "--socket", sock, "--json")
	var out struct {
		Snapshot sysinfo.Snapshot `json:"snapshot"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("diag --json: %v (exit %d, stderr %q)", err, r.code, r.stderr)
	}
	s := out.Snapshot
	if s.Schema != sysinfo.SchemaVersion || len(s.Sections) != len(sysinfo.AllSections()) || len(s.Redacted) == 0 {
		t.Errorf("snapshot: schema %d, %d sections, redacted %v", s.Schema, len(s.Sections), s.Redacted)
	}
	if want != "" && (s.Host == nil || s.Host.User != want) {
		t.Errorf("the snapshot's user is not the caller the kernel saw: %+v", s.Host)
	}
	complete := true
	for _, in := range s.Sections {
		complete = complete && in.Status == sysinfo.StatusOK
	}
	if complete != (r.code == 0) {
		t.Errorf("exit %d with sections %+v", r.code, s.Sections)
	}
	if strings.Contains(r.stderr, "collecting here instead") {
		t.Error("diag fell back to local collection although the service answers")
	}
}

func TestDiagWithoutTheService(t *testing.T) {
	cfg := writeConfig(t, "[sysinfo]\nsections = [\"host\"]\n")
	r := runCLI(t, nil, "diag", "--socket", filepath.Join(t.TempDir(), "none.sock"), "--config", cfg)
	host, _ := os.Hostname()
	if !strings.Contains(r.stderr, "does not answer") || !strings.Contains(r.stdout, "Computer  "+host) {
		t.Errorf("exit %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "Hardware\n") {
		t.Error("IT allowed only the host section, yet hardware was collected")
	}
	if r := runCLI(t, nil, "diag", "--local", "--section", "gpu"); r.code != 2 || !strings.Contains(r.stderr, "unknown section") {
		t.Errorf("bad section: exit %d, %q", r.code, r.stderr)
	}
}

func TestConfigCheckRunsTheBackendChecks(t *testing.T) {
	cfg := writeConfig(t, "[delivery]\nroute = [\"webhook\"]\n[delivery.webhook]\nurl = \"ftp://helpdesk.example.com/hook\"\nsecret = \"s3cret-value-1234567890\"\n")
	r := runCLI(t, nil, "config", "check", "--config", cfg)
	if r.code != 78 || !strings.Contains(r.stderr, "delivery.webhook") || strings.Contains(r.stderr+r.stdout, "s3cret-value") {
		t.Errorf("bad webhook URL: exit %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}
}
