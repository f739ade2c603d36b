//go:build unix

package config

import (
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// checkTrust refuses f (opened from path) unless only root, or the user
// running the process, can write it: the owner must be uid 0 or the
// effective uid, and neither group nor others may have write permission.
// The effective uid is accepted so that tests and development runs as a
// normal user work with that user's own files; the installed service runs
// as root, where the two coincide.
//
// It inspects the open handle (fstat), not the path, so the file checked is
// the file read.
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

// judgeUnix is the decision of checkTrust, apart from the system calls so
// every case can be tested without root.
func judgeUnix(path string, isDir bool, uid uint32, perm fs.FileMode, euid uint32) error {
	var why []string
	if uid != 0 && uid != euid {
		why = append(why, "owned by a user other than root")
	}
	if perm&0o022 != 0 {
		why = append(why, "group or others can write it")
	}
	if len(why) == 0 {
		return nil
	}
	mode := "0644"
	if isDir {
		mode = "0755"
	}
	q := shellQuote(path)
	return &UntrustedError{
		Path:   path,
		Reason: fmt.Sprintf("%s (owner uid %d, mode %04o)", strings.Join(why, " and "), uid, uint32(perm)),
		Fix:    fmt.Sprintf("chown root:root %s && chmod %s %s", q, mode, q),
	}
}

// shellQuote quotes path for a POSIX shell when it needs it, as macOS's
// "/Library/Application Support" does.
func shellQuote(path string) string {
	safe := true
	for _, c := range path {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("/._-+,:@%=", c)) {
			safe = false
			break
		}
	}
	if safe && path != "" {
		return path
	}
	return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
}
