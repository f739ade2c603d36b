//go:build linux

package api

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/service/fixes"
)

// BenchmarkFixRun measures a system fix with one trivial step through the
// whole path the app uses: the request over the Unix socket, the runner
// (validation, plan, spawning /bin/true in its own process group), the
// fsynced audit record, and the NDJSON stream back. It reports the p50 and
// p99 latency of a run.
func BenchmarkFixRun(b *testing.B) {
	l := newFixLab(b)
	h := start(b, Options{Fixes: l.open(func(o *fixes.Options) { o.RateBurst = 1 << 30 })})
	c := localapi.NewClient(h.sock)
	defer c.Close()
	ctx := context.Background()
	if _, err := c.Status(ctx); err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, 0, b.N)
	progress := 0
	for b.Loop() {
		t0 := time.Now()
		res, err := c.RunFix(ctx, "true", nil, func(localapi.FixProgress) { progress++ })
		if err != nil || res.Outcome != "success" {
			b.Fatal(err, res)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	if progress == 0 {
		b.Fatal("no progress streamed")
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[int(float64(len(lat)-1)*p)].Microseconds())
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}
