// Package buildinfo says which build of Firstline is running, from what the
// Go toolchain stamps into every binary (module version, VCS revision), so
// both binaries report the same version without link-time flags.
package buildinfo

import (
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
)

// pseudoVersion matches the version Go stamps on an untagged commit
// (v0.0.0-20261123121601-b96877c45453, maybe +dirty).
var pseudoVersion = regexp.MustCompile(`^v0\.0\.0-\d{14}-([0-9a-f]{12})(\+dirty)?$`)

// Version is the main module's version: a release tag ("1.4.2"), or for an
// untagged build "dev-" and the commit ("dev-b96877c45453+dirty"), or "dev"
// when the toolchain recorded nothing.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "" || bi.Main.Version == "(devel)" {
		return "dev" + revisionSuffix(bi)
	}
	if m := pseudoVersion.FindStringSubmatch(bi.Main.Version); m != nil {
		return "dev-" + m[1] + m[2]
	}
	return strings.TrimPrefix(bi.Main.Version, "v")
}

// revisionSuffix adds the commit a development build was made from, when
// the toolchain recorded one.
func revisionSuffix(bi *debug.BuildInfo) string {
	if bi == nil {
		return ""
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return ""
	}
	return "-" + rev + dirty
}

// Platform is "go1.x os/arch", for version output and bug reports.
func Platform() string {
	return runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}
