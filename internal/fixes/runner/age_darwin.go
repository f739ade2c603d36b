package runner

import (
	"io/fs"
	"syscall"
	"time"
)

// lastChanged is the later of fi's modification and status-change times:
// unpacking or copying a file sets its change time to now whatever dates
// it carries.
func lastChanged(fi fs.FileInfo) time.Time {
	m := fi.ModTime()
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return m
	}
	if c := time.Unix(st.Ctimespec.Sec, st.Ctimespec.Nsec); c.After(m) {
		return c
	}
	return m
}
