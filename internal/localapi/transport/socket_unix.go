//go:build unix

package transport

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Listen creates the socket at path. Its folder is created 0755 and the
// socket is made 0666: every local user may connect, and the server decides
// per route what each may do. The folder must be one only we can write (the
// service runs as root: a user-writable folder would let a user swap the
// socket or aim the chmod elsewhere). A lock file beside the socket makes a
// second service fail clearly instead of stealing the socket; a stale
// socket left by a crash is replaced.
func Listen(path string) (net.Listener, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating socket folder: %w", err)
	}
	if err := checkFolder(dir); err != nil {
		return nil, err
	}
	lock, err := lockFile(path + ".lock")
	if err != nil {
		return nil, err
	}
	if err := removeStale(path); err != nil {
		lock.Close()
		return nil, err
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("listening on %s: %w", path, err)
	}
	// Safe to unlink on Close: the lock says the path is ours.
	ln.(*net.UnixListener).SetUnlinkOnClose(true)
	if err := os.Chmod(path, 0o666); err != nil {
		ln.Close()
		lock.Close()
		return nil, fmt.Errorf("making %s connectable for all users: %w", path, err)
	}
	return &lockedListener{Listener: ln, lock: lock}, nil
}

// lockedListener holds the socket's lock until it is closed.
type lockedListener struct {
	net.Listener
	lock *os.File
}

func (l *lockedListener) Close() error {
	err := l.Listener.Close()
	l.lock.Close() // releases the flock
	return err
}

// checkFolder refuses a socket folder that is a symlink, belongs to someone
// else, or that group or others can write.
func checkFolder(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("checking socket folder: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	switch {
	case fi.Mode()&os.ModeSymlink != 0 || !fi.IsDir():
		return fmt.Errorf("socket folder %s is not a plain folder", dir)
	case !ok || (st.Uid != 0 && int(st.Uid) != os.Geteuid()):
		return fmt.Errorf("socket folder %s belongs to another user", dir)
	case fi.Mode().Perm()&0o022 != 0:
		return fmt.Errorf("socket folder %s can be written by others (mode %#o); fix with: chmod 0755 %s",
			dir, fi.Mode().Perm(), dir)
	}
	return nil
}

// lockFile takes an exclusive lock on path, failing at once when another
// process holds it.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another firstline service is already listening on %s",
				strings.TrimSuffix(path, ".lock"))
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	return f, nil
}

// removeStale deletes a leftover socket; the caller holds the lock, so no
// live service owns it. Anything that is not a socket is left alone: the
// service never deletes a file it did not make.
func removeStale(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking %s: %w", path, err)
	}
	if fi.Mode()&os.ModeSocket == 0 {
		return fmt.Errorf("%s exists and is not a socket; refusing to replace it", path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing stale socket %s: %w", path, err)
	}
	return nil
}

// Dial connects to the socket at path.
func Dial(ctx context.Context, path string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "unix", path)
}

// IsUnreachable reports whether a Dial error means nobody is serving the
// socket (not installed, stopped, or restarting).
func IsUnreachable(err error) bool {
	return errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ENOENT) || errors.Is(err, os.ErrPermission)
}

// withFD runs fn on the file descriptor of an accepted Unix connection;
// every failure wraps ErrNoCreds, since that is all callers need it for.
func withFD(c net.Conn, fn func(fd int) error) error {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return fmt.Errorf("%w: %T is not a Unix socket", ErrNoCreds, c)
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoCreds, err)
	}
	var fnErr error
	if err := raw.Control(func(fd uintptr) { fnErr = fn(int(fd)) }); err != nil {
		return fmt.Errorf("%w: %w", ErrNoCreds, err)
	}
	if fnErr != nil {
		return fmt.Errorf("%w: %w", ErrNoCreds, fnErr)
	}
	return nil
}
