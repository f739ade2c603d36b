package metrics

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"
)

// Source reads the machine's cumulative counters. The default, NewSource,
// reads the real machine; tests script their own.
type Source interface {
	Read(ctx context.Context) (Counters, error)
}

// SourceOptions configure NewSource.
type SourceOptions struct {
	// Logger receives details the source skips over (a disk that could not
	// be classified); default discards.
	Logger *slog.Logger
}

// ErrUnsupported is returned by the default source's Read on an OS it has
// no implementation for.
var ErrUnsupported = errors.New("metrics: system counters are not supported on this OS")

// NewSource returns the source for this OS. It is not safe for concurrent
// Reads: it keeps the previous process table to tell which process used
// the most CPU since, so one sampler owns it.
func NewSource(opts SourceOptions) Source {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return newOSSource(opts)
}

// nameSet identifies a set of device names regardless of their order: the
// sum of a hash of each name. Readings over different sets are not
// comparable, and this lets derive tell without keeping the names.
type nameSet uint64

func (s *nameSet) add(name []byte) {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for _, c := range name {
		h ^= uint64(c)
		h *= prime
	}
	*s += nameSet(h)
}

// procTable finds the process that used the most CPU between two walks of
// the process list. It keeps the previous walk's CPU times in a map reused
// from walk to walk, so steady-state walks do not allocate, and copies only
// the leader's name.
type procTable struct {
	prev, cur map[int]procEntry
	prevAt    time.Time
	primed    bool

	bestPID  int
	bestCPU  time.Duration
	bestName []byte

	// usage is each process's CPU use over the last interval in percent
	// of one core, rebuilt by finish; the snapshot's top-processes list
	// reads it instead of measuring again.
	usage map[int32]float64
}

type procEntry struct {
	// start tells a process from a later one that reused its pid; its unit
	// is whatever the OS reports, compared only for equality.
	start uint64
	cpu   time.Duration
}

func newProcTable() *procTable {
	return &procTable{prev: map[int]procEntry{}, cur: map[int]procEntry{}}
}

// begin starts a walk.
func (t *procTable) begin() {
	clear(t.cur)
	t.bestPID, t.bestCPU, t.bestName = 0, 0, t.bestName[:0]
}

// observe records one process's cumulative CPU time and reports whether it
// leads so far, in which case the caller passes its name to lead.
func (t *procTable) observe(pid int, start uint64, cpu time.Duration) bool {
	t.cur[pid] = procEntry{start: start, cpu: cpu}
	if !t.primed {
		return false
	}
	used := cpu
	if p, ok := t.prev[pid]; ok && p.start == start {
		used = max(cpu-p.cpu, 0)
	}
	// A pid absent from the previous walk started since, so all its CPU
	// time was used in this interval: short-lived hogs (a compiler, an
	// updater) are caught too.
	if used <= t.bestCPU {
		return false
	}
	t.bestPID, t.bestCPU = pid, used
	return true
}

// lead sets the current leader's name; it copies, so name may be a reused
// buffer.
func (t *procTable) lead(name []byte) {
	t.bestName = append(t.bestName[:0], name...)
}

// finish ends a successful walk at now and returns the leader since the
// previous walk, zero on the first walk.
func (t *procTable) finish(now time.Time) ProcessCPU {
	var top ProcessCPU
	t.usage = nil
	if over := now.Sub(t.prevAt); t.primed && over > 0 {
		t.usage = make(map[int32]float64, len(t.cur))
		for pid, c := range t.cur {
			used := c.cpu
			if p, ok := t.prev[pid]; ok && p.start == c.start {
				used = max(c.cpu-p.cpu, 0)
			}
			t.usage[int32(pid)] = 100 * used.Seconds() / over.Seconds()
		}
	}
	if t.primed && t.bestCPU > 0 {
		if len(t.bestName) == 0 {
			t.bestName = append(t.bestName, "pid "...)
			t.bestName = strconv.AppendInt(t.bestName, int64(t.bestPID), 10)
		}
		top = ProcessCPU{Name: string(t.bestName), PID: t.bestPID, CPU: t.bestCPU, Over: now.Sub(t.prevAt)}
	}
	t.prev, t.cur = t.cur, t.prev
	t.prevAt, t.primed = now, true
	return top
}
