package computer

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Launch starts a remote-help tool the service found installed, as the
// employee. The path comes from the service's snapshot, never from input;
// it must still be an absolute path to something that exists.
func Launch(path string) error {
	if !filepath.IsAbs(path) {
		return fmt.Errorf("%q is not an absolute path", path)
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("checking %s: %w", path, err)
	}
	cmd := launchCommand(path)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", path, err)
	}
	// Reap the child when it exits, so it never lingers as a zombie; the
	// tool outlives this call by design.
	go func() { _ = cmd.Wait() }()
	return nil
}

func launchCommand(path string) *exec.Cmd {
	if filepath.Ext(path) == ".app" {
		return exec.Command("/usr/bin/open", path) // macOS bundles open through LaunchServices
	}
	return exec.Command(path)
}
