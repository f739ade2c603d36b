package netconf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
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
	Run func(ctx context.Context, name string, args ...string) ([]byte, error)
	// Timeout bounds each command (default 5 s: system_profiler on a Mac
	// with many networks around takes a few seconds).
	Timeout time.Duration
}

// DefaultTimeout is the bound of one command when Env.Timeout is zero.
const DefaultTimeout = 5 * time.Second

// Caps on what is read: these files and outputs are a few kilobytes; a
// routing table of a busy server or system_profiler's list of neighbouring
// networks stays well under them, and anything beyond is not worth parsing.
const (
	maxFileBytes   = 1 << 20
	maxOutputBytes = 1 << 20
)

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
		run = runCommand
	}
	out, err := run(ctx, name, args...)
	if err != nil {
		return out, fmt.Errorf("running %s: %w", filepath.Base(name), err)
	}
	return out, nil
}

// lookPath finds name: an absolute name is taken as is, otherwise PATH is
// searched and then, on Unix, the usual system folders.
func lookPath(name string) (string, error) {
	if filepath.IsAbs(name) {
		return name, nil
	}
	p, err := exec.LookPath(name)
	if err == nil {
		return p, nil
	}
	// The service and the tray app often run with a PATH that lacks the
	// sbin folders where iw and route live.
	if runtime.GOOS != "windows" {
		for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/bin", "/bin"} {
			cand := filepath.Join(dir, name)
			if fi, serr := os.Stat(cand); serr == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
				return cand, nil
			}
		}
	}
	return "", err
}

// runCommand is the real Env.Run: no shell, C locale so the output is the
// English the parsers expect (where the tool honours it), output capped,
// and the process killed when ctx ends.
func runCommand(ctx context.Context, name string, args ...string) ([]byte, error) {
	path, err := lookPath(name)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = append(os.Environ(), "LANG=C", "LC_ALL=C")
	stdout := &cappedBuffer{max: maxOutputBytes}
	stderr := &cappedBuffer{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// A grandchild holding the pipes open must not keep Wait hanging past
	// the timeout.
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return stdout.Bytes(), fmt.Errorf("%w (%w)", ctx.Err(), err)
		}
		if msg := firstLine(stderr.Bytes()); msg != "" {
			return stdout.Bytes(), fmt.Errorf("%w: %s", err, msg)
		}
		return stdout.Bytes(), err
	}
	return stdout.Bytes(), nil
}

// cappedBuffer keeps the first max bytes written and drops the rest while
// reporting success, so a chatty command is not killed by a broken pipe.
type cappedBuffer struct {
	bytes.Buffer
	max int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		if len(p) > room {
			b.Buffer.Write(p[:room])
		} else {
			b.Buffer.Write(p)
		}
	}
	return len(p), nil
}

// firstLine returns the first non-empty line of out, trimmed and capped.
func firstLine(out []byte) string {
	for _, line := range strings.Split(string(out), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			if len(line) > 200 {
				line = line[:200]
			}
			return line
		}
	}
	return ""
}
