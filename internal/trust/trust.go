// Package trust decides whether a file or folder that steers the service
// (its configuration, IT's notices drop folder, company fixes) may be
// believed: only root or Administrators (or the user running the process,
// for tests and development) may own or write it. The service runs as root,
// so a file anyone else can write would let them make it do what they want.
package trust

import (
	"fmt"
	"io/fs"
	"strings"
)

// judgeUnix decides whether a Unix file or folder may be trusted: owned by
// root, or by the user running the process (so that tests and development
// runs work; the installed service runs as root, where the two are the
// same), and writable by neither group nor others. It is apart from the
// system calls so every case is tested without root.
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

// shellQuote quotes path for a POSIX shell when it needs it.
func shellQuote(path string) string {
	safe := path != ""
	for _, c := range path {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("/._-+,:@%=", c)) {
			safe = false
			break
		}
	}
	if safe {
		return path
	}
	return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
}

// UntrustedError is why a file or folder was refused.
type UntrustedError struct {
	// Path is the refused file or folder.
	Path string
	// Reason names the owner and the permissions that caused the refusal.
	Reason string
	// Fix is a command that makes the path acceptable.
	Fix string
}

// Error implements error.
func (e *UntrustedError) Error() string {
	return e.Path + ": " + e.Message()
}

// Message is the error without the path, for messages that name the path
// already.
func (e *UntrustedError) Message() string {
	return "refused: " + e.Reason + "; fix with: " + e.Fix
}
