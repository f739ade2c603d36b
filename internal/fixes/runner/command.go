package runner

import (
	"github.com/firstline-it/firstline/internal/fixes/audit"

	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// waitDelay bounds how long Wait waits, once the program has exited or
// been killed, for the pipes its leftover children may still hold.
const waitDelay = 2 * time.Second

// runCommand runs argv (argv[0] absolute) without a shell, with env as the
// whole environment, streaming its output into out. When ctx ends the
// whole process tree is killed (a process group on Unix, a Job Object on
// Windows), not just the program. It returns the exit code (-1 when
// killed) and an error only when the program could not be run at all.
func runCommand(ctx context.Context, argv []string, env []string, out *outputLog) (int, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Dir = rootDir()
	// One writer for both: exec then gives the program a single pipe, so
	// stdout and stderr lines keep their order.
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = waitDelay
	tree := newProcessTree(cmd)
	if err := cmd.Start(); err != nil {
		return -1, fmt.Errorf("starting %s: %w", baseName(argv[0]), err)
	}
	if err := tree.started(cmd); err != nil {
		// Without its tree the program could outlive the timeout: stop
		// it now rather than run it unbounded.
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return -1, fmt.Errorf("confining %s: %w", baseName(argv[0]), err)
	}
	err := cmd.Wait()
	if errors.Is(err, exec.ErrWaitDelay) {
		// The program exited but something it started held on to its
		// output: kill the rest of its tree too.
		tree.kill(cmd)
	}
	tree.close()
	out.flush()
	var exitErr *exec.ExitError
	switch {
	case err == nil, errors.Is(err, exec.ErrWaitDelay):
		return cmd.ProcessState.ExitCode(), nil
	case errors.As(err, &exitErr):
		return exitErr.ExitCode(), nil
	case ctx.Err() != nil:
		return -1, nil
	default:
		return -1, fmt.Errorf("running %s: %w", baseName(argv[0]), err)
	}
}

// Limits of output lines: a line longer than maxLine is split, so one
// endless line cannot hold back the stream.
const maxLine = 4096

// outputLog collects a step's output up to cap bytes and passes each line
// to emit as it completes. Past the cap, output is still read (a program
// blocked on a full pipe would look hung) but dropped, with one note
// saying so.
type outputLog struct {
	cap  int
	emit func(string)

	mu        sync.Mutex
	kept      strings.Builder
	partial   []byte
	truncated bool
}

func (o *outputLog) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		end := i
		if i < 0 {
			end = len(p)
		}
		o.partial = append(o.partial, p[:end]...)
		for len(o.partial) > maxLine {
			o.add(o.partial[:maxLine])
			o.partial = append(o.partial[:0], o.partial[maxLine:]...)
		}
		if i < 0 {
			break
		}
		o.add(o.partial)
		o.partial = o.partial[:0]
		p = p[i+1:]
	}
	return n, nil
}

// flush emits a last line that had no newline.
func (o *outputLog) flush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.partial) > 0 {
		o.add(o.partial)
		o.partial = o.partial[:0]
	}
}

// note adds a line of the runner's own (a skipped step's reason).
func (o *outputLog) note(s string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.add([]byte(s))
}

func (o *outputLog) add(raw []byte) {
	if o.truncated {
		return
	}
	line := cleanLine(raw)
	if o.kept.Len()+len(line)+1 > o.cap {
		o.truncated = true
		note := fmt.Sprintf("[output cut: only the first %d KiB is kept]", o.cap>>10)
		o.kept.WriteString(note + "\n")
		o.emit(note)
		return
	}
	o.kept.WriteString(line + "\n")
	o.emit(line)
}

func (o *outputLog) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.kept.String()
}

// cleanLine makes program output safe to show and log: valid UTF-8, no
// carriage returns or escape sequences that would redraw a terminal.
func cleanLine(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	if i := strings.LastIndexByte(s, '\r'); i >= 0 && i < len(s)-1 {
		s = s[i+1:] // progress bars redraw with \r: keep the last state
	}
	return strings.Map(func(r rune) rune {
		if r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}

// firstLine is the first non-empty line of s, trimmed, for messages.
func firstLine(s string) string {
	for line := range strings.Lines(s) {
		if line = strings.TrimSpace(line); line != "" {
			return audit.Shorten(line, 200)
		}
	}
	return ""
}
