package ratelimit

import (
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestPerKey(t *testing.T) {
	c := &clock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := New(2, 10*time.Second, c.now)
	steps := []struct {
		advance time.Duration
		key     string
		want    bool
	}{
		{0, "a", true}, {0, "a", true}, {0, "a", false}, {0, "b", true},
		{5 * time.Second, "a", false}, {5 * time.Second, "a", true}, {0, "a", false},
		{time.Hour, "a", true}, {0, "a", true}, {0, "a", false},
		{-time.Hour, "a", false}, // a clock stepping back earns nothing
	}
	for i, s := range steps {
		c.t = c.t.Add(s.advance)
		if d := l.Allow(s.key); d.OK != s.want {
			t.Errorf("step %d (%s after %s): %+v, want OK %v", i, s.key, s.advance, d, s.want)
		}
	}
}

func TestWaitAndSuppressed(t *testing.T) {
	c := &clock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := New(1, 10*time.Second, c.now)
	l.Allow("a")
	c.t = c.t.Add(4 * time.Second)
	if d := l.Allow("a"); d.OK || d.Wait != 6*time.Second {
		t.Errorf("second request: %+v, want refused with 6s to wait", d)
	}
	l.Allow("a")
	c.t = c.t.Add(10 * time.Second)
	if d := l.Allow("a"); !d.OK || d.Suppressed != 2 {
		t.Errorf("after the refill: %+v, want OK with 2 suppressed", d)
	}
	if d := (l.Allow("a")); d.OK || d.Suppressed != 0 {
		t.Errorf("suppressed reported twice: %+v", d)
	}
}

func TestBoundsItsMemory(t *testing.T) {
	c := &clock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := New(1, time.Second, c.now)
	for i := range maxBuckets * 3 {
		l.Allow(string(rune(i)))
		c.t = c.t.Add(time.Second)
	}
	if len(l.buckets) > maxBuckets {
		t.Errorf("%d buckets", len(l.buckets))
	}
}
