package autostart

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// go-autostart reads XDG_CONFIG_HOME once, at package init, so the checks
// run in a child process started with the environment already set.
const childEnv = "FIRSTLINE_AUTOSTART_CHILD"

func TestChildToggle(t *testing.T) {
	switch os.Getenv(childEnv) {
	case "":
		t.Skip("runs only as the child of TestToggleWritesXDGEntry")
	case "enable":
		l := ForExecutable("/opt/first line/firstline")
		if l.Enabled() {
			t.Fatal("enabled before Set(true)")
		}
		if err := l.Set(true); err != nil {
			t.Fatal(err)
		}
		if !l.Enabled() {
			t.Fatal("not enabled after Set(true)")
		}
	case "disable":
		l := ForExecutable("/opt/first line/firstline")
		if err := l.Set(false); err != nil {
			t.Fatal(err)
		}
		if l.Enabled() {
			t.Fatal("still enabled after Set(false)")
		}
		if err := l.Set(false); err != nil {
			t.Fatalf("disabling twice: %v", err)
		}
	}
}

func TestToggleWritesXDGEntry(t *testing.T) {
	cfg := t.TempDir()
	child := func(mode string) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^TestChildToggle$")
		cmd.Env = append(os.Environ(), childEnv+"="+mode, "XDG_CONFIG_HOME="+cfg)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", mode, err, out)
		}
	}
	entry := filepath.Join(cfg, "autostart", "firstline.desktop")

	child("enable")
	b, err := os.ReadFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[Desktop Entry]", "Type=Application", "Name=Firstline", `"/opt/first line/firstline"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("entry lacks %q:\n%s", want, b)
		}
	}

	child("disable")
	if _, err := os.Stat(entry); !os.IsNotExist(err) {
		t.Fatalf("entry still there after disable: %v", err)
	}
}
