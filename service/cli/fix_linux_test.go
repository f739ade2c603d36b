package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/fixes/health"
	"github.com/firstline-it/firstline/service/daemon"
)

// acmeFixes is an admin file with two harmless company fixes, and a
// built-in turned off.
const acmeFixes = `disable = ["backup-now"]

[[fix]]
id = "acme-echo"
title = "Say hello"
description = "Prints a greeting."
group = "Internet"
os = ["linux"]
runs_as = "system"

  [[fix.param]]
  name = "who"
  label = "Whom to greet"
  kind = "enum"
  enum = ["world", "team"]
  default = "world"

  [[fix.step]]
  exec = "/usr/bin/echo"
  args = ["hello", "{{who}}"]

[[fix]]
id = "acme-fail"
title = "Always fails"
description = "Fails on purpose."
group = "Internet"
os = ["linux"]
runs_as = "system"
next_steps = "Call ACME on 1234."

  [[fix.step]]
  exec = "/usr/bin/false"
`

// TestFixCommandsAgainstService runs fix, audit and check against the
// real service (in-process), with IT's own fixes from a fixes.d folder.
func TestFixCommandsAgainstService(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the catalog reads admin files only when root owns them")
	}
	dir, err := os.MkdirTemp("", "fl-fixcli-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	fixesDir := filepath.Join(dir, "fixes.d")
	if err := os.MkdirAll(fixesDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fixesDir, "acme.toml"), []byte(acmeFixes), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults()
	cfg.Service.StateDir = filepath.Join(dir, "state")
	cfg.Fixes.Dir = fixesDir
	sock := filepath.Join(dir, "run", "local.sock")
	d := daemon.New(daemon.Options{Config: cfg, SocketPath: sock, Version: "test",
		HealthInput: func(context.Context) health.Input { return fakeInput() }, HealthFirst: time.Hour})
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Stop(context.Background()); err != nil {
			t.Errorf("stopping the daemon: %v", err)
		}
	})

	list := runMain("fix", "list", "--socket", sock)
	if list.code != 0 || !regexp.MustCompile(`(?m)^  acme-echo\s+Say hello\s+system\s+yes$`).MatchString(list.stdout) ||
		!strings.Contains(list.stdout, "Turned off by IT: backup-now") {
		t.Errorf("fix list: exit %d\n%s%s", list.code, list.stdout, list.stderr)
	}
	show := runMain("fix", "show", "acme-echo", "--param", "who=team", "--socket", sock)
	if show.code != 0 || !strings.Contains(show.stdout, "  who  Whom to greet: one of world, team, default world") ||
		!strings.Contains(show.stdout, "       /usr/bin/echo hello team\n") {
		t.Errorf("fix show: exit %d\n%s%s", show.code, show.stdout, show.stderr)
	}
	run := runMain("fix", "run", "acme-echo", "--param", "who=team", "--socket", sock)
	if run.code != 0 || !regexp.MustCompile(`^\[1/1\] .+\n      hello team\n\nSuccess: `).MatchString(run.stdout) {
		t.Errorf("fix run: exit %d\n%s%s", run.code, run.stdout, run.stderr)
	}
	fail := runMain("fix", "run", "acme-fail", "--socket", sock)
	if fail.code != ExitFailure || !strings.Contains(fail.stdout, "FAILED at step 1 of 1") || !strings.Contains(fail.stdout, "Next: Call ACME on 1234.") {
		t.Errorf("failing fix: exit %d\n%s%s", fail.code, fail.stdout, fail.stderr)
	}
	hostile := runMain("fix", "run", "acme-echo", "--param", "who=$(reboot)", "--socket", sock)
	if hostile.code != ExitUsage {
		t.Errorf("injected parameter: exit %d\n%s%s", hostile.code, hostile.stdout, hostile.stderr)
	}
	off := runMain("fix", "run", "backup-now", "--socket", sock)
	if off.code != ExitUnavailable {
		t.Errorf("disabled fix: exit %d %s", off.code, off.stderr)
	}

	audit := runMain("audit", "--file", cfg.Fixes.AuditPath(cfg.Service.StateDir), "--user", "root")
	lines := strings.Split(strings.TrimSpace(audit.stdout), "\n")
	if audit.code != 0 || len(lines) != 5 ||
		!regexp.MustCompile(`root\s+acme-echo\s+success\s+-`).MatchString(lines[1]) ||
		!regexp.MustCompile(`root\s+acme-fail\s+failed\s+1`).MatchString(lines[2]) ||
		!regexp.MustCompile(`root\s+acme-echo\s+refused \(bad-params\)`).MatchString(lines[3]) ||
		!regexp.MustCompile(`root\s+backup-now\s+refused \(disabled\)`).MatchString(lines[4]) {
		t.Errorf("audit: exit %d\n%s%s", audit.code, audit.stdout, audit.stderr)
	}

	want, wantCode := health.Nagios(health.Disk(fakeInput(), cfg.Health.Thresholds()))
	check := runMain("check", "disk", "--socket", sock)
	if check.stdout != want+"\n" || check.code != wantCode {
		t.Errorf("check disk: exit %d %q, want %d %q", check.code, check.stdout, wantCode, want)
	}
}
