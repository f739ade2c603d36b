// Package buildinfo says which build of Firstline is running, from what the
// Go toolchain stamps into every binary (module version, VCS revision), so
// both binaries report the same version without link-time flags.
package buildinfo

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// Version is the main module's version: a release tag, a pseudo-version with
// the commit for untagged builds, or "dev" for `go run` of a work tree.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "" || bi.Main.Version == "(devel)" {
		return "dev" + revisionSuffix(bi)
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
