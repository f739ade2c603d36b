package autostart

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// runKey is where Windows looks for the current user's programs to start at
// login. (go-autostart would make a Startup-folder shortcut through COM and
// cgo; the Run key needs neither and is what IT's tools inspect.)
const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// Login is the per-user login entry for one executable.
type Login struct {
	exe string
}

// ForExecutable returns the entry that starts exe (an absolute path) at
// login. Started that way the app stays in the tray: no window pops up at
// every login.
func ForExecutable(exe string) *Login { return &Login{exe: exe} }

// Enabled reports whether the entry exists.
func (l *Login) Enabled() bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	_, _, err = k.GetStringValue(name)
	return err == nil
}

func (l *Login) enable() error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("opening the Run key: %w", err)
	}
	defer k.Close()
	// Quoted: the path usually contains spaces (C:\Program Files\...).
	return k.SetStringValue(name, `"`+l.exe+`"`)
}

func (l *Login) disable() error {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("opening the Run key: %w", err)
	}
	defer k.Close()
	if err := k.DeleteValue(name); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return err
	}
	return nil
}
