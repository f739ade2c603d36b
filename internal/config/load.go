package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/firstline-it/firstline/internal/trust"
)

// Options says what Load reads.
type Options struct {
	// Path is the main configuration file; empty means DefaultPath().
	// Drop-ins are read from the conf.d directory next to it.
	Path string

	// trust decides whether an opened file or directory may be used. Nil
	// means trust.Check, the strict per-OS check; only this package's tests
	// set it, which is why it is unexported: no caller can weaken the check.
	trust func(path string, f *os.File) error
}

// Loaded is the result of Load.
type Loaded struct {
	// Config is the effective configuration: defaults, then the main file,
	// then each drop-in.
	Config *Config
	// Files are the files read, in the order they were applied. It is empty
	// when no file exists and the defaults apply.
	Files []string
}

// maxFileSize bounds what is read from one file. Configuration files are a
// few kilobytes; anything bigger is a mistake (or an attack), not config.
const maxFileSize = 1 << 20

// dropInDir is the directory of drop-ins, next to the main file.
const dropInDir = "conf.d"

// Load reads the main configuration file and then every conf.d/*.toml next
// to it in lexical order, each overriding only the keys it sets, on top of
// Defaults(). Missing files and directories are not errors. Every problem
// found (refused permissions, syntax, unknown keys, wrong types, bad values)
// is returned together in an *Error, each naming its file and line.
func Load(opts Options) (*Loaded, error) {
	path := opts.Path
	if path == "" {
		path = DefaultPath()
	}
	check := opts.trust
	if check == nil {
		check = trust.Check
	}

	r := reader{trust: check, m: newMerger()}
	r.loadAll(path)

	// Values still coming from the defaults were validated by nobody yet;
	// the defaults are tested, but a broken one must not pass silently.
	var verr *Error
	if errors.As(r.m.cfg.Validate(), &verr) {
		for _, p := range verr.Problems {
			if _, set := r.m.origins[originKey(p.Key)]; !set {
				if o, ok := r.m.origins[p.via]; ok {
					p.File, p.Line = o.file, o.line
				}
				r.m.problems = append(r.m.problems, p)
			}
		}
	}
	r.m.problems = append(r.m.problems, secretProblems(r.m.cfg, r.m.origins)...)
	if len(r.m.problems) > 0 {
		return nil, &Error{Problems: r.m.problems}
	}
	return &Loaded{Config: r.m.cfg, Files: r.files}, nil
}

// reader walks the configuration files, checking trust before reading.
type reader struct {
	trust func(path string, f *os.File) error
	m     *merger
	files []string
}

func (r *reader) problem(path string, err error) {
	msg := err.Error()
	var ue *UntrustedError
	if errors.As(err, &ue) {
		msg = ue.Message()
	}
	r.m.problems = append(r.m.problems, Problem{File: path, Message: msg, Err: err})
}

func (r *reader) loadAll(path string) {
	// The directory is checked before anything in it is read: whoever can
	// write it can replace the file, whatever the file's own permissions.
	if _, ok := r.openDir(filepath.Dir(path)); !ok {
		return
	}
	r.readFile(path)

	dir := filepath.Join(filepath.Dir(path), dropInDir)
	names, ok := r.openDir(dir)
	if !ok {
		return
	}
	for _, name := range names {
		r.readFile(filepath.Join(dir, name))
	}
}

// openDir checks dir and returns the drop-in names in it, sorted. ok is
// false when the directory does not exist or must not be used (the latter
// is recorded as a problem).
func (r *reader) openDir(dir string) (names []string, ok bool) {
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false
	}
	if err != nil {
		r.problem(dir, fmt.Errorf("opening the configuration directory: %w", err))
		return nil, false
	}
	defer f.Close()
	if err := r.checkOpened(dir, f, true); err != nil {
		r.problem(dir, err)
		return nil, false
	}
	entries, err := f.ReadDir(-1)
	if err != nil {
		r.problem(dir, fmt.Errorf("listing the configuration directory: %w", err))
		return nil, false
	}
	for _, e := range entries {
		// Dot files are editor and package-manager leftovers
		// (".#x.toml" locks, for one), never configuration.
		if strings.HasSuffix(e.Name(), ".toml") && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	// ReadDir on an open directory returns directory order.
	sort.Strings(names)
	return names, true
}

// readFile reads, checks and applies one file. A missing main file is
// fine; a drop-in that vanished between listing and opening is not worth
// failing for either.
func (r *reader) readFile(path string) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		r.problem(path, fmt.Errorf("opening the configuration file: %w", err))
		return
	}
	defer f.Close()
	if err := r.checkOpened(path, f, false); err != nil {
		r.problem(path, err)
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		r.problem(path, fmt.Errorf("reading the configuration file: %w", err))
		return
	}
	if len(data) > maxFileSize {
		r.problem(path, fmt.Errorf("the file is larger than %d bytes, which no configuration file is", maxFileSize))
		return
	}
	r.files = append(r.files, path)
	r.m.apply(path, data)
}

// checkOpened checks that f is what it should be (a directory or a regular
// file) and is trusted. The type is checked on the open handle, so what is
// checked is what is read.
func (r *reader) checkOpened(path string, f *os.File, wantDir bool) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("checking the configuration path: %w", err)
	}
	switch {
	case wantDir && !fi.IsDir():
		return errors.New("is not a directory")
	case !wantDir && !fi.Mode().IsRegular():
		return errors.New("is not a regular file")
	}
	return r.trust(path, f)
}
