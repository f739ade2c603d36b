//go:build unix

package command

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func needTool(t *testing.T, path string) {
	t.Helper()
	if _, err := exec.LookPath(path); err != nil {
		t.Skipf("%s not available", path)
	}
}

func TestDefaultRunnerForcesCLocale(t *testing.T) {
	needTool(t, "/usr/bin/env")
	t.Setenv("LC_TIME", "de_DE.UTF-8")
	t.Setenv("LANG", "de_DE.UTF-8")
	out, err := Runner(time.Second)(context.Background(), "/usr/bin/env")
	if err != nil {
		t.Fatal(err)
	}
	env := strings.Fields(string(out))
	for _, kv := range env {
		if strings.HasPrefix(kv, "LC_") && kv != "LC_ALL=C" || strings.HasPrefix(kv, "LANG=") && kv != "LANG=C" {
			t.Errorf("locale variable leaked: %s", kv)
		}
	}
	if !strings.Contains(string(out), "LC_ALL=C\n") || !strings.Contains(string(out), "LANG=C\n") {
		t.Errorf("C locale not set:\n%s", out)
	}
}

func TestDefaultRunnerTimeout(t *testing.T) {
	needTool(t, "/bin/sleep")
	_, err := Runner(100*time.Millisecond)(context.Background(), "/bin/sleep", "30")
	if !errors.Is(err, context.DeadlineExceeded) || !strings.HasPrefix(err.Error(), "sleep timed out after 100ms") {
		t.Errorf("err = %v", err)
	}
}

func TestDefaultRunnerFailures(t *testing.T) {
	needTool(t, "/bin/ls")
	run := Runner(time.Second)
	out, err := run(context.Background(), "/bin/ls", "/nonexistent-for-test")
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || !strings.Contains(err.Error(), "No such file") || len(out) != 0 {
		t.Errorf("failing command: %q, %v", out, err)
	}
	if _, err := run(context.Background(), "no-such-command-for-test"); err == nil || !strings.HasPrefix(err.Error(), "finding no-such-command-for-test") {
		t.Errorf("missing command: %v", err)
	}
	if out, err := run(context.Background(), "true"); err != nil || len(out) != 0 {
		t.Errorf("bare name not looked up: %q, %v", out, err)
	}
}

func TestDefaultRunnerCapsOutput(t *testing.T) {
	needTool(t, "/usr/bin/head")
	out, err := Runner(5*time.Second)(context.Background(), "/usr/bin/head", "-c", "3000000", "/dev/zero")
	if err != nil || len(out) != maxCommandOutput {
		t.Errorf("got %d bytes, %v; want %d", len(out), err, maxCommandOutput)
	}
}
