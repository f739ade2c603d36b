//go:build unix

package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// These tests use the real, strict check (Options.trust is left nil).

func TestTrustRefusesWorldWritableFile(t *testing.T) {
	_, main := writeConfig(t, map[string]string{"firstline.toml": "[service]\nlog_level = \"debug\"\n"})
	mustChmod(t, main, 0o666)
	_, err := Load(Options{Path: main})
	ps := problemsOf(t, err)
	if len(ps) != 1 || ps[0].File != main || ps[0].Line != 0 {
		t.Fatalf("got %v, want only %s refused", err, main)
	}
	for _, want := range []string{
		main + ": refused: group or others can write it",
		"(owner uid ", ", mode 0666)",
		"fix with: chown root:root " + main + " && chmod 0644 " + main,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	var ue *UntrustedError
	if !errors.As(err, &ue) || ue.Path != main {
		t.Errorf("errors.As(*UntrustedError) = %v, want Path %s", ue, main)
	}
	t.Logf("example output:\n%v", err)
}

func TestTrustAcceptsOwnReadOnlyFile(t *testing.T) {
	_, main := writeConfig(t, map[string]string{
		"firstline.toml":   "[service]\nlog_level = \"debug\"\n",
		"conf.d/10-a.toml": "[localapi]\nmax_connections = 3\n",
	})
	mustChmod(t, main, 0o644)
	l := mustLoad(t, main)
	if l.Config.Service.LogLevel != LogDebug || l.Config.LocalAPI.MaxConnections != 3 || len(l.Files) != 2 {
		t.Errorf("Load = %+v, %q; want both files applied", l.Config, l.Files)
	}
}

func TestTrustRefusesGroupWritableDirectories(t *testing.T) {
	tests := []struct {
		name string
		dir  func(root string) string
	}{
		{"config directory", func(root string) string { return root }},
		{"conf.d", func(root string) string { return filepath.Join(root, "conf.d") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, main := writeConfig(t, map[string]string{
				"firstline.toml":   "[service]\nlog_level = \"debug\"\n",
				"conf.d/10-a.toml": "[service]\nlog_level = \"warn\"\n",
			})
			dir := tt.dir(root)
			mustChmod(t, dir, 0o775)
			_, err := Load(Options{Path: main})
			ps := problemsOf(t, err)
			if len(ps) != 1 || ps[0].File != dir {
				t.Fatalf("got %v, want only %s refused", err, dir)
			}
			want := dir + ": refused: group or others can write it (owner uid "
			if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "mode 0775); fix with: chown root:root "+dir+" && chmod 0755 "+dir) {
				t.Errorf("error %q, want it to start with %q and name the mode and the fix", err, want)
			}
		})
	}
}

func TestTrustRefusesForeignOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give a file away")
	}
	root, main := writeConfig(t, map[string]string{
		"firstline.toml":   "[service]\nlog_level = \"debug\"\n",
		"conf.d/10-a.toml": "[service]\nlog_level = \"warn\"\n",
	})
	dropIn := filepath.Join(root, "conf.d", "10-a.toml")
	if err := os.Chown(dropIn, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	_, err := Load(Options{Path: main})
	ps := problemsOf(t, err)
	if len(ps) != 1 || ps[0].File != dropIn {
		t.Fatalf("got %v, want only %s refused", err, dropIn)
	}
	want := dropIn + ": refused: owned by a user other than root (owner uid 65534, mode 0644); fix with: chown root:root " +
		dropIn + " && chmod 0644 " + dropIn
	if err.Error() != want {
		t.Errorf("error\n %q\nwant\n %q", err, want)
	}
}
