package api

import (
	"sync"
	"time"
)

// throttle bounds how much one user can make the service log: a hostile
// user could otherwise fill the disk (or push real entries out of the
// journal's rate limit) with refused requests. Each uid gets a burst, then
// one line per refill interval; what was dropped is counted and reported
// with the next line that gets through.
type throttle struct {
	burst  float64
	refill time.Duration
	now    func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens     float64
	last       time.Time
	suppressed int
}

func newThrottle(burst int, refill time.Duration, now func() time.Time) *throttle {
	return &throttle{burst: float64(burst), refill: refill, now: now, buckets: map[string]*bucket{}}
}

// allow reports whether a line about uid may be logged now, and how many
// were suppressed since the last one that was.
func (t *throttle) allow(uid string) (ok bool, suppressed int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	b := t.buckets[uid]
	if b == nil {
		b = &bucket{tokens: t.burst, last: now}
		t.buckets[uid] = b
	}
	b.tokens = min(t.burst, b.tokens+float64(now.Sub(b.last))/float64(t.refill))
	b.last = now
	if b.tokens < 1 {
		b.suppressed++
		return false, 0
	}
	b.tokens--
	suppressed, b.suppressed = b.suppressed, 0
	return true, suppressed
}
