//go:build unix

package trust

import (
	"fmt"
	"os"
	"syscall"
)

// Check judges the open handle (fstat), not the path, so the file
// checked is the file read.
func Check(path string, f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("checking the owner and mode of %s: %w", path, err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Errorf("checking the owner and mode of %s: no Unix file information", path)
	}
	return judgeUnix(path, fi.IsDir(), st.Uid, fi.Mode().Perm(), uint32(os.Geteuid()))
}

// OpenNoFollow opens path for reading, failing on a symbolic link swapped
// in after the Lstat.
func OpenNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
}
