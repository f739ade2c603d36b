package logging

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/firstline-it/firstline/internal/privdir"
)

// Rotator is an io.WriteCloser on a log file that rolls over by size:
// file → file.1 → file.2 … keeping MaxFiles old files. Writes are never split
// across files, so a log line is always whole.
type Rotator struct {
	path     string
	maxBytes int64
	maxFiles int

	mu   sync.Mutex
	f    *os.File
	size int64
}

// OpenRotator opens (appending) or creates path, 0640 in a private folder:
// logs can name users and machines, so they are not world-readable, and
// users must not be able to plant files where the service renames.
func OpenRotator(path string, maxBytes int64, maxFiles int) (*Rotator, error) {
	if maxBytes <= 0 {
		maxBytes = 10 << 20
	}
	if maxFiles <= 0 {
		maxFiles = 5
	}
	if err := privdir.MkdirAll(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("creating log folder: %w", err)
	}
	r := &Rotator{path: path, maxBytes: maxBytes, maxFiles: maxFiles}
	if err := r.open(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Rotator) open() error {
	f, err := os.OpenFile(r.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("opening log file: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("reading log file size: %w", err)
	}
	r.f, r.size = f, fi.Size()
	return nil
}

// Write appends p, rotating first when p would push the file over the limit.
func (r *Rotator) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return 0, os.ErrClosed
	}
	if r.size > 0 && r.size+int64(len(p)) > r.maxBytes {
		if err := r.rotate(); err != nil {
			return 0, err
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

func (r *Rotator) rotate() error {
	if err := r.f.Close(); err != nil {
		return fmt.Errorf("closing log file for rotation: %w", err)
	}
	r.f = nil
	os.Remove(fmt.Sprintf("%s.%d", r.path, r.maxFiles))
	for i := r.maxFiles - 1; i >= 1; i-- {
		// Missing generations are normal until the log has rotated often.
		_ = os.Rename(fmt.Sprintf("%s.%d", r.path, i), fmt.Sprintf("%s.%d", r.path, i+1))
	}
	if err := os.Rename(r.path, r.path+".1"); err != nil {
		return fmt.Errorf("rotating log file: %w", err)
	}
	return r.open()
}

// Close closes the current file.
func (r *Rotator) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}
