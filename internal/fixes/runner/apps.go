package runner

import (
	"context"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
)

// Apps quits and starts the employee's apps for user fixes.
type Apps interface {
	// Quit asks every process of the current user named name to quit,
	// waits up to grace, then kills what is left. It returns the
	// executables that were running, for Launch; none means the app was
	// not running.
	Quit(ctx context.Context, name string, grace time.Duration) ([]string, error)
	// Launch starts exe detached from the runner, in the user's session.
	Launch(ctx context.Context, exe string) error
	// Running reports whether a process of the current user named name
	// runs.
	Running(ctx context.Context, name string) (bool, error)
}

// matchName reports whether a process called procName, running exe, is
// the app name: case-insensitive, ".exe" ignored on Windows, by process
// name or executable name. Linux cuts process names to 15 bytes, which the
// executable's name makes up for.
func matchName(goos, name, procName, exe string) bool {
	norm := func(s string) string {
		s = strings.ToLower(s)
		if goos == fixes.Windows {
			s = strings.TrimSuffix(s, ".exe")
		}
		return s
	}
	want, got := norm(name), norm(procName)
	if got == want {
		return true
	}
	base := norm(baseName(exe))
	if base == want {
		return true
	}
	// Without the executable (another user's, or gone) a cut name is all
	// there is.
	return goos == fixes.Linux && exe == "" && len(procName) == 15 && len(want) > 15 && strings.HasPrefix(want, got)
}

// launchArgv is the command that starts exe detached from the runner:
//
//   - Linux: setsid -f, which forks into a new session and returns, so the
//     app outlives the tray app and the runner reaps only setsid;
//   - macOS: open, on the .app bundle that holds exe, as the Dock would;
//   - Windows: the program itself, started detached by the caller.
func launchArgv(goos, exe string) []string {
	switch goos {
	case fixes.Darwin:
		if i := strings.Index(exe, ".app/"); i >= 0 {
			exe = exe[:i+len(".app")]
		}
		return []string{"/usr/bin/open", exe}
	case fixes.Windows:
		return []string{exe}
	default:
		return []string{"/usr/bin/setsid", "-f", exe}
	}
}

// launchTimeout bounds the launcher (setsid, open), which returns as soon
// as the app is started.
const launchTimeout = 15 * time.Second

// quitPoll is how often Quit looks whether the app has gone.
const quitPoll = 200 * time.Millisecond
