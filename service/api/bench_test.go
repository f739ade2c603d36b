package api

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
)

// BenchmarkStatus measures GET /v1/status over the real Unix socket with a
// kept-alive connection, as the app and CLI use it, and reports latency
// percentiles (target: p99 <= 1 ms on the 2-core reference machine).
func BenchmarkStatus(b *testing.B) {
	h := start(b, Options{})
	c := localapi.NewClient(h.sock)
	defer c.Close()
	ctx := context.Background()
	if _, err := c.Status(ctx); err != nil { // open the connection outside the timing
		b.Fatal(err)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		if _, err := c.Status(ctx); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[int(float64(len(lat)-1)*p)].Microseconds())
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}
