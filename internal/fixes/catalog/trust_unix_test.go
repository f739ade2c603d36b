//go:build unix

package catalog

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/firstline-it/firstline/internal/fixes"
)

func TestLoadRefusesUntrustedFiles(t *testing.T) {
	good := readTestdata(t, "good.toml")
	disableFlush := []byte("disable = [\"flush-dns\"]\n")
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  string
	}{
		{"world-writable file", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "20-evil.toml")
			os.WriteFile(p, disableFlush, 0o644)
			os.Chmod(p, 0o666)
		}, "20-evil.toml: refused: group or others can write it"},
		{"file of another user", func(t *testing.T, dir string) {
			if os.Geteuid() != 0 {
				t.Skip("needs root to give a file away")
			}
			p := filepath.Join(dir, "20-evil.toml")
			os.WriteFile(p, disableFlush, 0o644)
			if err := os.Chown(p, 1234, 1234); err != nil {
				t.Fatal(err)
			}
		}, "20-evil.toml: refused: owned by a user other than root"},
		{"link to a file elsewhere", func(t *testing.T, dir string) {
			target := filepath.Join(t.TempDir(), "elsewhere.toml")
			os.WriteFile(target, disableFlush, 0o644)
			os.Symlink(target, filepath.Join(dir, "20-evil.toml"))
		}, "20-evil.toml: refused: not a regular file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := catalogDir(t, map[string][]byte{"10-good.toml": good})
			tc.setup(t, dir)
			c, err := Load(dir, linuxBuiltins(), Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if strings.Count(err.Error(), "20-evil.toml: ") != 1 {
				t.Errorf("the file is named more than once: %v", err)
			}
			if _, err := c.Lookup("flush-dns"); err != nil {
				t.Errorf("the refused file was applied: %v", err)
			}
			if _, err := c.Lookup("acme-vpn-restart"); err != nil {
				t.Errorf("the trusted file was not applied: %v", err)
			}
		})
	}
}

func TestLoadRefusesWritableFolder(t *testing.T) {
	dir := catalogDir(t, map[string][]byte{"10-good.toml": readTestdata(t, "good.toml")})
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	c, err := Load(dir, linuxBuiltins(), Options{})
	var ue *UntrustedError
	if !errors.As(err, &ue) || ue.Path != dir || !strings.Contains(ue.Fix, "chmod 0755") {
		t.Fatalf("err = %v", err)
	}
	if _, err := c.Lookup("acme-vpn-restart"); !errors.Is(err, fixes.ErrUnknownFix) {
		t.Errorf("a file from a writable folder was applied")
	}
	if len(c.List(fixes.Linux)) != len(linuxBuiltins()) {
		t.Error("the built-ins were lost")
	}
}

func TestLoadRefusesWritableParent(t *testing.T) {
	dir := catalogDir(t, map[string][]byte{"10-good.toml": readTestdata(t, "good.toml")})
	if err := os.Chmod(filepath.Dir(dir), 0o777); err != nil {
		t.Fatal(err)
	}
	_, err := Load(dir, linuxBuiltins(), Options{})
	var ue *UntrustedError
	if !errors.As(err, &ue) || ue.Path != filepath.Dir(dir) {
		t.Fatalf("err = %v", err)
	}
}
