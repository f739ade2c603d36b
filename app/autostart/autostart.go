// Package autostart is the employee's own "start Firstline when I log in"
// switch, kept where each OS looks for it: an XDG autostart entry on Linux
// and a LaunchAgent on macOS (through github.com/emersion/go-autostart), the
// per-user Run key on Windows. Packages may also install a machine-wide
// entry; this one is per user.
package autostart

import (
	"fmt"
	"os"
)

// name is the entry's name (firstline.desktop, the LaunchAgent label, the
// Run key's value name).
const name = "firstline"

// ForThisProgram is ForExecutable for the running binary.
func ForThisProgram() (*Login, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding this program's path: %w", err)
	}
	return ForExecutable(exe), nil
}

// Set creates or removes the entry.
func (l *Login) Set(on bool) error {
	if on == l.Enabled() {
		return nil
	}
	if on {
		if err := l.enable(); err != nil {
			return fmt.Errorf("adding Firstline to the programs started at login: %w", err)
		}
		return nil
	}
	if err := l.disable(); err != nil {
		return fmt.Errorf("removing Firstline from the programs started at login: %w", err)
	}
	return nil
}
