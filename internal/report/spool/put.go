package spool

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/firstline-it/firstline/internal/report"
)

// Put stores r and returns once it is durable: body and state written,
// synced and renamed into place, and the folder synced. It fills in
// r.Reference from the key, and r.ReceivedAt from the clock if zero; the
// caller sets r.Owner from the kernel's identity and validates the
// submission against its limits first.
//
// Put is idempotent on r.Key:
//   - the same key from the same owner returns the existing record and
//     ErrExists, and writes nothing (a handover from the app's own spool,
//     or a retry after a lost answer);
//   - the same key from another owner returns ErrKeyInUse;
//   - two Puts of one key at once: the second waits for the first.
//
// When the report does not fit, Put returns a *FullError (errors.Is
// ErrFull) and writes nothing.
func (s *Spool) Put(ctx context.Context, r report.Report) (report.Record, error) {
	p, err := s.prepare(r)
	if err != nil {
		return report.Record{}, err
	}
	res, existing, err := s.reserve(ctx, r.Key, r.Owner.UID, p.size())
	if err != nil || res == nil {
		return existing, err
	}
	defer s.release(r.Key, res)
	s.mu.Lock()
	old := s.entries[r.Key]
	s.mu.Unlock()
	if old != nil {
		// A broken record being replaced: keep its other writers out.
		old.wmu.Lock()
		defer old.wmu.Unlock()
	}
	if err := s.writeReport(r.Key, p.bodyParts, p.state); err != nil {
		return report.Record{}, fmt.Errorf("saving report %s: %w", p.rec.Reference, err)
	}
	s.mu.Lock()
	if old != nil && s.entries[r.Key] == old {
		s.drop(old)
	}
	s.add(&entry{rec: p.rec, bodySize: p.bodySize, stateSize: int64(len(p.state)), hasBody: true})
	s.insertLast()
	s.mu.Unlock()
	return p.rec.Clone(), nil
}

// prepared is a report encoded for the disk.
type prepared struct {
	rec       report.Record
	bodyParts [][]byte // the body file: its head, then each attachment
	bodySize  int64
	state     []byte // the state file
}

func (p *prepared) size() int64 { return p.bodySize + int64(len(p.state)) }

// prepare fills in what the spool sets and encodes both files, refusing
// what the readers would later take for damage.
func (s *Spool) prepare(r report.Report) (prepared, error) {
	if r.Key.IsZero() || r.Owner.UID == "" {
		return prepared{}, errors.New("storing a report: it needs a key and an owner")
	}
	if len(r.Attachments) >= maxSections {
		return prepared{}, fmt.Errorf("storing a report: it has %d attachments; the spool takes at most %d", len(r.Attachments), maxSections-1)
	}
	r.Reference = r.Key.Reference()
	if r.ReceivedAt.IsZero() {
		r.ReceivedAt = s.opts.Now()
	}
	r.ReceivedAt = r.ReceivedAt.Round(0) // no monotonic reading: it would not survive the disk
	r.State = r.State.Clone()
	r.State.Normalize()
	body, err := encodeBody(&r)
	if err != nil {
		return prepared{}, err
	}
	p := prepared{rec: r.Record(), bodySize: body.size()}
	if p.state, err = encodeState(p.rec); err != nil {
		return prepared{}, err
	}
	if meta := body.head.Sections[0].Size; meta > maxMeta || int64(len(p.state)) > maxRecord {
		return prepared{}, fmt.Errorf("storing a report: its text and snapshot take %d bytes; the spool takes at most %d", meta, maxMeta)
	}
	p.bodyParts = append(make([][]byte, 0, 1+len(r.Attachments)), body.prefix)
	for _, a := range r.Attachments {
		p.bodyParts = append(p.bodyParts, a.Data)
	}
	return p, nil
}

// reserve claims key for a Put of need bytes. It returns a nil
// reservation with the existing record when the key is already stored.
func (s *Spool) reserve(ctx context.Context, key report.Key, owner string, need int64) (*reservation, report.Record, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, report.Record{}, fmt.Errorf("saving a report: %w", err)
		}
		s.mu.Lock()
		if err := s.begin(); err != nil {
			s.mu.Unlock()
			return nil, report.Record{}, err
		}
		if e := s.entries[key]; e != nil {
			replaceable := e.rec.State.Broken != "" && !e.hasBody
			switch {
			case e.rec.Owner.UID != owner:
				s.mu.Unlock()
				s.inflight.Done()
				return nil, report.Record{}, ErrKeyInUse
			case !replaceable:
				rec := e.rec.Clone()
				s.mu.Unlock()
				s.inflight.Done()
				return nil, rec, ErrExists
			}
		}
		if other := s.reserved[key]; other != nil {
			s.mu.Unlock()
			s.inflight.Done()
			select {
			case <-other.done:
				continue
			case <-ctx.Done():
				return nil, report.Record{}, fmt.Errorf("saving a report: %w", ctx.Err())
			}
		}
		if err := s.checkRoom(need); err != nil {
			s.mu.Unlock()
			s.inflight.Done()
			return nil, report.Record{}, err
		}
		res := &reservation{need: need, done: make(chan struct{})}
		s.reserved[key] = res
		s.resBytes += need
		s.mu.Unlock()
		return res, report.Record{}, nil
	}
}

// checkRoom refuses a report of need bytes that would take the spool over
// its bounds. Call with s.mu held.
func (s *Spool) checkRoom(need int64) error {
	waiting := s.pending + len(s.reserved)
	used := s.bytes + s.resBytes
	if waiting+1 > s.opts.MaxReports || used+need > s.opts.MaxBytes {
		return &FullError{Reports: waiting, MaxReports: s.opts.MaxReports, Bytes: used, MaxBytes: s.opts.MaxBytes, Need: need}
	}
	return nil
}

// release ends a reservation, waking Puts waiting on the same key.
func (s *Spool) release(key report.Key, res *reservation) {
	s.mu.Lock()
	delete(s.reserved, key)
	s.resBytes -= res.need
	s.mu.Unlock()
	close(res.done)
	s.inflight.Done()
}

// writeReport writes the body, then the state, then syncs the folder. The
// order matters: a state file is only ever next to a complete body, and a
// body without its state is recovered at Open (see loadOne).
func (s *Spool) writeReport(key report.Key, body [][]byte, state []byte) error {
	if err := s.writeFile(s.bodyPath(key), body...); err != nil {
		return err
	}
	err := s.writeFile(s.statePath(key), state)
	if err == nil {
		err = s.syncDir()
	}
	if err != nil {
		// Not durable, so not stored: take both away so a retry starts
		// clean. If this fails too, Open sorts it out.
		removeFile(s.statePath(key))
		removeFile(s.bodyPath(key))
		return err
	}
	return nil
}

// insertLast moves the entry just appended to s.order into its place.
// Reports mostly arrive in time order, so this is usually a no-op. Call
// with s.mu held.
func (s *Spool) insertLast() {
	n := len(s.order) - 1
	e := s.order[n]
	i, _ := slices.BinarySearchFunc(s.order[:n], e, compareEntries)
	if i == n {
		return
	}
	copy(s.order[i+1:], s.order[i:n])
	s.order[i] = e
}

// drop takes e out of the index. Call with s.mu held.
func (s *Spool) drop(e *entry) {
	delete(s.entries, e.rec.Key)
	s.bytes -= e.bodySize + e.stateSize
	if e.rec.ArchivedAt.IsZero() {
		s.pending--
	}
	if i, found := slices.BinarySearchFunc(s.order, e, compareEntries); found {
		s.order = slices.Delete(s.order, i, i+1)
	}
}
