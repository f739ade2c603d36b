//go:build !windows

package netconf

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestRunCommandSetsCLocale(t *testing.T) {
	if _, err := exec.LookPath("env"); err != nil {
		t.Skip("no env command")
	}
	out, err := Env{}.run(context.Background(), "env")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"LANG=C\n", "LC_ALL=C\n"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("environment lacks %q", want)
		}
	}
}

func TestRunCommandIsBoundedByTimeout(t *testing.T) {
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("no sleep command")
	}
	_, err := Env{Timeout: 50 * time.Millisecond}.run(context.Background(), "sleep", "30")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a deadline error", err)
	}
}

func TestRunCommandReportsMissingTool(t *testing.T) {
	_, err := Env{}.run(context.Background(), "firstline-no-such-tool")
	if !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("err = %v, want exec.ErrNotFound", err)
	}
}
