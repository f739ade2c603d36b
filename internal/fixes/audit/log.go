package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// Options tune a Log.
type Options struct {
	// MaxBytes is the size at which the file is rotated; zero means
	// DefaultMaxBytes.
	MaxBytes int64
	// Keep is how many rotated files (path.1 … path.Keep) are kept; zero
	// means DefaultKeep.
	Keep int
	// Logger receives warnings (a torn last line found on open); nil
	// discards them.
	Logger *slog.Logger
	// Now is the clock for Record.Time; nil means time.Now.
	Now func() time.Time
}

// Defaults: a run record is a few hundred bytes, so 10 MiB times 5 files
// holds years of ordinary use, and a flood of refusals cannot fill the disk.
const (
	DefaultMaxBytes = 10 << 20
	DefaultKeep     = 5
)

// maxRecordBytes bounds one line; the reader skips longer ones.
const maxRecordBytes = 256 << 10

// Log appends records to a file. It is safe for concurrent use.
type Log struct {
	path   string
	opts   Options
	logger *slog.Logger

	mu   sync.Mutex
	f    *os.File
	size int64
}

// Open opens (creating it 0600 if needed) the audit file at path for
// appending. If the file ends in a torn line (the machine lost power while
// a record was written), a newline is added so the next record starts on a
// line of its own; the reader skips the torn one.
func Open(path string, opts Options) (*Log, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Keep <= 0 {
		opts.Keep = DefaultKeep
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	l := &Log{path: path, opts: opts, logger: logger}
	if err := l.open(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *Log) open() error {
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("opening the audit log: %w", err)
	}
	// An existing file made by something else may be wider open; the audit
	// log names users and what they ran.
	if err := restrict(f); err != nil {
		f.Close()
		return fmt.Errorf("restricting the audit log to the service: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("checking the audit log: %w", err)
	}
	l.f, l.size = f, fi.Size()
	if l.size > 0 {
		torn, err := endsTorn(l.path, l.size)
		if err != nil {
			f.Close()
			return err
		}
		if torn {
			l.logger.Warn("the audit log ends in an incomplete record; it is kept and will be skipped when read",
				"path", l.path)
			if _, err := f.Write([]byte("\n")); err != nil {
				f.Close()
				return fmt.Errorf("ending the torn audit record: %w", err)
			}
			l.size++
		}
	}
	return nil
}

// endsTorn reports whether the file's last byte is not a newline.
func endsTorn(path string, size int64) (bool, error) {
	r, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("reading the end of the audit log: %w", err)
	}
	defer r.Close()
	var last [1]byte
	if _, err := r.ReadAt(last[:], size-1); err != nil {
		return false, fmt.Errorf("reading the end of the audit log: %w", err)
	}
	return last[0] != '\n', nil
}

// Append writes rec as one line and syncs it to disk before returning, so
// a record that was reported written survives a crash. Record.Time is set
// to now.
func (l *Log) Append(rec Record) error {
	rec.Time = l.opts.Now().UTC()
	line, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encoding the audit record: %w", err)
	}
	if len(line) >= maxRecordBytes {
		return fmt.Errorf("encoding the audit record: %d bytes is over the %d-byte limit", len(line), maxRecordBytes)
	}
	line = append(line, '\n')

	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return errors.New("writing the audit record: the log is closed")
	}
	if l.size > 0 && l.size+int64(len(line)) > l.opts.MaxBytes {
		if err := l.rotate(); err != nil {
			return err
		}
	}
	// One write call per record: with O_APPEND the line lands whole after
	// whatever is there, even if another process appends too.
	n, err := l.f.Write(line)
	l.size += int64(n)
	if err != nil {
		return fmt.Errorf("writing the audit record: %w", err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("syncing the audit log: %w", err)
	}
	return nil
}

// rotate shifts path.N-1 → path.N … path → path.1 and starts a new file.
func (l *Log) rotate() error {
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("closing the audit log to rotate it: %w", err)
	}
	l.f = nil
	if err := os.Remove(rotated(l.path, l.opts.Keep)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing the oldest audit log: %w", err)
	}
	for i := l.opts.Keep - 1; i >= 1; i-- {
		if err := os.Rename(rotated(l.path, i), rotated(l.path, i+1)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("rotating the audit log: %w", err)
		}
	}
	if err := os.Rename(l.path, rotated(l.path, 1)); err != nil {
		return fmt.Errorf("rotating the audit log: %w", err)
	}
	if err := l.open(); err != nil {
		return err
	}
	return syncDir(filepath.Dir(l.path))
}

func rotated(path string, i int) string { return path + "." + strconv.Itoa(i) }

// Close closes the file; further Appends fail.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	if err != nil {
		return fmt.Errorf("closing the audit log: %w", err)
	}
	return nil
}

// Path is the file the log appends to.
func (l *Log) Path() string { return l.path }

// readLines calls fn with each line of r (without its newline). Lines
// longer than maxRecordBytes are passed as nil so the caller can warn
// about them; memory stays bounded either way.
func readLines(r io.Reader, fn func(lineNo int, line []byte)) error {
	buf := make([]byte, 0, 4096)
	chunk := make([]byte, 32<<10)
	lineNo, tooLong := 0, false
	for {
		n, err := r.Read(chunk)
		data := chunk[:n]
		for len(data) > 0 {
			i := bytes.IndexByte(data, '\n')
			part := data
			if i >= 0 {
				part = data[:i]
			}
			if !tooLong {
				if len(buf)+len(part) > maxRecordBytes {
					tooLong, buf = true, buf[:0]
				} else {
					buf = append(buf, part...)
				}
			}
			if i < 0 {
				break
			}
			lineNo++
			if tooLong {
				fn(lineNo, nil)
			} else {
				fn(lineNo, buf)
			}
			buf, tooLong = buf[:0], false
			data = data[i+1:]
		}
		if errors.Is(err, io.EOF) {
			if len(buf) > 0 || tooLong {
				lineNo++
				if tooLong {
					fn(lineNo, nil)
				} else {
					fn(lineNo, buf)
				}
			}
			return nil
		}
		if err != nil {
			return err
		}
	}
}
