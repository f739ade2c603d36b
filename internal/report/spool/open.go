package spool

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/report"
)

// brokenMessage is what the employee reads when a report's content was lost
// (State.Broken), after "Needs attention: ".
const brokenMessage = "the saved copy of this report was damaged, please send it again"

// load rebuilds the index from the folder. It reads each state file whole
// (they are small) but only the header of each body, so opening a spool of
// ten thousand reports costs a few small reads per report, not their
// content. The reads run a few at a time, since they mostly wait on the
// disk; the repairs that follow run one by one.
func (s *Spool) load() error {
	des, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("reading the report spool %s: %w", s.dir, err)
	}
	index := map[report.Key]int{}
	var probes []probe
	for _, de := range des {
		name := de.Name()
		if name == lockName || name == quarantineDir {
			continue
		}
		if strings.HasPrefix(name, tmpPrefix) {
			// Left by a write that a crash interrupted: that write never
			// returned, so nothing durable is lost.
			if err := removeFile(filepath.Join(s.dir, name)); err != nil {
				s.log.Error("spool: cannot remove a leftover temporary file", "err", err)
			} else {
				s.log.Info("spool: removed a temporary file left by an interrupted write", "file", name)
			}
			continue
		}
		key, isBody, ok := parseName(name)
		if !ok {
			s.log.Warn("spool: ignoring a file that does not belong in the spool", "file", name, "dir", s.dir)
			continue
		}
		i, seen := index[key]
		if !seen {
			i = len(probes)
			index[key] = i
			probes = append(probes, probe{key: key})
		}
		if isBody {
			probes[i].hasBody = true
		} else {
			probes[i].hasState = true
		}
	}
	s.readAll(probes)
	wrote := false
	for i := range probes {
		if s.loadOne(&probes[i]) {
			wrote = true
		}
	}
	slices.SortFunc(s.order, compareEntries)
	if wrote {
		if err := s.syncDir(); err != nil {
			return fmt.Errorf("opening the report spool: %w", err)
		}
	}
	return nil
}

// probe is what load reads of one report's files before deciding what to
// do with them.
type probe struct {
	key               report.Key
	hasBody, hasState bool

	rec       report.Record
	stateSize int64
	stateErr  error
	bodySize  int64
	bodyErr   error
	bodyRead  bool
}

// openReaders is how many reports load reads at once.
const openReaders = 8

// readAll fills in the probes, openReaders at a time.
func (s *Spool) readAll(probes []probe) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(openReaders, len(probes)) {
		wg.Go(func() {
			for i := range next {
				s.read(&probes[i])
			}
		})
	}
	for i := range probes {
		next <- i
	}
	close(next)
	wg.Wait()
}

// read reads p's state file and its body's header. It only reads: load
// decides what to repair.
func (s *Spool) read(p *probe) {
	if p.hasState {
		p.rec, p.stateSize, p.stateErr = s.readStateFile(p.key)
	}
	archived := p.hasState && p.stateErr == nil && !p.rec.ArchivedAt.IsZero()
	if p.hasBody && !archived {
		p.bodySize, p.bodyErr = s.checkBodyHead(p.key)
		p.bodyRead = true
	}
}

// parseName recognises "<key>.body" and "<key>.state" with the key in
// canonical form.
func parseName(name string) (key report.Key, isBody, ok bool) {
	stem, isBody := strings.CutSuffix(name, bodySuffix)
	if !isBody {
		var isState bool
		if stem, isState = strings.CutSuffix(name, stateSuffix); !isState {
			return report.Key{}, false, false
		}
	}
	key, err := report.ParseKey(stem)
	if err != nil || key.String() != stem {
		return report.Key{}, false, false
	}
	return key, isBody, true
}

// loadOne indexes the report p was read for, repairing what it can, and
// reports whether it rewrote a file.
func (s *Spool) loadOne(p *probe) (wrote bool) {
	key := p.key
	e := &entry{}
	stateOK := false
	if p.hasState {
		switch {
		case p.stateErr == nil:
			e.rec, e.stateSize, stateOK = p.rec, p.stateSize, true
		case errors.Is(p.stateErr, errDamaged):
			s.quarantine(key.String()+stateSuffix, p.stateErr)
		default:
			s.log.Error("spool: cannot read a report's state; skipping it until the next start", "key", key, "err", p.stateErr)
			return false
		}
	}
	if p.hasBody && !p.bodyRead {
		// Archive removes the body after recording the archive: a crash
		// in between leaves this. Finish the job.
		if err := removeFile(s.bodyPath(key)); err != nil {
			s.log.Error("spool: cannot remove the content of an archived report", "err", err)
		}
	}
	if p.bodyRead {
		switch {
		case p.bodyErr == nil:
			e.bodySize, e.hasBody = p.bodySize, true
		case errors.Is(p.bodyErr, errDamaged):
			s.quarantine(key.String()+bodySuffix, p.bodyErr)
		default:
			s.log.Error("spool: cannot read a report's content; skipping it until the next start", "key", key, "err", p.bodyErr)
			return false
		}
	}
	if stateOK && e.hasBody && e.rec.State.Broken != "" {
		// Found damaged earlier, and the move to quarantine was cut
		// short.
		s.quarantine(key.String()+bodySuffix, errors.New("the report was marked damaged"))
		e.bodySize, e.hasBody = 0, false
	}
	switch {
	case stateOK && (e.hasBody || !e.rec.ArchivedAt.IsZero() || e.rec.State.Broken != ""):
	case stateOK:
		s.log.Warn("spool: a report's content is missing; it is marked as needing attention",
			"key", key, "reference", e.rec.Reference, "owner", e.rec.Owner.UID)
		e.rec.State.Broken = brokenMessage
		if !s.rewriteState(e) {
			return false
		}
		wrote = true
	case e.hasBody:
		rep, err := s.readBodyFile(key)
		if err != nil {
			if errors.Is(err, errDamaged) {
				s.quarantine(key.String()+bodySuffix, err)
			} else {
				s.log.Error("spool: cannot read a report's content; skipping it until the next start", "key", key, "err", err)
			}
			return false
		}
		// The body is whole: either a Put was interrupted after writing
		// it (and its caller will retry with the same key, which now
		// finds it) or the state file was lost. Delivering it again is
		// better than losing it; delivery is at least once anyway.
		s.log.Warn("spool: recovered a report whose state file was missing or damaged",
			"key", key, "reference", rep.Reference, "owner", rep.Owner.UID)
		e.rec = rep.Record()
		if !s.rewriteState(e) {
			return false
		}
		wrote = true
	default:
		return false
	}
	s.add(e)
	return wrote
}

// rewriteState writes e's record during load, logging a failure.
func (s *Spool) rewriteState(e *entry) bool {
	data, err := encodeState(e.rec)
	if err == nil {
		err = s.writeFile(s.statePath(e.rec.Key), data)
	}
	if err != nil {
		s.log.Error("spool: cannot write a report's state; skipping it until the next start", "key", e.rec.Key, "err", err)
		return false
	}
	e.stateSize = int64(len(data))
	return true
}

// add puts e in the index. Call with s.mu held, or during load.
func (s *Spool) add(e *entry) {
	s.entries[e.rec.Key] = e
	s.bytes += e.bodySize + e.stateSize
	if e.rec.ArchivedAt.IsZero() {
		s.pending++
	}
	s.order = append(s.order, e)
}

// compareEntries orders entries by ReceivedAt, then key, so that every
// entry has one place and a walk can resume after any of them.
func compareEntries(a, b *entry) int {
	return compareAt(a, b.rec.ReceivedAt, b.rec.Key)
}

func compareAt(a *entry, at time.Time, key report.Key) int {
	if c := a.rec.ReceivedAt.Compare(at); c != 0 {
		return c
	}
	return slices.Compare(a.rec.Key[:], key[:])
}
