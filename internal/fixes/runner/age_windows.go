package runner

import (
	"io/fs"
	"syscall"
	"time"
)

// lastChanged is the later of fi's modification and creation times: a
// file copied or unpacked here is created now whatever dates it carries.
func lastChanged(fi fs.FileInfo) time.Time {
	m := fi.ModTime()
	d, ok := fi.Sys().(*syscall.Win32FileAttributeData)
	if !ok {
		return m
	}
	if c := time.Unix(0, d.CreationTime.Nanoseconds()); c.After(m) {
		return c
	}
	return m
}
