package spool

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/firstline-it/firstline/internal/report"
)

// writeFile writes a file the crash-safe way: a temporary file in the same
// folder, written, synced, closed, then renamed over the target. A crash at
// any point leaves either the old file or the new one, never a mix; the
// temporary file it may leave is removed by the next Open. The caller
// syncs the folder (s.syncDir) to make the rename itself durable.
func (s *Spool) writeFile(path string, parts ...[]byte) (err error) {
	f, err := os.CreateTemp(s.dir, tmpPrefix+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("creating a temporary file for %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	// Parts are written as they are: the body's attachments are large
	// and already in memory, a buffer would only copy them.
	for _, p := range parts {
		if _, err := f.Write(p); err != nil {
			return fmt.Errorf("writing %s: %w", f.Name(), err)
		}
	}
	if !s.opts.noSync {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("syncing %s: %w", f.Name(), err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", f.Name(), err)
	}
	return rename(f.Name(), path)
}

// syncDir makes renames and removals in the spool folder durable.
func (s *Spool) syncDir() error {
	if s.opts.noSync {
		return nil
	}
	return syncDir(s.dir)
}

// removeFile removes a file of the spool; a file already gone is fine.
func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing %s: %w", path, err)
	}
	return nil
}

// quarantine moves a damaged file out of the way, into quarantine/ under a
// name that cannot clash, so an administrator can look at it and the rest
// of the spool carries on. It never fails: a file that cannot be moved is
// logged and left for the next Open to try again.
func (s *Spool) quarantine(name string, why error) {
	from := filepath.Join(s.dir, name)
	to := filepath.Join(s.dir, quarantineDir, name+"."+strconv.FormatInt(s.opts.Now().UnixNano(), 10))
	if err := rename(from, to); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		s.log.Error("spool: a damaged file could not be moved to quarantine; it is skipped",
			"file", from, "reason", why, "err", err)
		return
	}
	s.log.Warn("spool: moved a damaged file to quarantine", "file", from, "to", to, "reason", why)
}

// readStateFile reads and checks the state file of key.
func (s *Spool) readStateFile(key report.Key) (report.Record, int64, error) {
	data, err := readCapped(s.statePath(key), maxRecord+maxHeader)
	if err != nil {
		return report.Record{}, 0, err
	}
	rec, err := decodeState(data)
	if err != nil {
		return report.Record{}, 0, err
	}
	if rec.Key != key {
		return report.Record{}, 0, damaged("state of %s is named %s", rec.Key, key)
	}
	return rec, int64(len(data)), nil
}

// readCapped reads a whole file that must not be larger than limit.
func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if fi.Size() > limit {
		return nil, damaged("%s is %d bytes, more than a state file can be", path, fi.Size())
	}
	data := make([]byte, fi.Size())
	if _, err := f.ReadAt(data, 0); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return data, nil
}

// checkBodyHead reads the header of key's body and checks that the file
// has the size the header promises: a cheap test that catches truncation
// without reading megabytes of attachments. It returns the file's size.
func (s *Spool) checkBodyHead(key report.Key) (int64, error) {
	f, err := os.Open(s.bodyPath(key))
	if err != nil {
		return 0, fmt.Errorf("opening %s: %w", s.bodyPath(key), err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("reading %s: %w", f.Name(), err)
	}
	// A header lists a few sections: 1 KiB holds it in most reports.
	h, headLen, err := readHead(bufio.NewReaderSize(f, 1024), kindBody)
	if err != nil {
		return 0, err
	}
	if h.Key != key {
		return 0, damaged("body of %s is named %s", h.Key, key)
	}
	if want := headLen + h.payloadSize(); fi.Size() != want {
		return 0, damaged("body is %d bytes; its header says %d", fi.Size(), want)
	}
	return fi.Size(), nil
}

// readBodyFile reads and checks the whole body of key.
func (s *Spool) readBodyFile(key report.Key) (report.Report, error) {
	f, err := os.Open(s.bodyPath(key))
	if err != nil {
		return report.Report{}, fmt.Errorf("opening %s: %w", s.bodyPath(key), err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return report.Report{}, fmt.Errorf("reading %s: %w", f.Name(), err)
	}
	rep, err := readBody(bufio.NewReaderSize(f, 64<<10), fi.Size())
	if err != nil {
		return report.Report{}, err
	}
	if rep.Key != key {
		return report.Report{}, damaged("body of %s is named %s", rep.Key, key)
	}
	return rep, nil
}
