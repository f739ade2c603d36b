//go:build !windows

package autostart

import goautostart "github.com/emersion/go-autostart"

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

// Enabled reports whether the entry exists.
func (l *Login) Enabled() bool { return l.app.IsEnabled() }

func (l *Login) enable() error  { return l.app.Enable() }
func (l *Login) disable() error { return l.app.Disable() }
