package runner

import (
	"strings"

	"github.com/firstline-it/firstline/internal/fixes"
)

// commandEnv is the whole environment of a fix's program: a fixed PATH of
// system folders, the C locale (output in English, as the logs and the
// help desk expect), and extra, reviewed NAME=value pairs from the step.
// Nothing of the caller's or the service's environment leaks in, except
// what the OS's tools need to work at all (Windows' system folders) and,
// for user fixes, what reaches the user's session (its D-Bus and display).
func commandEnv(goos string, as fixes.RunsAs, getenv func(string) string, extra []string) []string {
	var env []string
	pass := func(names ...string) {
		for _, n := range names {
			if v := getenv(n); v != "" && !strings.ContainsRune(v, 0) {
				env = append(env, n+"="+v)
			}
		}
	}
	switch goos {
	case fixes.Windows:
		root := fixes.PlatformFor(goos, getenv).SystemRoot
		env = append(env, "SystemRoot="+root, "windir="+root,
			`PATH=`+root+`\System32;`+root+`;`+root+`\System32\Wbem;`+root+`\System32\WindowsPowerShell\v1.0`)
		pass("SystemDrive", "ProgramData", "ProgramFiles", "ProgramFiles(x86)", "CommonProgramFiles",
			"ALLUSERSPROFILE", "COMPUTERNAME", "TEMP", "TMP", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "USERNAME")
	default:
		env = append(env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
		if as == fixes.RunsAsUser {
			pass("HOME", "USER", "LOGNAME", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY")
		} else if goos == fixes.Darwin {
			env = append(env, "HOME=/var/root")
		} else {
			env = append(env, "HOME=/root")
		}
	}
	env = append(env, "LANG=C", "LC_ALL=C")
	return append(env, extra...)
}
