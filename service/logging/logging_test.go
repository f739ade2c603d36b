package logging

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRotatorKeepsMaxFilesAndWholeLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logs", "service.log")
	r, err := OpenRotator(path, 100, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		fmt.Fprintf(r, "line %02d %s\n", i, strings.Repeat("x", 20)) // 29 bytes with the newline
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	matches, _ := filepath.Glob(path + "*")
	if len(matches) != 3 {
		t.Fatalf("files = %v, want the log and 2 rotated", matches)
	}
	for _, m := range matches {
		b, _ := os.ReadFile(m)
		if len(b) > 100 {
			t.Errorf("%s has %d bytes, over the 100 limit", m, len(b))
		}
		for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
			if len(line) != 28 {
				t.Errorf("%s: split line %q", m, line)
			}
		}
	}
	cur, _ := os.ReadFile(path)
	if !strings.Contains(string(cur), "line 19") {
		t.Errorf("newest line not in the current file: %q", cur)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("log mode = %v, want 0640", fi.Mode().Perm())
	}
}

type fakeSystem struct{ got []string }

func (f *fakeSystem) Error(v ...any) error { f.got = append(f.got, "E "+fmt.Sprint(v...)); return nil }
func (f *fakeSystem) Warning(v ...any) error {
	f.got = append(f.got, "W "+fmt.Sprint(v...))
	return nil
}
func (f *fakeSystem) Info(v ...any) error { f.got = append(f.got, "I "+fmt.Sprint(v...)); return nil }

func TestSystemHandlerMapsSeverity(t *testing.T) {
	sys := &fakeSystem{}
	h := newSystemHandler(sys, -4)
	log := slog.New(h).With("component", "test")
	log.Debug("d")
	log.Info("started", "pid", 7)
	log.Warn("refused")
	log.Error("broken")
	want := []string{"I level=DEBUG msg=d component=test", "I level=INFO msg=started component=test pid=7",
		"W level=WARN msg=refused component=test", "E level=ERROR msg=broken component=test"}
	if strings.Join(sys.got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q\nwant %q", sys.got, want)
	}
}

func TestNewInteractiveWritesStderr(t *testing.T) {
	var stderr bytes.Buffer
	log, closer, err := New(Options{Level: "warn", Interactive: true, Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	log.Info("hidden")
	log.Warn("shown")
	if out := stderr.String(); strings.Contains(out, "hidden") || !strings.Contains(out, "shown") {
		t.Fatalf("stderr = %q", out)
	}
	if _, _, err := New(Options{Level: "verbose"}); err == nil {
		t.Fatal("bad level accepted")
	}
}
