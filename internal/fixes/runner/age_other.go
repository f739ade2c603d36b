//go:build !linux && !darwin && !windows

package runner

import (
	"io/fs"
	"time"
)

// lastChanged is the modification time where the change time is not
// portable to read.
func lastChanged(fi fs.FileInfo) time.Time { return fi.ModTime() }
