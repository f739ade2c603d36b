package delivery

import (
	"math/rand/v2"
	"time"
)

// Rand is the source of randomness a Backoff draws from; *rand.Rand of
// math/rand/v2 satisfies it, and tests seed one.
type Rand interface {
	// Float64 returns a number in [0, 1).
	Float64() float64
}

// Backoff computes how long to wait before retrying a destination:
// exponential growth from Base, capped at Max, with a random part so that
// a thousand laptops coming back online do not hit the helpdesk in step.
type Backoff struct {
	// Base is the wait after the first failure; each further failure
	// doubles it.
	Base time.Duration
	// Max caps the exponential part (a server's Retry-After may exceed
	// it).
	Max time.Duration
	// Jitter is the fraction of each wait, 0 to 1, that is random: the wait
	// is drawn uniformly from [(1-Jitter)·d, d]. 1 is "full jitter", 0 none.
	Jitter float64
}

// DefaultBackoff is 15 s doubling up to 30 min, half of it random: a report
// written offline goes out within seconds of the network returning on the
// first tries, and a helpdesk down for a day sees a few requests per hour
// per machine.
func DefaultBackoff() Backoff {
	return Backoff{Base: 15 * time.Second, Max: 30 * time.Minute, Jitter: 0.5}
}

// Next returns the wait after the attempt-th consecutive failure (1 for the
// first). r may be nil to use math/rand/v2's global source.
func (b Backoff) Next(attempt int, r Rand) time.Duration {
	d := b.ceiling(attempt)
	j := min(max(b.Jitter, 0), 1)
	if j == 0 || d <= 0 {
		return d
	}
	u := 0.0
	if r != nil {
		u = r.Float64()
	} else {
		u = rand.Float64()
	}
	return d - time.Duration(j*u*float64(d))
}

// Delay is Next, but never shorter than the Retry-After a transient err
// carries: a server that said when to come back is believed.
func (b Backoff) Delay(attempt int, err error, r Rand) time.Duration {
	return max(b.Next(attempt, r), RetryAfter(err))
}

// ceiling is min(Max, Base·2^(attempt-1)) without overflowing.
func (b Backoff) ceiling(attempt int) time.Duration {
	if b.Base <= 0 {
		return 0
	}
	limit := b.Max
	if limit < b.Base {
		limit = b.Base
	}
	d := b.Base
	for i := 1; i < attempt; i++ {
		if d >= limit/2 {
			return limit
		}
		d *= 2
	}
	return min(d, limit)
}
