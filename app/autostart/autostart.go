// Package autostart is the employee's own "start Firstline when I log in"
// switch, kept where each OS looks for it: an XDG autostart entry on Linux,
// a LaunchAgent on macOS, the Startup folder on Windows (through
// github.com/emersion/go-autostart). Packages may also install a
// machine-wide entry; this one is per user.
package autostart

import (
	"fmt"
	"os"

	goautostart "github.com/emersion/go-autostart"
)

// name is the entry's file name (firstline.desktop, firstline.plist, …).
const name = "firstline"

// Login is the per-user login entry for one executable.
type Login struct {
	app *goautostart.App
}

// ForExecutable returns the entry that starts exe (an absolute path) at
// login. Started that way the app stays in the tray: no window pops up at
// every login.
func ForExecutable(exe string) *Login {
	return &Login{app: &goautostart.App{
		Name:        name,
		DisplayName: "Firstline",
		Exec:        []string{exe},
	}}
}

// ForThisProgram is ForExecutable for the running binary.
func ForThisProgram() (*Login, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding this program's path: %w", err)
	}
	return ForExecutable(exe), nil
}

// Enabled reports whether the entry exists.
func (l *Login) Enabled() bool { return l.app.IsEnabled() }

// Set creates or removes the entry.
func (l *Login) Set(on bool) error {
	if on == l.Enabled() {
		return nil
	}
	if on {
		if err := l.app.Enable(); err != nil {
			return fmt.Errorf("adding Firstline to the programs started at login: %w", err)
		}
		return nil
	}
	if err := l.app.Disable(); err != nil {
		return fmt.Errorf("removing Firstline from the programs started at login: %w", err)
	}
	return nil
}
