package software

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Read limits. Config and state files are a few kilobytes; the package
// database of a big workstation is a few megabytes.
const (
	maxConfigFile = 1 << 20
	maxPackageDB  = 64 << 20
)

// rootFS reads the machine's files under a root directory. Paths passed to
// it are the live system's absolute paths ("/etc/anydesk/system.conf",
// `C:\ProgramData\AnyDesk\system.conf`), and errors name those paths, not
// the root they were found under, so a report reads the same in tests and
// on a desktop.
type rootFS struct {
	root string
}

// live reports whether paths are read where they are.
func (r rootFS) live() bool { return r.root == "" || r.root == "/" }

// path is where the live path p is found under the root. A Windows drive
// letter is dropped under a fixture root.
func (r rootFS) path(p string) string {
	if r.live() {
		return p
	}
	return filepath.Join(r.root, strings.TrimPrefix(p, filepath.VolumeName(p)))
}

// readFile reads a regular file of at most limit bytes. Special files
// (/proc) report size zero, so the limit is enforced while reading.
func (r rootFS) readFile(p string, limit int64) ([]byte, error) {
	f, err := os.Open(r.path(p))
	if err != nil {
		return nil, pathError("reading", p, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, pathError("reading", p, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("reading %s: not a regular file", p)
	}
	// Sizing the buffer from Stat saves the regrowth copies of a package
	// database; /proc files report 0 and grow as usual.
	buf := bytes.NewBuffer(make([]byte, 0, min(fi.Size(), limit)+512))
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, pathError("reading", p, err)
	}
	data := buf.Bytes()
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("reading %s: larger than %d bytes", p, limit)
	}
	return data, nil
}

// readHead reads up to n bytes from the start of a regular file: enough of
// a signature database for its header, without its hundreds of megabytes.
func (r rootFS) readHead(p string, n int) ([]byte, error) {
	f, err := os.Open(r.path(p))
	if err != nil {
		return nil, pathError("reading", p, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, pathError("reading", p, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("reading %s: not a regular file", p)
	}
	buf := make([]byte, n)
	got, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, pathError("reading", p, err)
	}
	return buf[:got], nil
}

// readDir lists a directory, sorted by name.
func (r rootFS) readDir(p string) ([]fs.DirEntry, error) {
	entries, err := os.ReadDir(r.path(p))
	if err != nil {
		return nil, pathError("listing", p, err)
	}
	return entries, nil
}

// stat follows symbolic links.
func (r rootFS) stat(p string) (fs.FileInfo, error) {
	fi, err := os.Stat(r.path(p))
	if err != nil {
		return nil, pathError("reading", p, err)
	}
	return fi, nil
}

// exists reports whether something (even a dangling symlink) is at p. It
// does not follow links: an installed tool's /usr/bin entry is typically an
// absolute link into /opt, which under a fixture root points outside it.
func (r rootFS) exists(p string) bool {
	_, err := os.Lstat(r.path(p))
	return err == nil
}

// isDir reports whether p is a directory (following links).
func (r rootFS) isDir(p string) bool {
	fi, err := os.Stat(r.path(p))
	return err == nil && fi.IsDir()
}

// pathError rewrites err to name the live path p and keep only the
// underlying cause, so the machine-specific root never reaches a report.
func pathError(op, p string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &fileError{op: op, path: p, err: err}
}

// fileError is a failed file operation on a live path.
type fileError struct {
	op, path string
	err      error
}

func (e *fileError) Error() string { return e.op + " " + e.path + ": " + e.err.Error() }
func (e *fileError) Unwrap() error { return e.err }

// notFound reports whether err says a file is absent, which for detection
// means "not installed" rather than a problem.
func notFound(err error) bool {
	return errors.Is(err, fs.ErrNotExist)
}
