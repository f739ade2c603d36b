package delivery_test

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/report/delivery"
)

// fixedRand returns the same number every time, to pin the jitter.
type fixedRand float64

func (f fixedRand) Float64() float64 { return float64(f) }

func TestBackoffNext(t *testing.T) {
	b := delivery.Backoff{Base: 10 * time.Second, Max: 5 * time.Minute, Jitter: 0.5}
	tests := []struct {
		attempt int
		u       float64
		want    time.Duration
	}{
		{1, 0, 10 * time.Second},
		{2, 0, 20 * time.Second},
		{3, 0, 40 * time.Second},
		{5, 0, 160 * time.Second},
		{6, 0, 5 * time.Minute}, // 320 s capped
		{1000, 0, 5 * time.Minute},
		{1, 0.5, 7500 * time.Millisecond}, // 10 s - 0.5·0.5·10 s
		{1, 0.999999, 5*time.Second + 5*time.Microsecond},
		{6, 1.0 - 1e-9, 150 * time.Second},
		{0, 0, 10 * time.Second},
		{-3, 0, 10 * time.Second},
	}
	for _, tt := range tests {
		got := b.Next(tt.attempt, fixedRand(tt.u))
		if d := got - tt.want; d < -time.Microsecond || d > time.Microsecond {
			t.Errorf("Next(%d, u=%v) = %v, want %v", tt.attempt, tt.u, got, tt.want)
		}
	}
}

func TestBackoffJitterBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, jitter := range []float64{0, 0.25, 1, 7, -1} {
		b := delivery.Backoff{Base: time.Second, Max: time.Hour, Jitter: jitter}
		j := min(max(jitter, 0), 1)
		seen := map[time.Duration]bool{}
		for attempt := 1; attempt <= 20; attempt++ {
			ceiling := min(time.Second<<(attempt-1), time.Hour)
			for range 50 {
				d := b.Next(attempt, r)
				floor := ceiling - time.Duration(j*float64(ceiling))
				if d < floor || d > ceiling {
					t.Fatalf("jitter %v attempt %d: %v outside [%v, %v]", jitter, attempt, d, floor, ceiling)
				}
				seen[d] = true
			}
		}
		if j > 0 && len(seen) < 500 {
			t.Errorf("jitter %v: only %d distinct waits in 1000 draws; the jitter is not random", jitter, len(seen))
		}
		if j == 0 && len(seen) != 13 { // 1 s .. 2^11 s, then the 1 h cap
			t.Errorf("no jitter: %d distinct waits, want 13", len(seen))
		}
	}
}

func TestBackoffSeededIsReproducible(t *testing.T) {
	b := delivery.DefaultBackoff()
	draw := func() []time.Duration {
		r := rand.New(rand.NewPCG(42, 7))
		var out []time.Duration
		for a := 1; a <= 10; a++ {
			out = append(out, b.Next(a, r))
		}
		return out
	}
	first, second := draw(), draw()
	for i := range first {
		if first[i] != second[i] {
			t.Fatalf("same seed, different waits at %d: %v vs %v", i, first[i], second[i])
		}
	}
}

func TestBackoffDelayHonoursRetryAfter(t *testing.T) {
	b := delivery.Backoff{Base: 10 * time.Second, Max: time.Minute}
	tests := []struct {
		name    string
		attempt int
		err     error
		want    time.Duration
	}{
		{"server asks for longer", 1, delivery.Transient(errors.New("429"), 2*time.Hour), 2 * time.Hour},
		{"server asks for shorter", 3, delivery.Transient(errors.New("429"), 5*time.Second), 40 * time.Second},
		{"no Retry-After", 2, delivery.Transient(errors.New("500"), 0), 20 * time.Second},
		{"not classified", 1, errors.New("x"), 10 * time.Second},
	}
	for _, tt := range tests {
		if got := b.Delay(tt.attempt, tt.err, nil); got != tt.want {
			t.Errorf("%s: Delay = %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := (delivery.Backoff{}).Next(3, nil); got != 0 {
		t.Errorf("zero Backoff waits %v", got)
	}
}

func BenchmarkBackoffNext(b *testing.B) {
	bo := delivery.DefaultBackoff()
	r := rand.New(rand.NewPCG(1, 1))
	i := 0
	for b.Loop() {
		i++
		bo.Next(i%40, r)
	}
}
