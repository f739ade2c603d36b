//go:build !windows

package privdir

import (
	"os"
	"path/filepath"
	"testing"
)

func TestMkdirAllMakesPrivateFoldersAndKeepsExisting(t *testing.T) {
	base := t.TempDir()
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(base, "a", "b")
	if err := MkdirAll(path); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(base, "a"), path} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v %v, want 0700", p, fi.Mode(), err)
		}
	}
	if fi, _ := os.Stat(base); fi.Mode().Perm() != 0o755 {
		t.Errorf("existing folder changed to %v", fi.Mode().Perm())
	}
	if err := MkdirAll(path); err != nil {
		t.Errorf("second MkdirAll: %v", err)
	}
}
