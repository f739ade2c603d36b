package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
)

// Bounds of a clean-up walk, so that a folder of millions of files or a
// deep nest ends in bounded time rather than holding the fix's slot.
const (
	maxDepth      = 64
	maxVisited    = 2_000_000
	maxErrorLines = 20
)

// sweep is one RemoveOld step in progress.
type sweep struct {
	cutoff  time.Time
	age     func(fs.FileInfo) time.Time
	pattern string
	exclude []string
	line    func(string)

	removed   int
	reclaimed int64
	failed    int
	visited   int
}

// removeOld deletes the old files of a RemoveOld step. Every folder is
// opened through an os.Root, which resolves names relative to an open
// handle and refuses any symbolic link leading out of it; links themselves
// are deleted, never followed, and folders on another file system are left
// alone.
func (st *run) removeOld(ctx context.Context, sr *StepResult, s fixes.RemoveOld) {
	out := &outputLog{cap: st.r.outputCap, emit: func(l string) { st.line(sr.N, l) }}
	defer func() { sr.Output, sr.Truncated = out.String(), out.truncated }()
	dir, ok := st.r.roots[s.Root]
	if !ok {
		sr.Status, sr.Err = StepFailed, fmt.Sprintf("the folder %s is not available to this runner", s.Root)
		return
	}
	sw := &sweep{cutoff: st.r.now().Add(-s.OlderThan), age: st.r.age, pattern: s.Pattern, exclude: s.Exclude, line: out.note}
	if sw.pattern == "" {
		sw.pattern = "*"
	}
	paths := s.Paths
	if len(paths) == 0 {
		paths = []string{""}
	}
	for _, p := range paths {
		if err := sw.folder(ctx, dir, p); err != nil {
			sr.Status, sr.Err = StepFailed, err.Error()
			break
		}
	}
	sr.Removed, sr.Reclaimed = sw.removed, sw.reclaimed
	msg := fmt.Sprintf("Deleted %d files in %s, %s freed", sw.removed, dir, HumanBytes(sw.reclaimed))
	if sw.failed > 0 {
		msg += fmt.Sprintf("; %d could not be deleted (in use or not yours)", sw.failed)
	}
	out.note(msg)
}

// folder cleans rel (slash-separated, "" for the root itself) under root.
// A folder that does not exist is nothing to clean.
func (sw *sweep) folder(ctx context.Context, root, rel string) error {
	top, err := os.OpenRoot(root)
	if errors.Is(err, fs.ErrNotExist) {
		sw.line(root + ": nothing to clean")
		return nil
	}
	if err != nil {
		return fmt.Errorf("opening %s: %w", root, err)
	}
	defer top.Close()
	rootInfo, err := top.Stat(".")
	if err != nil {
		return fmt.Errorf("checking %s: %w", root, err)
	}
	dir := top
	shown := root
	if rel != "" {
		shown = filepath.Join(root, filepath.FromSlash(rel))
		// Lstat each element on the way down: a link anywhere in rel is
		// not followed, even one that stays inside the root.
		if err := noLinks(top, rel); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				sw.line(shown + ": nothing to clean")
				return nil
			}
			sw.line(fmt.Sprintf("%s: skipped: %v", shown, err))
			return nil
		}
		sub, err := top.OpenRoot(filepath.FromSlash(rel))
		if errors.Is(err, fs.ErrNotExist) {
			sw.line(shown + ": nothing to clean")
			return nil
		}
		if err != nil {
			sw.line(fmt.Sprintf("%s: skipped: %v", shown, err))
			return nil
		}
		defer sub.Close()
		dir = sub
	}
	if err := sw.walk(ctx, dir, shown, rootInfo, 0); err != nil {
		return err
	}
	return nil
}

// noLinks fails when an element of rel under root is a symbolic link or
// not a folder.
func noLinks(root *os.Root, rel string) error {
	cur := ""
	for _, elem := range splitSlash(rel) {
		cur = path.Join(cur, elem)
		fi, err := root.Lstat(filepath.FromSlash(cur))
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			return fmt.Errorf("%s is a link or a file, not a folder", cur)
		}
	}
	return nil
}

func splitSlash(p string) []string {
	var out []string
	for p != "" {
		i := 0
		for i < len(p) && p[i] != '/' {
			i++
		}
		out = append(out, p[:i])
		if i == len(p) {
			break
		}
		p = p[i+1:]
	}
	return out
}

// walk deletes what is old in dir (shown is its path for messages) and
// descends into its folders.
func (sw *sweep) walk(ctx context.Context, dir *os.Root, shown string, top fs.FileInfo, depth int) error {
	f, err := dir.Open(".")
	if err != nil {
		sw.fail(shown, err)
		return nil
	}
	defer f.Close()
	for {
		entries, err := f.ReadDir(256)
		for _, e := range entries {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("stopped while cleaning %s: %w", shown, context.Cause(ctx))
			}
			sw.visited++
			if sw.visited > maxVisited {
				return fmt.Errorf("stopped after looking at %d files", maxVisited)
			}
			sw.entry(ctx, dir, shown, e.Name(), top, depth)
		}
		if errors.Is(err, io.EOF) || len(entries) == 0 {
			return nil
		}
		if err != nil {
			sw.fail(shown, err)
			return nil
		}
	}
}

func (sw *sweep) entry(ctx context.Context, dir *os.Root, shown, name string, top fs.FileInfo, depth int) {
	if sw.excluded(name) {
		return
	}
	full := filepath.Join(shown, name)
	fi, err := dir.Lstat(name)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			sw.fail(full, err)
		}
		return
	}
	mode := fi.Mode()
	switch {
	case mode.IsDir():
		if depth >= maxDepth || !sameDevice(fi, top) {
			return
		}
		sub, err := dir.OpenRoot(name)
		if err != nil {
			sw.fail(full, err)
			return
		}
		// The folder may have been swapped for a link between Lstat and
		// open; os.Root kept the open inside dir, and this keeps it to the
		// very folder that was looked at.
		if now, err := sub.Stat("."); err != nil || !os.SameFile(fi, now) {
			sub.Close()
			return
		}
		if err := sw.walk(ctx, sub, full, top, depth+1); err != nil {
			sub.Close()
			sw.fail(full, err)
			return
		}
		sub.Close()
		if sw.age(fi).Before(sw.cutoff) {
			// Only succeeds when the walk emptied it.
			_ = dir.Remove(name)
		}
	case mode.IsRegular(), mode&fs.ModeSymlink != 0:
		if !sw.age(fi).Before(sw.cutoff) || !sw.matches(name) {
			return
		}
		// Remove unlinks the name itself: a link is deleted, its target
		// is not touched.
		if err := dir.Remove(name); err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				sw.fail(full, err)
			}
			return
		}
		sw.removed++
		if mode.IsRegular() {
			sw.reclaimed += fi.Size()
		}
	default:
		// Sockets, pipes and devices belong to running programs.
	}
}

func (sw *sweep) matches(name string) bool {
	ok, _ := path.Match(sw.pattern, name)
	return ok
}

func (sw *sweep) excluded(name string) bool {
	for _, p := range sw.exclude {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}

func (sw *sweep) fail(what string, err error) {
	sw.failed++
	if sw.failed <= maxErrorLines {
		sw.line(fmt.Sprintf("could not delete %s: %v", what, unwrapPath(err)))
	}
}

// unwrapPath drops the path os errors repeat, since the line names it.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
