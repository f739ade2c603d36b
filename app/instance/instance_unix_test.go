//go:build unix

package instance

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// runtimeDir gives the test its own per-user runtime folder.
func runtimeDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", dir)
	return dir
}

func acquire(t *testing.T) *Instance {
	t.Helper()
	inst, err := Acquire(context.Background(), "firstline")
	if err != nil {
		t.Fatalf("Acquire: %v", err)
	}
	t.Cleanup(func() { inst.Close() })
	return inst
}

func TestSecondLaunchAsksTheFirstToShow(t *testing.T) {
	runtimeDir(t)
	first := acquire(t)

	second, err := Acquire(context.Background(), "firstline")
	if !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("second Acquire = %v, %v; want ErrAlreadyRunning", second, err)
	}
	if err.Error() != ErrAlreadyRunning.Error() {
		t.Errorf("second Acquire reported a failed handshake: %v", err)
	}
	select {
	case <-first.ShowRequests():
	case <-time.After(5 * time.Second):
		t.Fatal("the first instance received no show request")
	}
}

func TestRepeatedShowRequestsDoNotBlockThePrimary(t *testing.T) {
	runtimeDir(t)
	first := acquire(t)
	for range 3 {
		if _, err := Acquire(context.Background(), "firstline"); err == nil || err.Error() != ErrAlreadyRunning.Error() {
			t.Fatalf("Acquire = %v, want a clean ErrAlreadyRunning", err)
		}
	}
	<-first.ShowRequests()
	select {
	case <-first.ShowRequests():
		t.Error("three pending requests were not merged into one")
	default:
	}
}

func TestAcquireAfterClose(t *testing.T) {
	dir := runtimeDir(t)
	first := acquire(t)
	if err := first.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := first.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, open := <-first.ShowRequests(); open {
		t.Error("ShowRequests still open after Close")
	}
	if _, err := os.Stat(filepath.Join(dir, "firstline", "firstline.sock")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket still there after Close: %v", err)
	}
	acquire(t)
}

func TestStaleSocketFromACrashIsReplaced(t *testing.T) {
	dir := runtimeDir(t)
	sock := filepath.Join(dir, "firstline", "firstline.sock")
	if err := os.Mkdir(filepath.Dir(sock), 0o700); err != nil {
		t.Fatal(err)
	}
	// A crashed instance leaves its socket file with nobody listening.
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(sock); err != nil {
		t.Fatalf("stale socket not in place: %v", err)
	}

	inst := acquire(t)
	c, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatalf("new primary does not listen on %s: %v", sock, err)
	}
	c.Close()
	inst.Close()
	if _, err := os.Stat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket left behind after Close: %v", err)
	}
}

func TestFolderIsPrivate(t *testing.T) {
	dir := runtimeDir(t)
	shared := filepath.Join(dir, "firstline")
	if err := os.Mkdir(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o777); err != nil { // beat the umask
		t.Fatal(err)
	}
	acquire(t)
	fi, err := os.Stat(shared)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("folder mode %v, want 0700", perm)
	}
}

func TestFallsBackToTempDirWithoutRuntimeDir(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv("TMPDIR", t.TempDir())
	inst := acquire(t)
	want := filepath.Join(os.TempDir(), "firstline-"+strconv.Itoa(os.Getuid()), "firstline.sock")
	if got := inst.ln.Addr().String(); got != want {
		t.Errorf("listening on %s, want %s", got, want)
	}
}

func TestSymlinkedFolderIsRefused(t *testing.T) {
	dir := runtimeDir(t)
	if err := os.Symlink(t.TempDir(), filepath.Join(dir, "firstline")); err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(context.Background(), "firstline"); err == nil {
		t.Fatal("Acquire accepted a symlink as its private folder")
	}
}

func TestNameMustBePlain(t *testing.T) {
	runtimeDir(t)
	for _, name := range []string{"", "../x", `a\b`} {
		if _, err := Acquire(context.Background(), name); err == nil {
			t.Errorf("Acquire(%q) succeeded", name)
		}
	}
}

func TestSilentPrimaryIsReportedAfterTheTimeout(t *testing.T) {
	dir := runtimeDir(t)
	first := acquire(t)
	// Swap the real socket for one that accepts and never answers.
	sock := filepath.Join(dir, "firstline", "firstline.sock")
	first.ln.Close()
	<-first.served
	mute, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer mute.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = Acquire(ctx, "firstline")
	if !errors.Is(err, ErrAlreadyRunning) || err.Error() == ErrAlreadyRunning.Error() {
		t.Errorf("Acquire = %v; want ErrAlreadyRunning saying it did not answer", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Acquire waited %v despite a 300ms context", d)
	}
}
