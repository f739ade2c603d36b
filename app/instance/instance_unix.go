//go:build unix

package instance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// endpoint returns the socket path for name, in a folder only this user can
// enter: $XDG_RUNTIME_DIR/firstline, or firstline-<uid> in the temporary
// directory when the session has no runtime directory.
func endpoint(name string) (string, error) {
	uid := os.Getuid()
	dir := filepath.Join(os.TempDir(), "firstline-"+strconv.Itoa(uid))
	if rt := os.Getenv("XDG_RUNTIME_DIR"); filepath.IsAbs(rt) {
		dir = filepath.Join(rt, "firstline")
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("creating %s: %w", dir, err)
	}
	if err := checkPrivate(dir, uid); err != nil {
		return "", err
	}
	return filepath.Join(dir, name+".sock"), nil
}

// checkPrivate makes sure nobody else can reach into dir. In a shared
// temporary directory another user could have created it first to receive
// our requests or to lock us out; such a folder is refused, not reused.
func checkPrivate(dir string, uid int) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("checking %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder; refusing to use it", dir)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != uid {
		return fmt.Errorf("%s belongs to uid %d, not to you (uid %d); refusing to use it", dir, st.Uid, uid)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("making %s private: %w", dir, err)
		}
	}
	return nil
}

// listen takes the instance lock next to the socket and then the socket.
// The lock, not the socket, decides who is primary: the kernel drops it
// when its holder dies, so a crashed instance never blocks the next one,
// and two launches at the same moment cannot both win.
func listen(sock string) (net.Listener, io.Closer, error) {
	lockPath := sock[:len(sock)-len(filepath.Ext(sock))] + ".lock"
	lock, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("opening %s: %w", lockPath, err)
	}
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		lock.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, nil, errBusy
		}
		return nil, nil, fmt.Errorf("locking %s: %w", lockPath, err)
	}
	// Holding the lock, any socket here is a leftover of a crashed instance.
	if err := os.Remove(sock); err != nil && !errors.Is(err, fs.ErrNotExist) {
		lock.Close()
		return nil, nil, fmt.Errorf("removing stale socket %s: %w", sock, err)
	}
	ln, err := net.Listen("unix", sock)
	if err != nil {
		lock.Close()
		return nil, nil, fmt.Errorf("listening on %s: %w", sock, err)
	}
	return ln, lock, nil
}

func dial(ctx context.Context, sock string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "unix", sock)
}
