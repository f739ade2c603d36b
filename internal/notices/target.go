package notices

import (
	"path"
	"strings"
)

// Machine is what targeting knows about the machine a notice may show on.
type Machine struct {
	// OS is runtime.GOOS: "linux", "windows", "darwin".
	OS string
	// Hostname is the machine's host name, short or fully qualified.
	Hostname string
	// Groups are the groups IT assigned to the machine in the config.
	Groups []string
}

// Applies reports whether n is meant for m. Each non-empty list of
// n.Target must have an entry that matches m; empty lists match every
// machine. An unknown OS on either side never matches a non-empty OS list.
func Applies(n *Notice, m Machine) bool {
	t := &n.Target
	if len(t.OS) > 0 && !anyMatch(t.OS, func(os string) bool {
		want := normalizeOS(os)
		return want != "" && want == normalizeOS(m.OS)
	}) {
		return false
	}
	if len(t.Hostnames) > 0 && !anyMatch(t.Hostnames, func(p string) bool { return hostMatches(p, m.Hostname) }) {
		return false
	}
	if len(t.Groups) > 0 && !anyMatch(t.Groups, func(g string) bool {
		return anyMatch(m.Groups, func(mg string) bool { return strings.EqualFold(g, mg) })
	}) {
		return false
	}
	return true
}

func anyMatch(list []string, match func(string) bool) bool {
	for _, s := range list {
		if match(s) {
			return true
		}
	}
	return false
}

// normalizeOS maps the names the schema accepts to GOOS values, and
// anything else to "". IT writes "macos"; Go says "darwin".
func normalizeOS(s string) string {
	switch s = strings.ToLower(s); s {
	case "linux", "windows", "darwin":
		return s
	case "macos":
		return "darwin"
	}
	return ""
}

// hostMatches matches a hostname pattern against the machine's name and,
// for a fully qualified name, its first label too: "lab-*" is meant to
// match "lab-07.corp.example.com", and "*.corp.example.com" the same host.
// Case does not matter in host names. Patterns hold no '/', '[' or '\'
// (validation refuses them), so path.Match's '*' spans the whole name.
func hostMatches(pattern, hostname string) bool {
	pattern = strings.ToLower(pattern)
	hostname = strings.TrimSuffix(strings.ToLower(hostname), ".")
	if hostname == "" || !validHostPattern(pattern) {
		return false
	}
	short, _, _ := strings.Cut(hostname, ".")
	for _, name := range []string{hostname, short} {
		if ok, err := path.Match(pattern, name); ok && err == nil {
			return true
		}
	}
	return false
}
