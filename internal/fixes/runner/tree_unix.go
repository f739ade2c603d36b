//go:build unix

package runner

import (
	"errors"
	"os/exec"
	"syscall"
)

// processTree confines a program and what it starts to a process group of
// its own, so the whole group can be killed at once: killing only the
// program would leave a forked child running as root past the timeout.
type processTree struct{}

func newProcessTree(cmd *exec.Cmd) *processTree {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		// The program is the group's leader and not yet reaped when the
		// context ends, so its pid is the group id and cannot have been
		// reused.
		err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if errors.Is(err, syscall.ESRCH) {
			return nil
		}
		return err
	}
	return &processTree{}
}

func (*processTree) started(*exec.Cmd) error { return nil }

// kill kills what is left of the group after the program exited. Called
// only when a member still held the output pipe a moment ago, so the
// group still exists and its id is still the program's.
func (*processTree) kill(cmd *exec.Cmd) {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

func (*processTree) close() {}

// rootDir is where programs start: not wherever the service happened to be.
func rootDir() string { return "/" }
