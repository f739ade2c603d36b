//go:build !unix && !windows

package runner

import "os/exec"

// processTree on systems without process groups or jobs kills only the
// program itself; Firstline ships no fixes for them.
type processTree struct{}

func newProcessTree(*exec.Cmd) *processTree  { return &processTree{} }
func (*processTree) started(*exec.Cmd) error { return nil }
func (*processTree) kill(cmd *exec.Cmd)      { _ = cmd.Process.Kill() }
func (*processTree) close()                  {}
func rootDir() string                        { return "" }
