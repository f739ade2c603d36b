package netconf

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeRun answers commands from recorded outputs in testdata/commands.
// outputs maps "tool args..." (the tool without its folder) to a file name,
// or to "!message" for a command that fails with that message. A command
// not listed fails as not installed.
type fakeRun struct {
	t       testing.TB
	outputs map[string]string

	mu    sync.Mutex
	calls []string
}

func newFakeRun(t testing.TB, outputs map[string]string) *fakeRun {
	return &fakeRun{t: t, outputs: outputs}
}

func (f *fakeRun) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	if _, ok := ctx.Deadline(); !ok {
		f.t.Errorf("%s run without a deadline", name)
	}
	key := strings.TrimSuffix(filepath.Base(name), ".exe") + " " + strings.Join(args, " ")
	f.mu.Lock()
	f.calls = append(f.calls, key)
	f.mu.Unlock()
	v, ok := f.outputs[key]
	switch {
	case !ok:
		return nil, errors.New("exec: " + filepath.Base(name) + ": executable file not found in $PATH")
	case strings.HasPrefix(v, "!"):
		return nil, errors.New(v[1:])
	}
	return readCommand(f.t, v), nil
}

func (f *fakeRun) env(root string) Env {
	return Env{Root: root, Run: f.run, Timeout: time.Second}
}

func (f *fakeRun) called() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func readCommand(t testing.TB, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "commands", file))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func root(name string) string { return filepath.Join("testdata", "roots", name) }
