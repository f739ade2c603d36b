package fixes

import (
	"strings"
)

// Command is one program run: its argv (Argv[0] an absolute path), extra
// environment, and the non-zero exit codes that still mean success.
type Command struct {
	Argv      []string
	Env       []string
	AllowExit []int
}

// Executables the service actions and conditions use, per OS. They are
// absolute: the runner does not search PATH for anything.
const (
	systemctlPath = "/usr/bin/systemctl"
	launchctlPath = "/bin/launchctl"
	lpstatPath    = "/usr/bin/lpstat"
)

// Exit codes of Windows' net.exe: 2 is "the service is not started" for
// stop and "has already been started" for start, neither of which should
// fail a restart of a service that had crashed.
const netAlreadyInState = 2

// ServiceCommands returns the commands that carry out s on p. uid is the
// caller's uid, needed for a macOS user agent's gui/UID domain.
//
// On Windows net.exe is used rather than sc.exe because it waits for the
// service to stop or start (sc.exe returns while it is still pending, and
// a start right after would fail); "/y" answers its question about
// dependent services.
func ServiceCommands(p Platform, s ServiceAction, uid string) []Command {
	switch p.GOOS {
	case Windows:
		net := p.System32("net.exe")
		stop := Command{Argv: []string{net, "stop", s.Name, "/y"}, AllowExit: []int{netAlreadyInState}}
		start := Command{Argv: []string{net, "start", s.Name}, AllowExit: []int{netAlreadyInState}}
		switch s.Action {
		case ServiceStop:
			return []Command{stop}
		case ServiceStart:
			return []Command{start}
		default:
			return []Command{stop, start}
		}
	case Darwin:
		target := "system/" + s.Name
		if s.User {
			target = "gui/" + uid + "/" + s.Name
		}
		switch s.Action {
		case ServiceStop:
			return []Command{{Argv: []string{launchctlPath, "kill", "SIGTERM", target}}}
		case ServiceStart:
			return []Command{{Argv: []string{launchctlPath, "kickstart", target}}}
		default:
			// -k kills a running instance first, so this is a restart.
			return []Command{{Argv: []string{launchctlPath, "kickstart", "-k", target}}}
		}
	default:
		argv := []string{systemctlPath}
		if s.User {
			argv = append(argv, "--user")
		}
		return []Command{{Argv: append(argv, string(s.Action), s.Name)}}
	}
}

// ConditionCommand returns the command whose result decides c, for the
// conditions that ask another program (service state, print queue); ok is
// false for the conditions the runner answers itself.
func ConditionCommand(p Platform, c Condition) (cmd Command, ok bool) {
	switch c.Kind {
	case CondServiceActive:
		switch p.GOOS {
		case Windows:
			return Command{Argv: []string{p.System32("sc.exe"), "query", c.Arg}}, true
		case Darwin:
			return Command{Argv: []string{launchctlPath, "print", "system/" + c.Arg}}, true
		default:
			return Command{Argv: []string{systemctlPath, "is-active", c.Arg}}, true
		}
	case CondPrintQueueEmpty:
		return Command{Argv: []string{lpstatPath, "-o"}}, true
	}
	return Command{}, false
}

// ConditionHolds interprets the exit code and output of the command of
// [ConditionCommand].
func ConditionHolds(goos string, c Condition, exit int, output string) bool {
	switch c.Kind {
	case CondServiceActive:
		switch goos {
		case Windows:
			// "        STATE              : 4  RUNNING"
			for line := range strings.Lines(output) {
				key, val, ok := strings.Cut(line, ":")
				if ok && strings.TrimSpace(key) == "STATE" {
					f := strings.Fields(val)
					return exit == 0 && len(f) >= 2 && f[0] == "4" && f[1] == "RUNNING"
				}
			}
			return false
		case Darwin:
			// launchctl print lists "state = running" for a live job.
			for line := range strings.Lines(output) {
				if strings.TrimSpace(line) == "state = running" {
					return exit == 0
				}
			}
			return false
		default:
			return exit == 0 && strings.TrimSpace(output) == "active"
		}
	case CondPrintQueueEmpty:
		// lpstat -o prints one line per queued job, nothing otherwise.
		return exit == 0 && strings.TrimSpace(output) == ""
	}
	return false
}
