package sysinfo

import (
	"context"
	"testing"
	"time"
)

// sampled stands in for the service's sampler, which has always measured
// the last interval by the time a snapshot is asked for.
type sampled struct{}

func (sampled) ProcessCPU() (map[int32]float64, time.Duration, bool) {
	return map[int32]float64{1: 1.5}, 10 * time.Second, true
}

// BenchmarkCollect is a full snapshot without probes as the service takes
// it: per-process CPU comes from the sampler. Target: 50 ms.
func BenchmarkCollect(b *testing.B) {
	benchCollect(b, Options{CPU: sampled{}})
}

// BenchmarkCollectStandalone is the same without a sampler (diag --local):
// it measures process CPU over CPUWindow itself.
func BenchmarkCollectStandalone(b *testing.B) {
	benchCollect(b, Options{})
}

func benchCollect(b *testing.B, o Options) {
	ctx := context.Background()
	var worst time.Duration
	for b.Loop() {
		t0 := time.Now()
		s := Collect(ctx, o)
		worst = max(worst, time.Since(t0))
		for _, in := range s.Sections {
			if in.Status == StatusFailed || in.Status == StatusTimeout {
				b.Fatalf("%s: %s: %s", in.Name, in.Status, in.Error)
			}
		}
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
}
