package spool

import (
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/firstline-it/firstline/internal/report"
)

// Filter selects records. The zero Filter selects everything.
type Filter struct {
	// Owner keeps only this user's reports (Owner.UID). The LocalAPI
	// always sets it to the caller's kernel-reported identity.
	Owner string
	// States keeps only reports in one of these overall states.
	States []report.Overall
	// Reference keeps only reports with this reference.
	Reference report.Reference
	// SkipArchived leaves out reports whose content was archived.
	SkipArchived bool
}

func (f *Filter) match(e *entry) bool {
	switch {
	case f.Owner != "" && e.rec.Owner.UID != f.Owner:
		return false
	case f.Reference != "" && e.rec.Reference != f.Reference:
		return false
	case f.SkipArchived && !e.rec.ArchivedAt.IsZero():
		return false
	case len(f.States) > 0 && !slices.Contains(f.States, e.rec.State.Overall()):
		return false
	}
	return true
}

// Get returns the record of key.
func (s *Spool) Get(key report.Key) (report.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.entries[key]
	if e == nil {
		return report.Record{}, fmt.Errorf("report %s: %w", key, ErrNotFound)
	}
	return e.rec.Clone(), nil
}

// List returns the records f selects, oldest first. For large spools
// prefer All, which does not hold them all at once.
func (s *Spool) List(f Filter) []report.Record {
	return slices.Collect(s.All(f))
}

// All yields the records f selects, oldest first. It copies them out a
// few at a time and holds no lock while the caller works, so the caller
// may call any method of the spool; a report stored or removed meanwhile
// may or may not be seen.
func (s *Spool) All(f Filter) iter.Seq[report.Record] {
	return s.walk(f.match)
}

// Due yields, oldest first, the reports the delivery loop should work on
// at now: content present, not archived, and due by State.Due (which
// includes reports not routed yet and attempts interrupted by a crash).
// Memory use does not grow with the backlog: the walk copies a few
// records at a time. A report the loop is sending right now is yielded
// again by a new walk (it is still pending); the loop skips the keys it has
// in flight.
func (s *Spool) Due(now time.Time) iter.Seq[report.Record] {
	return s.walk(func(e *entry) bool {
		at, due := e.rec.State.Due()
		return due && e.hasBody && e.rec.ArchivedAt.IsZero() && !at.After(now)
	})
}

// NextDue returns when the next report falls due, for the delivery loop
// to sleep until then, and false when nothing is waiting.
func (s *Spool) NextDue() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var next time.Time
	found := false
	for _, e := range s.order {
		at, due := e.rec.State.Due()
		if !due || !e.hasBody || !e.rec.ArchivedAt.IsZero() {
			continue
		}
		if !found || at.Before(next) {
			next, found = at, true
		}
	}
	return next, found
}

// walkBatch is how many records a walk copies per lock.
const walkBatch = 64

// walk yields copies of the entries match selects, in order, resuming
// after the last one yielded so that entries added or removed between
// batches do not upset it.
func (s *Spool) walk(match func(*entry) bool) iter.Seq[report.Record] {
	return func(yield func(report.Record) bool) {
		var afterAt time.Time
		var afterKey report.Key
		started := false
		batch := make([]report.Record, 0, walkBatch)
		for {
			batch = batch[:0]
			s.mu.Lock()
			i := 0
			if started {
				i, _ = slices.BinarySearchFunc(s.order, afterKey, func(e *entry, k report.Key) int {
					return compareAt(e, afterAt, k)
				})
				if i < len(s.order) && s.order[i].rec.Key == afterKey {
					i++
				}
			}
			for ; i < len(s.order) && len(batch) < walkBatch; i++ {
				e := s.order[i]
				afterAt, afterKey, started = e.rec.ReceivedAt, e.rec.Key, true
				if match(e) {
					batch = append(batch, e.rec.Clone())
				}
			}
			end := i >= len(s.order)
			s.mu.Unlock()
			for _, r := range batch {
				if !yield(r) {
					return
				}
			}
			if end {
				return
			}
		}
	}
}

// Stats describe the spool, for the CLI and health checks.
type Stats struct {
	// Reports counts all records; Waiting those not yet archived.
	Reports, Waiting int
	// NeedsAttention counts waiting reports stuck until someone acts.
	NeedsAttention int
	// Bytes is the size of all files; MaxBytes and MaxReports the bounds.
	Bytes, MaxBytes int64
	MaxReports      int
}

// Stats returns the spool's current figures.
func (s *Spool) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{Reports: len(s.entries), Waiting: s.pending, Bytes: s.bytes, MaxBytes: s.opts.MaxBytes, MaxReports: s.opts.MaxReports}
	for _, e := range s.order {
		if e.rec.ArchivedAt.IsZero() && e.rec.State.Overall() == report.OverallNeedsAttention {
			st.NeedsAttention++
		}
	}
	return st
}
