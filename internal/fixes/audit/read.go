package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"
)

// Filter selects records; zero fields match everything.
type Filter struct {
	// UID keeps only this caller's records (an employee sees their own).
	UID string
	// Since keeps records that started at or after it.
	Since time.Time
	// FixID keeps only runs of this fix.
	FixID string
	// Limit keeps only the newest Limit records; zero keeps all.
	Limit int
}

func (f Filter) match(r *Record) bool {
	return (f.UID == "" || r.UID == f.UID) &&
		(f.Since.IsZero() || !r.Start.Before(f.Since)) &&
		(f.FixID == "" || r.FixID == f.FixID)
}

// Read returns the records of the log at path and its rotated files that
// match f, oldest first. A line that is not a record (torn by a crash,
// damaged, too long) is skipped with a warning to logger (nil discards),
// never fatal: the rest of the history stays readable.
func Read(path string, f Filter, logger *slog.Logger) ([]Record, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var files []string
	for i := maxRotated; i >= 1; i-- {
		if _, err := os.Stat(rotated(path, i)); err == nil {
			files = append(files, rotated(path, i))
		}
	}
	files = append(files, path)

	var out []Record
	for _, name := range files {
		recs, err := readFile(name, f, logger)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[len(out)-f.Limit:]
	}
	return out, nil
}

// maxRotated is how far Read looks for rotated files, whatever Keep the
// writer used.
const maxRotated = 100

func readFile(name string, f Filter, logger *slog.Logger) ([]Record, error) {
	file, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("opening the audit log: %w", err)
	}
	defer file.Close()
	var out []Record
	err = readLines(file, func(lineNo int, line []byte) {
		if line == nil {
			logger.Warn("skipping an audit record that is too long", "path", name, "line", lineNo)
			return
		}
		if len(line) == 0 {
			return // the newline that ends a torn record
		}
		var r Record
		if err := json.Unmarshal(line, &r); err != nil || r.FixID == "" && r.UID == "" {
			logger.Warn("skipping a damaged audit record", "path", name, "line", lineNo, "err", err)
			return
		}
		if f.match(&r) {
			out = append(out, r)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("reading the audit log %s: %w", name, err)
	}
	return out, nil
}
