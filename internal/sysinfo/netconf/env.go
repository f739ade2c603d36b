package netconf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/firstline-it/firstline/internal/command"
)

// Env is where the functions of this package read from. The zero value reads
// the running system.
type Env struct {
	// Root is prepended to every file read ("" means "/"), so tests can
	// point it at a directory laid out like the real file system.
	Root string
	// Run runs a command and returns its standard output. Nil means the
	// real command: looked up without a shell, with LANG=C and LC_ALL=C,
	// its output capped. Every call gets a context bounded by Timeout,
	// whatever Run is.
	Run command.Func
	// Timeout bounds each command (default 5 s: system_profiler on a Mac
	// with many networks around takes a few seconds).
	Timeout time.Duration
}

// DefaultTimeout is the bound of one command when Env.Timeout is zero.
const DefaultTimeout = 5 * time.Second

// Caps on what is read: these files and outputs are a few kilobytes; a
// routing table of a busy server or system_profiler's list of neighbouring
// networks stays well under them, and anything beyond is not worth parsing.
const maxFileBytes = 1 << 20

// path returns the file name of the absolute path p under the root.
func (e Env) path(p string) string {
	if e.Root == "" {
		return p
	}
	return filepath.Join(e.Root, filepath.FromSlash(p))
}

// readFile reads the file p (a slash-separated absolute path) under the
// root, capped at maxFileBytes.
func (e Env) readFile(p string) ([]byte, error) {
	f, err := os.Open(e.path(p))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	return data, nil
}

// exists says whether p exists under the root.
func (e Env) exists(p string) bool {
	_, err := os.Stat(e.path(p))
	return err == nil
}

// readDir lists the names in the directory p under the root; a missing
// directory is an empty list.
func (e Env) readDir(p string) ([]string, error) {
	entries, err := os.ReadDir(e.path(p))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, en := range entries {
		names = append(names, en.Name())
	}
	return names, nil
}

// run runs a command under the Env's timeout.
func (e Env) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	timeout := e.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	run := e.Run
	if run == nil {
		run = command.Runner(timeout)
	}
	out, err := run(ctx, name, args...)
	if err != nil {
		return out, fmt.Errorf("running %s: %w", filepath.Base(name), err)
	}
	return out, nil
}
