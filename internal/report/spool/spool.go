package spool

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/report"
)

// Errors a caller tells apart with errors.Is.
var (
	// ErrExists: Put of a key the spool already holds for the same owner.
	// Put returns the existing record with it: the report is safe, and
	// the caller answers as if the Put had just succeeded.
	ErrExists = errors.New("report already in the spool")
	// ErrKeyInUse: Put of a key the spool holds for another owner. The
	// caller must not say more: that would tell one user about
	// another's report.
	ErrKeyInUse = errors.New("report key already in use")
	// ErrFull is wrapped by *FullError.
	ErrFull = errors.New("report spool full")
	// ErrNotFound: no report with that key.
	ErrNotFound = errors.New("report not in the spool")
	// ErrGone: the report's content is no longer kept (archived after
	// delivery, or moved to quarantine because it was damaged).
	ErrGone = errors.New("report content no longer kept")
	// ErrDamaged: the report's content was found damaged and moved to
	// quarantine; its record now says so (State.Broken).
	ErrDamaged = errors.New("report content damaged")
	// ErrLocked: another process has the spool open.
	ErrLocked = errors.New("the report spool is in use by another process")
	// ErrClosed: the spool was closed.
	ErrClosed = errors.New("report spool closed")
)

// FullError is why Put refused a report: the spool would go over one of
// its bounds. Nothing was written; the caller must tell the employee that
// the report was not saved, never drop it silently.
type FullError struct {
	Reports, MaxReports int
	Bytes, MaxBytes     int64
	// Need is the size the refused report would have taken.
	Need int64
}

func (e *FullError) Error() string {
	return fmt.Sprintf("the report could not be saved: the queue of reports waiting to be sent is full "+
		"(%d of %d reports, %s of %s, this one needs %s); tell IT another way, and they can clear the queue",
		e.Reports, e.MaxReports, mib(e.Bytes), mib(e.MaxBytes), mib(e.Need))
}

func mib(n int64) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB" }

// Is makes errors.Is(err, ErrFull) true.
func (e *FullError) Is(target error) bool { return target == ErrFull }

// Options configure a spool. Zero values pick the defaults noted.
type Options struct {
	// MaxBytes bounds the size of all files in the spool (default 1 GiB).
	MaxBytes int64
	// MaxReports bounds how many reports may wait for delivery (default
	// 10,000). Archived records do not count: they are bounded by
	// KeepArchived.
	MaxReports int
	// KeepArchived is how long Prune keeps the record of a report after
	// it was archived, for "My reports" (default 30 days).
	KeepArchived time.Duration
	// Logger receives a warning for every file quarantined or recovered
	// (default: discard).
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time

	// noSync skips fsync: for tests that build large spools, never for
	// real data.
	noSync bool
}

// Defaults.
const (
	DefaultMaxBytes     = 1 << 30
	DefaultMaxReports   = 10_000
	DefaultKeepArchived = 30 * 24 * time.Hour
)

// Spool is a folder of reports. It is safe for concurrent use; one process
// at a time may have a folder open.
type Spool struct {
	dir  string
	opts Options
	log  *slog.Logger
	lock *os.File

	// inflight counts Put, UpdateState, Archive and Remove calls that
	// are writing, so Close can wait for them.
	inflight sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	entries  map[report.Key]*entry
	order    []*entry // by ReceivedAt, then key
	reserved map[report.Key]*reservation
	bytes    int64 // size of all files of all entries
	pending  int   // entries not archived
	resBytes int64 // sizes of reserved Puts
}

// entry is what the spool keeps in memory per report: the light record and
// file sizes, never the content.
type entry struct {
	rec       report.Record
	bodySize  int64 // 0 when the body is gone
	stateSize int64
	hasBody   bool
	// wmu serialises the writers of this entry's files. Taken before
	// Spool.mu, never after.
	wmu sync.Mutex
}

// reservation holds a key while Put writes it; done closes when the Put
// ends, either way.
type reservation struct {
	need int64
	done chan struct{}
}

const (
	bodySuffix    = ".body"
	stateSuffix   = ".state"
	tmpPrefix     = ".tmp-"
	lockName      = "lock"
	quarantineDir = "quarantine"
)

// Open opens the spool in dir, creating it (mode 0700) if needed, and
// rebuilds the index from the state files and the headers of the bodies.
// Damaged files are moved to dir/quarantine with a warning, leftover
// temporary files from a crash are removed, and a report whose state file
// was lost is recovered from its body. Only an I/O error on dir itself, or
// another process holding the spool, makes Open fail.
//
// Open does not set permissions beyond 0700 folders and 0600 files: the
// service should create dir with internal/privdir first, so that on
// Windows it has an ACL for SYSTEM and Administrators only.
func Open(dir string, opts Options) (*Spool, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.MaxReports <= 0 {
		opts.MaxReports = DefaultMaxReports
	}
	if opts.KeepArchived <= 0 {
		opts.KeepArchived = DefaultKeepArchived
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := os.MkdirAll(filepath.Join(dir, quarantineDir), 0o700); err != nil {
		return nil, fmt.Errorf("creating the report spool %s: %w", dir, err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the report spool %s: %w", dir, err)
	}
	if err := lockFile(lock); err != nil {
		lock.Close()
		return nil, fmt.Errorf("opening the report spool %s: %w", dir, err)
	}
	s := &Spool{
		dir:      dir,
		opts:     opts,
		log:      opts.Logger,
		lock:     lock,
		entries:  map[report.Key]*entry{},
		reserved: map[report.Key]*reservation{},
	}
	if err := s.load(); err != nil {
		lock.Close()
		return nil, err
	}
	return s, nil
}

// Close waits for writes in progress and releases the spool. Calls after
// Close return ErrClosed.
func (s *Spool) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.inflight.Wait()
	if err := s.lock.Close(); err != nil {
		return fmt.Errorf("closing the report spool %s: %w", s.dir, err)
	}
	return nil
}

// begin registers a writer; it fails once the spool is closed. Call with
// s.mu held; the writer calls s.inflight.Done when finished.
func (s *Spool) begin() error {
	if s.closed {
		return ErrClosed
	}
	s.inflight.Add(1)
	return nil
}

// Dir is the folder the spool lives in.
func (s *Spool) Dir() string { return s.dir }

func (s *Spool) bodyPath(k report.Key) string  { return filepath.Join(s.dir, k.String()+bodySuffix) }
func (s *Spool) statePath(k report.Key) string { return filepath.Join(s.dir, k.String()+stateSuffix) }
