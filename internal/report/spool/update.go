package spool

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/firstline-it/firstline/internal/report"
)

// UpdateState changes the delivery state of a report durably: fn edits a
// copy, and the copy replaces the state only once it is on disk. Only the
// small state file is rewritten, never the report's content. If fn returns
// an error, nothing changes and UpdateState returns it.
func (s *Spool) UpdateState(ctx context.Context, key report.Key, fn func(*report.State) error) (report.Record, error) {
	var out report.Record
	err := s.modify(ctx, key, func(rec *report.Record) error {
		if err := fn(&rec.State); err != nil {
			return err
		}
		rec.State.Normalize()
		out = rec.Clone()
		return nil
	}, nil)
	if err != nil {
		return report.Record{}, err
	}
	return out, nil
}

// Archive drops a report's content and keeps its record, so "My reports"
// still lists it until Prune removes it after Options.KeepArchived. The
// delivery loop archives a report once every destination has it.
func (s *Spool) Archive(ctx context.Context, key report.Key) error {
	return s.modify(ctx, key, func(rec *report.Record) error {
		if !rec.ArchivedAt.IsZero() {
			return errUnchanged
		}
		rec.ArchivedAt = s.now()
		return nil
	}, func(e *entry) error {
		// The record says "archived" on disk before the content goes,
		// so a crash in between is finished by the next Open rather
		// than mistaken for lost content.
		if err := removeFile(s.bodyPath(key)); err != nil {
			return err
		}
		if err := s.syncDir(); err != nil {
			return err
		}
		s.mu.Lock()
		s.bytes -= e.bodySize
		e.bodySize, e.hasBody = 0, false
		s.mu.Unlock()
		return nil
	})
}

// Remove deletes a report and its record. It archives first, so a crash
// half-way never leaves a body without a record (which Open would take for
// a report to recover and deliver again).
func (s *Spool) Remove(ctx context.Context, key report.Key) error {
	if err := s.Archive(ctx, key); err != nil {
		return err
	}
	e, err := s.lockEntry(key)
	if err != nil {
		return err
	}
	defer s.unlockEntry(e)
	if err := removeFile(s.statePath(key)); err != nil {
		return fmt.Errorf("removing report %s: %w", key, err)
	}
	if err := s.syncDir(); err != nil {
		return fmt.Errorf("removing report %s: %w", key, err)
	}
	s.mu.Lock()
	if s.entries[key] == e {
		s.drop(e)
	}
	s.mu.Unlock()
	return nil
}

// Prune removes the records of reports archived longer ago than
// Options.KeepArchived and returns how many it removed.
func (s *Spool) Prune(ctx context.Context) (int, error) {
	cutoff := s.opts.Now().Add(-s.opts.KeepArchived)
	var old []report.Key
	for rec := range s.All(Filter{}) {
		if !rec.ArchivedAt.IsZero() && rec.ArchivedAt.Before(cutoff) {
			old = append(old, rec.Key)
		}
	}
	n := 0
	for _, key := range old {
		if err := s.Remove(ctx, key); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// errUnchanged, from an edit, means there is nothing to write.
var errUnchanged = errors.New("unchanged")

// modify is the one path for changing an entry's record: it runs edit on
// a copy, writes the copy's state file durably, swaps it in, and then runs
// after (may be nil) with the entry still locked.
func (s *Spool) modify(ctx context.Context, key report.Key, edit func(*report.Record) error, after func(*entry) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("updating report %s: %w", key, err)
	}
	e, err := s.lockEntry(key)
	if err != nil {
		return err
	}
	defer s.unlockEntry(e)
	s.mu.Lock()
	rec := e.rec.Clone()
	s.mu.Unlock()
	if err := edit(&rec); errors.Is(err, errUnchanged) {
		return nil
	} else if err != nil {
		return err
	}
	data, err := encodeState(rec)
	if err != nil {
		return err
	}
	if err := s.writeFile(s.statePath(key), data); err != nil {
		return fmt.Errorf("updating report %s: %w", key, err)
	}
	if err := s.syncDir(); err != nil {
		return fmt.Errorf("updating report %s: %w", key, err)
	}
	s.mu.Lock()
	if e.rec.ArchivedAt.IsZero() && !rec.ArchivedAt.IsZero() {
		s.pending--
	}
	s.bytes += int64(len(data)) - e.stateSize
	e.rec, e.stateSize = rec, int64(len(data))
	s.mu.Unlock()
	if after != nil {
		if err := after(e); err != nil {
			return fmt.Errorf("updating report %s: %w", key, err)
		}
	}
	return nil
}

// lockEntry finds key's entry and takes its write lock, registering the
// caller as a writer Close waits for. Release with unlockEntry.
func (s *Spool) lockEntry(key report.Key) (*entry, error) {
	s.mu.Lock()
	if err := s.begin(); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	e := s.entries[key]
	s.mu.Unlock()
	if e == nil {
		s.inflight.Done()
		return nil, fmt.Errorf("report %s: %w", key, ErrNotFound)
	}
	e.wmu.Lock()
	s.mu.Lock()
	current := s.entries[key] == e
	s.mu.Unlock()
	if !current {
		// Removed or replaced while we waited for the lock.
		e.wmu.Unlock()
		s.inflight.Done()
		return nil, fmt.Errorf("report %s: %w", key, ErrNotFound)
	}
	return e, nil
}

func (s *Spool) unlockEntry(e *entry) {
	e.wmu.Unlock()
	s.inflight.Done()
}

// markDamaged moves key's body to quarantine and records on its state
// that the content is gone, so the employee sees "Needs attention" and
// the delivery loop stops trying. why is logged, not shown.
func (s *Spool) markDamaged(ctx context.Context, key report.Key, why error) {
	// Not even a cancelled request may skip this: the next reader would
	// find the same damage.
	err := s.modify(context.WithoutCancel(ctx), key, func(rec *report.Record) error {
		rec.State.Broken = brokenMessage
		return nil
	}, func(e *entry) error {
		s.quarantine(key.String()+bodySuffix, why)
		s.mu.Lock()
		s.bytes -= e.bodySize
		e.bodySize, e.hasBody = 0, false
		s.mu.Unlock()
		return nil
	})
	if err != nil {
		s.log.Error("spool: cannot record that a report is damaged", "key", key, "err", err)
	}
}

// now is the spool's clock without a monotonic reading.
func (s *Spool) now() time.Time { return s.opts.Now().Round(0) }
