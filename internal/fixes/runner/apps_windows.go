//go:build windows

package runner

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/shirou/gopsutil/v4/process"
	"golang.org/x/sys/windows"

	"github.com/firstline-it/firstline/internal/fixes"
)

// osApps closes apps with taskkill.exe: without /F it sends the windows a
// close message, which the apps handle like a click on Quit; /F after the
// grace period ends what is left. A user's taskkill can only end the
// user's own processes.
type osApps struct{}

func (osApps) Quit(ctx context.Context, name string, grace time.Duration) ([]string, error) {
	procs, err := findProcs(ctx, name)
	if err != nil || len(procs) == 0 {
		return nil, err
	}
	var exes []string
	for _, p := range procs {
		exes = append(exes, p.exe)
	}
	image := name
	if !strings.HasSuffix(strings.ToLower(image), ".exe") {
		image += ".exe"
	}
	taskkill := fixes.CurrentPlatform().System32("taskkill.exe")
	_ = runQuiet(ctx, taskkill, "/IM", image)
	deadline := time.Now().Add(grace)
	for time.Now().Before(deadline) {
		left, err := findProcs(ctx, name)
		if err == nil && len(left) == 0 {
			return exes, nil
		}
		select {
		case <-ctx.Done():
			return exes, fmt.Errorf("waiting for %s to quit: %w", name, context.Cause(ctx))
		case <-time.After(quitPoll):
		}
	}
	_ = runQuiet(ctx, taskkill, "/F", "/IM", image)
	return exes, nil
}

func runQuiet(ctx context.Context, argv0 string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, launchTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv0, args...)
	cmd.Env = commandEnv(fixes.Windows, fixes.RunsAsUser, os.Getenv, nil)
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: windows.CREATE_NO_WINDOW}
	return cmd.Run()
}

// Launch starts exe detached: its own process group, no console, and the
// handle released so the app lives on after the tray app. It is started
// with exec.Command, not CommandContext: the app must outlive the fix's
// context, which would otherwise kill it when the run ends. Start returns
// as soon as the process exists, so nothing here waits.
func (osApps) Launch(_ context.Context, exe string) error {
	cmd := exec.Command(exe)
	cmd.Env = os.Environ()
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.DETACHED_PROCESS | windows.CREATE_NEW_PROCESS_GROUP}
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}

func (osApps) Running(ctx context.Context, name string) (bool, error) {
	procs, err := findProcs(ctx, name)
	return len(procs) > 0, err
}

type proc struct {
	pid int32
	exe string
}

// findProcs lists the processes named name in the current user's session.
func findProcs(ctx context.Context, name string) ([]proc, error) {
	all, err := process.ProcessesWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing processes: %w", err)
	}
	var mySession uint32
	if err := windows.ProcessIdToSessionId(windows.GetCurrentProcessId(), &mySession); err != nil {
		return nil, fmt.Errorf("finding the current session: %w", err)
	}
	var out []proc
	for _, p := range all {
		var session uint32
		if windows.ProcessIdToSessionId(uint32(p.Pid), &session) != nil || session != mySession {
			continue
		}
		pname, err := p.NameWithContext(ctx)
		if err != nil {
			continue
		}
		exe, _ := p.ExeWithContext(ctx)
		if matchName(fixes.Windows, name, pname, exe) {
			out = append(out, proc{pid: p.Pid, exe: exe})
		}
	}
	return out, nil
}
