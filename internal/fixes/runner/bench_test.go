//go:build linux

package runner

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/audit"
)

// BenchmarkRunTrivialStep measures the runner around a step that does
// nothing (/bin/true): validation, planning, spawn in its own process
// group, output streaming and an fsynced audit record. It reports the p99
// of a run as well as the mean.
func BenchmarkRunTrivialStep(b *testing.B) {
	log, err := audit.Open(filepath.Join(b.TempDir(), "audit.jsonl"), audit.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer log.Close()
	fix := execFix("true", fixes.Exec{Path: "/bin/true"})
	r, err := New(Options{Catalog: catalogOf(fix), RunsAs: fixes.RunsAsSystem, Platform: fixes.Platform{GOOS: fixes.Linux},
		Roots: map[string]string{}, Audit: log, RateBurst: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	lines := 0
	progress := func(p Progress) { lines++ }
	durations := make([]time.Duration, 0, b.N)
	for b.Loop() {
		start := time.Now()
		res, err := r.Run(context.Background(), Request{FixID: "true", Caller: Caller{UID: "1000"}}, progress)
		if err != nil || res.Outcome != Success {
			b.Fatal(err, res)
		}
		durations = append(durations, time.Since(start))
	}
	slices.Sort(durations)
	if n := len(durations); n > 0 {
		b.ReportMetric(float64(durations[n*99/100].Microseconds()), "p99-µs")
		b.ReportMetric(float64(durations[n/2].Microseconds()), "p50-µs")
	}
}
