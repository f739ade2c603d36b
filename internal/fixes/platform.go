package fixes

import (
	"os"
	"runtime"
	"strings"
)

// Platform is what a plan needs to know about the machine it is for. It is
// data, not a probe of the running system, so a test on Linux can plan a
// fix for Windows.
type Platform struct {
	GOOS string
	// SystemRoot is %SystemRoot% (C:\Windows); Windows only.
	SystemRoot string
	// ProgramFiles is %ProgramFiles%; Windows only.
	ProgramFiles string
}

// Windows defaults, for service environments where the variables are unset.
const (
	defaultSystemRoot   = `C:\Windows`
	defaultProgramFiles = `C:\Program Files`
)

// PlatformFor describes goos, reading Windows' folders through getenv
// (os.Getenv in production).
func PlatformFor(goos string, getenv func(string) string) Platform {
	p := Platform{GOOS: goos}
	if goos == Windows {
		p.SystemRoot = winDir(getenv("SystemRoot"), defaultSystemRoot)
		p.ProgramFiles = winDir(getenv("ProgramFiles"), defaultProgramFiles)
	}
	return p
}

// winDir accepts an environment value only when it is an absolute Windows
// path: a service must not take its executables from wherever a stray
// variable points.
func winDir(v, def string) string {
	v = strings.TrimRight(v, `\`)
	if !isAbsFor(Windows, v) {
		return def
	}
	return v
}

// CurrentPlatform describes the machine the program runs on.
func CurrentPlatform() Platform { return PlatformFor(runtime.GOOS, os.Getenv) }

// System32 is %SystemRoot%\System32\name.
func (p Platform) System32(name string) string {
	return p.SystemRoot + `\System32\` + name
}

// joinFor joins slash-separated elements onto base with goos's separator,
// so Windows paths come out right when built on Linux by the tests.
func joinFor(goos, base string, rel ...string) string {
	sep := "/"
	if goos == Windows {
		sep = `\`
	}
	out := strings.TrimRight(base, sep)
	for _, r := range rel {
		if r == "" {
			continue
		}
		out += sep + strings.ReplaceAll(r, "/", sep)
	}
	return out
}

// JoinFor is joinFor for the runner: root folder plus a validated relative
// path from a step.
func JoinFor(goos, base, rel string) string { return joinFor(goos, base, rel) }

// isAbsFor reports whether p is an absolute path on goos, without ".."
// elements or (on Windows) drive-relative, UNC or device forms, which no
// executable of a fix has a reason to use.
func isAbsFor(goos, p string) bool {
	if p == "" || strings.ContainsRune(p, 0) {
		return false
	}
	if goos == Windows {
		if len(p) < 3 || !isLetter(p[0]) || p[1] != ':' || p[2] != '\\' || strings.ContainsAny(p, "/%") {
			return false
		}
		for _, e := range strings.Split(p[3:], `\`) {
			if e == ".." || e == "." {
				return false
			}
		}
		return true
	}
	if !strings.HasPrefix(p, "/") {
		return false
	}
	for _, e := range strings.Split(p[1:], "/") {
		if e == ".." || e == "." {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
