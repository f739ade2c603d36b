package fixes

import "slices"

// rootInfo is what may be done under an allow-listed root.
type rootInfo struct {
	scope RunsAs
	oses  []string
	// needsPaths: cleaning the whole root would be a disaster (the home
	// folder, %APPDATA%), so a step must name folders under it.
	needsPaths bool
	remove     bool // RemoveOld may clean under it
	launch     bool // RelaunchApp may start a program from it
}

// rootInfoFor describes the root called name. It is a switch rather than a
// table variable so that nothing can change the allow-list at run time.
func rootInfoFor(name string) (rootInfo, bool) {
	all := []string{Linux, Windows, Darwin}
	switch name {
	case "temp":
		return rootInfo{scope: RunsAsSystem, oses: all, remove: true}, true
	case "var-tmp":
		return rootInfo{scope: RunsAsSystem, oses: []string{Linux, Darwin}, remove: true}, true
	case "system-cache":
		return rootInfo{scope: RunsAsSystem, oses: []string{Darwin}, remove: true}, true
	case "print-spool":
		return rootInfo{scope: RunsAsSystem, oses: []string{Windows}, remove: true}, true
	case "user-home":
		return rootInfo{scope: RunsAsUser, oses: all, needsPaths: true, remove: true}, true
	case "user-cache":
		return rootInfo{scope: RunsAsUser, oses: []string{Linux, Darwin}, remove: true}, true
	case "user-data":
		return rootInfo{scope: RunsAsUser, oses: all, needsPaths: true, remove: true}, true
	case "user-local-data":
		return rootInfo{scope: RunsAsUser, oses: []string{Windows}, needsPaths: true, remove: true, launch: true}, true
	case "user-temp":
		return rootInfo{scope: RunsAsUser, oses: []string{Windows, Darwin}, remove: true}, true
	case "applications":
		return rootInfo{scope: RunsAsUser, oses: []string{Darwin}, needsPaths: true, launch: true}, true
	case "program-files":
		return rootInfo{scope: RunsAsUser, oses: []string{Windows}, needsPaths: true, launch: true}, true
	}
	return rootInfo{}, false
}

// allRootNames lists every root name, in a fixed order.
func allRootNames() []string {
	return []string{"temp", "var-tmp", "system-cache", "print-spool", "user-home", "user-cache",
		"user-data", "user-local-data", "user-temp", "applications", "program-files"}
}

// RootNames lists the roots a fix of kind as may use on goos.
func RootNames(goos string, as RunsAs) []string {
	var out []string
	for _, n := range allRootNames() {
		if ri, _ := rootInfoFor(n); ri.scope == as && slices.Contains(ri.oses, goos) {
			out = append(out, n)
		}
	}
	return out
}

// UserDirs are the folders user roots resolve to. The tray app fills them
// from the OS (os.UserHomeDir, the XDG variables, %APPDATA%).
type UserDirs struct {
	Home string
	// Env reads the user's environment (XDG_CACHE_HOME, APPDATA, TMPDIR).
	Env func(string) string
}

// DefaultRoots resolves the roots a runner of kind as may use on p.
// Roots whose folder is unknown (no home, no %APPDATA%) are left out, and a
// step naming them fails with "not available" rather than cleaning a guess.
func DefaultRoots(p Platform, as RunsAs, u UserDirs) map[string]string {
	out := map[string]string{}
	set := func(name, dir string) {
		if dir != "" && isAbsFor(p.GOOS, dir) {
			out[name] = dir
		}
	}
	if as == RunsAsSystem {
		switch p.GOOS {
		case Linux:
			set("temp", "/tmp")
			set("var-tmp", "/var/tmp")
		case Darwin:
			set("temp", "/private/tmp")
			set("var-tmp", "/private/var/tmp")
			set("system-cache", "/Library/Caches")
		case Windows:
			set("temp", p.SystemRoot+`\Temp`)
			set("print-spool", p.SystemRoot+`\System32\spool\PRINTERS`)
		}
		return out
	}
	env := u.Env
	if env == nil {
		env = func(string) string { return "" }
	}
	home := u.Home
	set("user-home", home)
	switch p.GOOS {
	case Linux:
		set("user-cache", firstAbs(p.GOOS, env("XDG_CACHE_HOME"), joinIf(p.GOOS, home, ".cache")))
		set("user-data", firstAbs(p.GOOS, env("XDG_CONFIG_HOME"), joinIf(p.GOOS, home, ".config")))
	case Darwin:
		set("user-cache", joinIf(p.GOOS, home, "Library/Caches"))
		set("user-data", joinIf(p.GOOS, home, "Library/Application Support"))
		set("user-temp", trimSep(env("TMPDIR")))
		set("applications", "/Applications")
	case Windows:
		set("user-data", env("APPDATA"))
		set("user-local-data", env("LOCALAPPDATA"))
		set("user-temp", env("TEMP"))
		set("program-files", p.ProgramFiles)
	}
	return out
}

func firstAbs(goos string, dirs ...string) string {
	for _, d := range dirs {
		if isAbsFor(goos, d) {
			return d
		}
	}
	return ""
}

func joinIf(goos, base, rel string) string {
	if base == "" {
		return ""
	}
	return joinFor(goos, base, rel)
}

func trimSep(d string) string {
	for len(d) > 1 && d[len(d)-1] == '/' {
		d = d[:len(d)-1]
	}
	return d
}
