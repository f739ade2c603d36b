package catalog

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/trust"
)

// DirName is the folder of admin files, next to the main configuration
// file: /etc/firstline/fixes.d on Linux.
const DirName = "fixes.d"

// DefaultDir is the fixes.d folder of an installed service on this OS.
func DefaultDir() string {
	return filepath.Join(filepath.Dir(config.DefaultPath()), DirName)
}

// maxFileSize bounds one admin file; a catalog file is a few kilobytes.
const maxFileSize = 1 << 20

// Options tune Load.
type Options struct {
	// Logger receives a line per file applied and per problem; nil
	// discards.
	Logger *slog.Logger

	// trust decides whether an opened file or folder may be read; nil
	// means the strict per-OS check. Only this package's tests set it,
	// so no caller can weaken the check.
	trust func(path string, f *os.File) error
}

// Load builds the catalog from builtins and the *.toml files in dir, in
// lexical order. A file is applied whole or not at all; a file (or the
// folder) that is not owned by root or is writable by others is refused,
// as is a malformed one, each named with file:line in the returned
// *LoadError. The catalog is returned even then, with the built-ins and
// the sound files, so one bad file does not take every fix away. A
// missing folder is not an error.
func Load(dir string, builtins []fixes.Fix, opts Options) (*Catalog, error) {
	c, err := New(builtins)
	if err != nil {
		return nil, err
	}
	l := loader{c: c, trust: opts.trust, logger: opts.Logger}
	if l.trust == nil {
		l.trust = trust.Check
	}
	if l.logger == nil {
		l.logger = slog.New(slog.DiscardHandler)
	}
	for _, f := range l.files(dir) {
		l.apply(f)
	}
	if len(l.problems) > 0 {
		for _, p := range l.problems {
			l.logger.Error("refused a fix catalog file", "problem", p.String())
		}
		return c, &LoadError{Problems: l.problems}
	}
	return c, nil
}

type loader struct {
	c        *Catalog
	trust    func(path string, f *os.File) error
	logger   *slog.Logger
	problems []Problem
}

func (l *loader) problem(path string, err error) {
	// The Problem names the file; an error that starts with it too would
	// print it twice.
	msg := strings.TrimPrefix(err.Error(), path+": ")
	l.problems = append(l.problems, Problem{File: path, Message: msg, Err: err})
}

// files reads and parses every admin file in dir that may be used.
func (l *loader) files(dir string) []*File {
	// Whoever can write the folder, or the one above it, can replace the
	// files in it, whatever their own permissions.
	for _, d := range []string{filepath.Dir(dir), dir} {
		f, err := os.Open(d)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			l.problem(d, fmt.Errorf("opening the fix catalog folder: %w", err))
			return nil
		}
		err = l.checkOpened(d, f, true)
		if err == nil && d == dir {
			names, rerr := f.Readdirnames(-1)
			f.Close()
			if rerr != nil {
				l.problem(d, fmt.Errorf("listing the fix catalog folder: %w", rerr))
				return nil
			}
			return l.parseAll(dir, names)
		}
		f.Close()
		if err != nil {
			l.problem(d, err)
			return nil
		}
	}
	return nil
}

func (l *loader) parseAll(dir string, names []string) []*File {
	slices.Sort(names)
	var out []*File
	for _, name := range names {
		// Dot files are editor and package-manager leftovers.
		if !strings.HasSuffix(name, ".toml") || strings.HasPrefix(name, ".") {
			continue
		}
		path := filepath.Join(dir, name)
		data, err := l.read(path)
		if err != nil {
			l.problem(path, err)
			continue
		}
		f, probs := Parse(path, data)
		if len(probs) > 0 {
			l.problems = append(l.problems, probs...)
			continue
		}
		out = append(out, f)
	}
	return out
}

// read opens path without following a link, checks what was opened, and
// reads it.
func (l *loader) read(path string) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, fmt.Errorf("checking the fix catalog file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("refused: not a regular file (links are not followed)")
	}
	f, err := trust.OpenNoFollow(path)
	if err != nil {
		return nil, fmt.Errorf("opening the fix catalog file: %w", err)
	}
	defer f.Close()
	if now, err := f.Stat(); err != nil || !os.SameFile(fi, now) {
		return nil, errors.New("refused: the file changed while it was opened")
	}
	if err := l.checkOpened(path, f, false); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading the fix catalog file: %w", err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("refused: larger than %d bytes, which no catalog file is", maxFileSize)
	}
	return data, nil
}

func (l *loader) checkOpened(path string, f *os.File, wantDir bool) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("checking %s: %w", path, err)
	}
	if fi.IsDir() != wantDir {
		if wantDir {
			return errors.New("is not a folder")
		}
		return errors.New("is not a regular file")
	}
	return l.trust(path, f)
}

// apply merges one file into the catalog, or nothing of it when any part
// does not fit (an id taken, an override of a missing parameter).
func (l *loader) apply(f *File) {
	next := &Catalog{fixes: slices.Clone(l.c.fixes), disabled: map[string]bool{}}
	for id := range l.c.disabled {
		next.disabled[id] = true
	}
	var probs []Problem
	for i, fix := range f.Fixes {
		if slices.ContainsFunc(next.fixes, func(g fixes.Fix) bool { return g.ID == fix.ID }) {
			probs = append(probs, Problem{File: f.Name, Line: f.lines.at(f.lines.fix, i),
				Message: fmt.Sprintf("fix %s: the id is already taken (by a built-in fix or an earlier file); choose another", fix.ID)})
			continue
		}
		next.fixes = append(next.fixes, fix)
	}
	for oi, o := range f.Overrides {
		idx := slices.IndexFunc(next.fixes, func(g fixes.Fix) bool { return g.ID == o.ID })
		if idx < 0 {
			// Shared files name fixes of other OSes; not an error.
			l.logger.Warn("fix catalog override names no fix on this computer", "file", f.Name, "line", o.line, "fix", o.ID)
			continue
		}
		changed, err := override(next.fixes[idx], o)
		if err != nil {
			line := o.line
			if pl := f.lines.overrideParam[oi]; len(pl) > 0 {
				line = pl[0]
			}
			probs = append(probs, Problem{File: f.Name, Line: line, Message: fmt.Sprintf("override of %s: %v", o.ID, err)})
			continue
		}
		next.fixes[idx] = changed
	}
	for _, id := range f.Disable {
		if !slices.ContainsFunc(next.fixes, func(g fixes.Fix) bool { return g.ID == id }) {
			l.logger.Warn("fix catalog disables a fix this computer does not have", "file", f.Name, "fix", id)
		}
		next.disabled[id] = true
	}
	if len(probs) > 0 {
		l.problems = append(l.problems, probs...)
		return
	}
	l.c.fixes, l.c.disabled = next.fixes, next.disabled
	l.logger.Info("applied a fix catalog file", "file", f.Name, "fixes", len(f.Fixes),
		"overrides", len(f.Overrides), "disabled", len(f.Disable))
}

// override returns fix with o applied, validated.
func override(fix fixes.Fix, o Override) (fixes.Fix, error) {
	fix = fix.Clone()
	for _, po := range o.Params {
		i := slices.IndexFunc(fix.Params, func(p fixes.Param) bool { return p.Name == po.Name })
		if i < 0 {
			return fixes.Fix{}, fmt.Errorf("it has no parameter %q", po.Name)
		}
		p := &fix.Params[i]
		if (po.Min != nil || po.Max != nil) && p.Kind != fixes.ParamInt {
			return fixes.Fix{}, fmt.Errorf("parameter %s is not an int; min and max do not apply", p.Name)
		}
		if po.Enum != nil && p.Kind != fixes.ParamEnum {
			return fixes.Fix{}, fmt.Errorf("parameter %s is not an enum; enum does not apply", p.Name)
		}
		if po.Min != nil {
			p.Min = *po.Min
		}
		if po.Max != nil {
			p.Max = *po.Max
		}
		if po.Enum != nil {
			p.Enum = po.Enum
		}
		if po.Default != nil {
			p.Default = *po.Default
		}
	}
	if err := fix.Validate(); err != nil {
		var ve *fixes.ValidationError
		if errors.As(err, &ve) && len(ve.Problems) > 0 {
			msgs := make([]string, len(ve.Problems))
			for i, p := range ve.Problems {
				msgs[i] = p.Message
			}
			return fixes.Fix{}, errors.New(strings.Join(msgs, "; "))
		}
		return fixes.Fix{}, err
	}
	return fix, nil
}
