// Package command runs the external tools the diagnostics read: no shell,
// the C locale so output parses the same everywhere, capped output, and a
// deadline after which the tool and everything it started are killed.
package command

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Output limits of a command. The outputs parsed here are a few kilobytes;
// a runaway tool must not grow the service's memory.
const (
	maxCommandOutput = 1 << 20
	maxCommandStderr = 4 << 10
)

// Func runs an external command and returns its standard output. On a
// non-zero exit it returns what the command printed along with the error,
// because some tools (rpm -q) report normal answers that way. It must
// return once ctx is done.
type Func func(ctx context.Context, name string, args ...string) ([]byte, error)

// DefaultTimeout bounds each command when a caller gives none.
const DefaultTimeout = 2 * time.Second

// Runner returns the real Func: no shell, an absolute path (a bare name is
// looked up in PATH and the system folders), the C locale so tools print
// what the parsers expect, capped output, and a timeout after which the
// command and the processes it started are killed.
func Runner(timeout time.Duration) Func {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return func(ctx context.Context, name string, args ...string) ([]byte, error) {
		path, err := LookPath(name)
		if err != nil {
			return nil, fmt.Errorf("finding %s: %w", name, err)
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, path, args...)
		cmd.Env = commandEnv(os.Environ())
		stdout := &cappedBuffer{limit: maxCommandOutput}
		stderr := &cappedBuffer{limit: maxCommandStderr}
		cmd.Stdout, cmd.Stderr = stdout, stderr
		// A grandchild that keeps the pipes open must not keep Run
		// waiting past the timeout.
		cmd.WaitDelay = 500 * time.Millisecond
		killProcessGroup(cmd)
		err = cmd.Run()
		switch {
		case err == nil:
			return stdout.Bytes(), nil
		case ctx.Err() != nil:
			return stdout.Bytes(), TimeoutError(ctx, name, timeout)
		default:
			if msg := firstLine(stderr.String()); msg != "" {
				return stdout.Bytes(), fmt.Errorf("running %s: %w: %s", name, err, msg)
			}
			return stdout.Bytes(), fmt.Errorf("running %s: %w", name, err)
		}
	}
}

// LookPath finds name: an absolute name is taken as is, otherwise PATH is
// searched and then, on Unix, the system folders: the service and the tray
// app often run with a PATH that lacks the sbin folders where iw, route
// and nft live.
func LookPath(name string) (string, error) {
	if filepath.IsAbs(name) {
		return name, nil
	}
	p, err := exec.LookPath(name)
	if err == nil {
		return p, nil
	}
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

// TimeoutError names the command whose context ended, and whether it ran
// out of time or was stopped.
func TimeoutError(ctx context.Context, name string, timeout time.Duration) error {
	cause := context.Cause(ctx)
	if errors.Is(cause, context.DeadlineExceeded) {
		return fmt.Errorf("%s timed out after %s: %w", filepath.Base(name), timeout, cause)
	}
	return fmt.Errorf("%s stopped: %w", filepath.Base(name), cause)
}

// commandEnv is the environment with the locale forced to C: parsers read
// English keywords and ISO dates, not a German "Eingeschaltet" or a decimal
// comma.
func commandEnv(environ []string) []string {
	env := make([]string, 0, len(environ)+2)
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if name == "LANG" || name == "LANGUAGE" || strings.HasPrefix(name, "LC_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "LANG=C", "LC_ALL=C")
}

// cappedBuffer keeps the first limit bytes written and drops the rest
// while still accepting them, so a chatty tool is not killed by EPIPE.
// The buffer is a field, not embedded: an embedded bytes.Buffer's ReadFrom
// would let io.Copy bypass the cap.
type cappedBuffer struct {
	buf   bytes.Buffer
	limit int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *cappedBuffer) Bytes() []byte  { return b.buf.Bytes() }
func (b *cappedBuffer) String() string { return b.buf.String() }

// firstLine is the first non-empty line of s, trimmed, for error messages.
func firstLine(s string) string {
	for line := range strings.Lines(s) {
		if line = strings.TrimSpace(line); line != "" {
			return line
		}
	}
	return ""
}
