package metrics

import "sync"

// Ring holds the most recent samples in a buffer allocated once, so the
// history's memory is fixed however long the service runs. It is safe for
// concurrent use: the sampler adds while LocalAPI handlers read.
type Ring struct {
	mu    sync.Mutex
	buf   []Sample
	start int // index of the oldest sample
	n     int // samples held, <= len(buf)
}

// NewRing returns an empty ring holding at most capacity samples (at least
// one).
func NewRing(capacity int) *Ring {
	return &Ring{buf: make([]Sample, max(capacity, 1))}
}

// Add appends s, dropping the oldest sample when the ring is full. It does
// not allocate.
func (r *Ring) Add(s Sample) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n < len(r.buf) {
		r.buf[(r.start+r.n)%len(r.buf)] = s
		r.n++
		return
	}
	r.buf[r.start] = s
	r.start = (r.start + 1) % len(r.buf)
}

// Samples returns a copy of the held samples, oldest first.
func (r *Ring) Samples() []Sample {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Sample, r.n)
	k := copy(out, r.buf[r.start:min(r.start+r.n, len(r.buf))])
	copy(out[k:], r.buf[:r.n-k])
	return out
}

// Last returns the newest sample, or false when the ring is empty.
func (r *Ring) Last() (Sample, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == 0 {
		return Sample{}, false
	}
	return r.buf[(r.start+r.n-1)%len(r.buf)], true
}

// Len is the number of samples held.
func (r *Ring) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// Cap is the most samples the ring holds.
func (r *Ring) Cap() int { return len(r.buf) }
