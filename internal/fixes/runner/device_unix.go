//go:build unix

package runner

import (
	"io/fs"
	"syscall"
)

// sameDevice reports whether a and b are on the same file system, so a
// clean-up does not wander into a disk mounted under /tmp.
func sameDevice(a, b fs.FileInfo) bool {
	sa, ok1 := a.Sys().(*syscall.Stat_t)
	sb, ok2 := b.Sys().(*syscall.Stat_t)
	return ok1 && ok2 && sa.Dev == sb.Dev
}
