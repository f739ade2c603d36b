package config

import (
	"os"
	"runtime"
)

// layout is where the service's files live on one OS.
//
// It is computed from GOOS as plain data rather than in per-OS files so the
// tests on any OS can check the defaults of every OS (and that the example
// file documents them); nothing here calls OS-specific APIs.
type layout struct {
	configFile string
	logFile    string
	stateDir   string
}

// defaultProgramData is used when %ProgramData% is unset, which happens in
// stripped-down service environments.
const defaultProgramData = `C:\ProgramData`

// layoutFor returns the layout for goos. getenv is os.Getenv in production;
// the tests pass a fake to cover Windows' %ProgramData% handling.
//
// Windows paths are joined with a literal backslash instead of filepath.Join
// so that they come out right when computed on another OS by the tests.
func layoutFor(goos string, getenv func(string) string) layout {
	switch goos {
	case "windows":
		base := getenv("ProgramData")
		if base == "" {
			base = defaultProgramData
		}
		base += `\Firstline`
		return layout{
			configFile: base + `\firstline.toml`,
			logFile:    base + `\logs\service.log`,
			stateDir:   base + `\state`,
		}
	case "darwin":
		return layout{
			configFile: "/Library/Application Support/Firstline/firstline.toml",
			logFile:    "/Library/Logs/Firstline/service.log",
			stateDir:   "/Library/Application Support/Firstline/state",
		}
	default:
		// Linux, and other Unix systems the service may be ported to.
		// log_file is empty: the service logs to journald there.
		return layout{
			configFile: "/etc/firstline/firstline.toml",
			stateDir:   "/var/lib/firstline",
		}
	}
}

func currentLayout() layout { return layoutFor(runtime.GOOS, os.Getenv) }

// DefaultPath returns the main configuration file of an installed service on
// this OS: /etc/firstline/firstline.toml on Linux,
// %ProgramData%\Firstline\firstline.toml on Windows and
// /Library/Application Support/Firstline/firstline.toml on macOS. Drop-ins
// are read from conf.d next to it.
func DefaultPath() string { return currentLayout().configFile }
