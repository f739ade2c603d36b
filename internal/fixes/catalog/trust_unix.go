//go:build unix

package catalog

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// checkTrust refuses f (opened from path) unless root, or the user running
// the process, owns it, and neither group nor others can write it. The
// effective uid is accepted so that development runs as a normal user
// work with that user's own files; the installed service runs as root,
// where the two coincide. It checks the open handle, so the file checked
// is the file read. (Same rule as internal/config's.)
func checkTrust(path string, f *os.File) error {
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

// judgeUnix is the decision of checkTrust, apart from the system calls.
func judgeUnix(path string, isDir bool, uid uint32, perm fs.FileMode, euid uint32) error {
	var why string
	switch {
	case uid != 0 && uid != euid && perm&0o022 != 0:
		why = "owned by a user other than root, and group or others can write it"
	case uid != 0 && uid != euid:
		why = "owned by a user other than root"
	case perm&0o022 != 0:
		why = "group or others can write it"
	default:
		return nil
	}
	mode := "0644"
	if isDir {
		mode = "0755"
	}
	return &UntrustedError{
		Path:   path,
		Reason: fmt.Sprintf("%s (owner uid %d, mode %04o)", why, uid, uint32(perm)),
		Fix:    fmt.Sprintf("chown root:root '%s' && chmod %s '%s'", path, mode, path),
	}
}

// openNoFollow opens path for reading, failing if its last element is a
// symbolic link.
func openNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
}
