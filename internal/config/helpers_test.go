package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// writeConfig creates a configuration directory holding files (paths
// relative to it, "firstline.toml" being the main file) with the
// permissions an installer would give them, and returns the directory and
// the main file's path. conf.d is created when a file needs it.
func writeConfig(t *testing.T, files map[string]string) (dir, main string) {
	t.Helper()
	dir = t.TempDir()
	mustChmod(t, dir, 0o755)
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if sub := filepath.Dir(p); sub != dir {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				t.Fatal(err)
			}
			mustChmod(t, sub, 0o755) // whatever the umask
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		mustChmod(t, p, 0o644)
	}
	return dir, filepath.Join(dir, "firstline.toml")
}

// writeSecretConfig is writeConfig for files that hold secrets, which the
// loader accepts only when no one else can read them.
func writeSecretConfig(t *testing.T, files map[string]string) (dir, main string) {
	t.Helper()
	dir, main = writeConfig(t, files)
	for name := range files {
		mustChmod(t, filepath.Join(dir, filepath.FromSlash(name)), 0o600)
	}
	return dir, main
}

func mustChmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// problemsOf returns the problems of a Load error, failing the test when
// err is not an *Error.
func problemsOf(t *testing.T, err error) []Problem {
	t.Helper()
	if err == nil {
		t.Fatal("Load succeeded; want an error")
	}
	var cerr *Error
	if !errors.As(err, &cerr) {
		t.Fatalf("error %v (%T) is not a *config.Error", err, err)
	}
	return cerr.Problems
}

// mustLoad loads path and fails the test on any problem.
func mustLoad(t *testing.T, path string) *Loaded {
	t.Helper()
	l, err := Load(Options{Path: path})
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	return l
}
