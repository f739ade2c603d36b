//go:build !windows && !darwin

package handover

import (
	"path/filepath"
	"testing"
)

func TestUserDir(t *testing.T) {
	base := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", base)
	for dev, want := range map[bool]string{false: filepath.Join(base, "firstline"), true: filepath.Join(base, "firstline", "dev")} {
		if got, err := UserDir(dev); err != nil || got != want {
			t.Errorf("dev %v: %q %v, want %q", dev, got, err, want)
		}
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "")
	if _, err := UserDir(false); err == nil {
		t.Error("no error without a home")
	}
}
