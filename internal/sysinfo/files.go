package sysinfo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// maxFileBytes caps what is read of any one system file: the files read are
// small (os-release, DMI, power_supply) and a huge one is not what we think.
const maxFileBytes = 1 << 20

// joinRoot places an absolute system path under root.
func joinRoot(root string, elem ...string) string {
	return filepath.Join(append([]string{root}, elem...)...)
}

// readFile reads a system file under root, capped.
func readFile(root string, elem ...string) ([]byte, error) {
	f, err := os.Open(joinRoot(root, elem...))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxFileBytes))
}

// readTrimmed reads a one-line file such as /sys/class/dmi/id/sys_vendor.
func readTrimmed(root string, elem ...string) string {
	b, err := readFile(root, elem...)
	if err != nil {
		return ""
	}
	return string(bytes.TrimSpace(b))
}

// maxOutputBytes caps what is kept of a command's output.
const maxOutputBytes = 1 << 20

// CommandRunner returns the Runner used in production: no shell, the
// program looked up on PATH (or absolute), LANG=C so output parses the same
// in every locale, a deadline per command, output capped.
func CommandRunner(timeout time.Duration) Runner {
	return func(ctx context.Context, name string, args ...string) ([]byte, error) {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		path, err := exec.LookPath(name)
		if err != nil {
			return nil, fmt.Errorf("%s not found: %w", name, err)
		}
		cmd := exec.CommandContext(ctx, path, args...)
		cmd.Env = commandEnv()
		var out capped
		out.limit = maxOutputBytes
		cmd.Stdout = &out
		err = cmd.Run()
		if ctx.Err() != nil {
			return out.Bytes(), fmt.Errorf("%s: %w", name, ctx.Err())
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return out.Bytes(), fmt.Errorf("%s exited with status %d", name, exit.ExitCode())
		}
		if err != nil {
			return out.Bytes(), fmt.Errorf("running %s: %w", name, err)
		}
		return out.Bytes(), nil
	}
}

// capped is a buffer that drops output past its limit instead of growing.
type capped struct {
	bytes.Buffer
	limit int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.limit - c.Len(); room < len(p) {
		if room > 0 {
			c.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return c.Buffer.Write(p)
}
