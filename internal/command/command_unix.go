//go:build unix

package command

import (
	"os/exec"
	"syscall"
)

// killProcessGroup starts the command in its own process group and kills
// the whole group on timeout: tools such as rpm or tmutil start helpers
// that would otherwise outlive the timeout.
func killProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
