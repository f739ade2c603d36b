//go:build unix

package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"time"

	"github.com/shirou/gopsutil/v4/process"
)

// osApps finds the user's processes with gopsutil and signals them:
// SIGTERM first, which Electron apps, Zoom and the sync clients handle by
// closing cleanly, then SIGKILL after the grace period.
type osApps struct{}

func (osApps) Quit(ctx context.Context, name string, grace time.Duration) ([]string, error) {
	procs, err := findProcs(ctx, name)
	if err != nil {
		return nil, err
	}
	if len(procs) == 0 {
		return nil, nil
	}
	var exes []string
	for _, p := range procs {
		exes = append(exes, p.exe)
		_ = syscall.Kill(int(p.pid), syscall.SIGTERM)
	}
	deadline := time.Now().Add(grace)
	for time.Now().Before(deadline) {
		if !anyAlive(procs) {
			return exes, nil
		}
		select {
		case <-ctx.Done():
			return exes, fmt.Errorf("waiting for %s to quit: %w", name, context.Cause(ctx))
		case <-time.After(quitPoll):
		}
	}
	for _, p := range procs {
		_ = syscall.Kill(int(p.pid), syscall.SIGKILL)
	}
	return exes, nil
}

func (osApps) Launch(ctx context.Context, exe string) error {
	argv := launchArgv(runtime.GOOS, exe)
	ctx, cancel := context.WithTimeout(ctx, launchTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	// The app belongs to the user's session: it gets the session's
	// environment (display, D-Bus, the user's language), which the tray
	// app runs in, not the fixed one of a fix's programs.
	cmd.Env = os.Environ()
	out := &outputLog{cap: 4 << 10, emit: func(string) {}}
	cmd.Stdout, cmd.Stderr = out, out
	// The launcher returns at once; the app it started is not its child
	// any more (setsid -f forked it away, open handed it to launchd), so
	// this waits for the launcher only.
	cmd.WaitDelay = waitDelay
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w: %s", err, firstLine(out.String()))
	}
	return nil
}

func (osApps) Running(ctx context.Context, name string) (bool, error) {
	procs, err := findProcs(ctx, name)
	return len(procs) > 0, err
}

type proc struct {
	pid int32
	exe string
}

// findProcs lists the processes of the current user named name.
func findProcs(ctx context.Context, name string) ([]proc, error) {
	all, err := process.ProcessesWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing processes: %w", err)
	}
	uid := uint32(os.Getuid())
	var out []proc
	for _, p := range all {
		uids, err := p.UidsWithContext(ctx)
		if err != nil || len(uids) == 0 || uids[0] != uid {
			continue
		}
		pname, err := p.NameWithContext(ctx)
		if err != nil {
			continue
		}
		exe, _ := p.ExeWithContext(ctx)
		if matchName(runtime.GOOS, name, pname, exe) {
			out = append(out, proc{pid: p.Pid, exe: exe})
		}
	}
	return out, nil
}

func anyAlive(procs []proc) bool {
	for _, p := range procs {
		if err := syscall.Kill(int(p.pid), 0); err == nil || !errors.Is(err, syscall.ESRCH) {
			return true
		}
	}
	return false
}
