package runner

import (
	"sync"
	"time"
)

// limiter is a token bucket per caller: a burst of runs, then one more per
// refill interval. It stops a user (or a compromised app) from using the
// service to restart the network in a loop.
type limiter struct {
	burst  float64
	refill time.Duration
	now    func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the map; full buckets carry no state worth keeping,
// so they are dropped first when it grows.
const maxBuckets = 4096

func newLimiter(burst int, refill time.Duration, now func() time.Time) *limiter {
	return &limiter{burst: float64(burst), refill: refill, now: now, buckets: map[string]*bucket{}}
}

// allow takes a token for uid and reports whether there was one, and if
// not, how long until there is.
func (l *limiter) allow(uid string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[uid]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[uid] = b
	}
	if now.After(b.last) {
		b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.last))/float64(l.refill))
		b.last = now
	}
	if b.tokens < 1 {
		wait := time.Duration((1 - b.tokens) * float64(l.refill))
		return false, wait
	}
	b.tokens--
	return true, 0
}

func (l *limiter) prune(now time.Time) {
	for uid, b := range l.buckets {
		if b.tokens+float64(now.Sub(b.last))/float64(l.refill) >= l.burst {
			delete(l.buckets, uid)
		}
	}
}
