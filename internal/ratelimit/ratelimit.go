// Package ratelimit is the token bucket per key (a uid, a SID) that the
// service puts in front of everything a local user can make it do over and
// over: run a fix, record a user fix, fill its log with refused requests.
// Each key gets a burst, then one more per refill interval.
package ratelimit

import (
	"sync"
	"time"
)

// maxBuckets bounds the memory: full buckets carry no state worth keeping
// and are dropped first when there are more keys than this.
const maxBuckets = 4096

// PerKey limits each key on its own. It is safe for concurrent use.
type PerKey struct {
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

// New returns a limiter of burst per key and one more per refill; now is
// its clock (nil: time.Now).
func New(burst int, refill time.Duration, now func() time.Time) *PerKey {
	if now == nil {
		now = time.Now
	}
	return &PerKey{burst: float64(burst), refill: refill, now: now, buckets: map[string]*bucket{}}
}

// Decision is the answer for one request.
type Decision struct {
	OK bool
	// Wait is how long until the next token, when not OK.
	Wait time.Duration
	// Suppressed counts the requests refused since the last one allowed,
	// reported once with the next allowed one (for "... and 12 more").
	Suppressed int
}

// Allow takes a token for key if it has one.
func (l *PerKey) Allow(key string) Decision {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	// A clock stepping back earns nothing.
	if now.After(b.last) {
		b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.last))/float64(l.refill))
		b.last = now
	}
	if b.tokens < 1 {
		b.suppressed++
		return Decision{Wait: time.Duration((1 - b.tokens) * float64(l.refill))}
	}
	b.tokens--
	d := Decision{OK: true, Suppressed: b.suppressed}
	b.suppressed = 0
	return d
}

func (l *PerKey) prune(now time.Time) {
	for key, b := range l.buckets {
		if b.tokens+float64(now.Sub(b.last))/float64(l.refill) >= l.burst {
			delete(l.buckets, key)
		}
	}
}
