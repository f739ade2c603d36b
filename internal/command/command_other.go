//go:build !unix && !windows

package command

import "os/exec"

// killProcessGroup: no process groups here; exec kills the command itself.
func killProcessGroup(*exec.Cmd) {}
