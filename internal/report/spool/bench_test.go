package spool

import (
	"context"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/report"
)

// BenchmarkPut1MB measures Submit → durable for a report with a 1 MB
// screenshot: encode, write, fsync body and state, rename, fsync the
// folder. Besides ns/op it reports the p50 and p99 of single Puts (the
// issue's target is p99 ≤ 20 ms).
func BenchmarkPut1MB(b *testing.B) {
	s := open(b, b.TempDir(), Options{MaxBytes: 1 << 40, MaxReports: 1 << 30})
	base := newReport(1, "1000", 1<<20)
	var took []time.Duration
	b.SetBytes(1 << 20)
	b.ReportAllocs()
	for b.Loop() {
		r := base
		r.Key = report.NewKey(time.Now())
		r.Reference = r.Key.Reference()
		start := time.Now()
		if _, err := s.Put(context.Background(), r); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		b.StopTimer()
		// Keep the folder small, off the clock.
		if err := s.Remove(context.Background(), r.Key); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	reportPercentiles(b, took)
}

func reportPercentiles(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	slices.Sort(took)
	at := func(p float64) float64 {
		return float64(took[min(len(took)-1, int(p*float64(len(took))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// fill builds a spool of n small reports in dir without fsync (setting up
// 10,000 reports with fsync would take minutes and measure nothing).
func fill(b *testing.B, dir string, n int) {
	b.Helper()
	s := open(b, dir, Options{noSync: true, MaxReports: n + 1})
	for i := range n {
		r := newReport(i, []string{"1000", "1001", "1002", "1003"}[i%4], 2000)
		r.State.Destinations = []report.Destination{{Name: "email", State: report.Queued}}
		if _, err := s.Put(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
	s.Close()
}

func tenThousand(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	fill(b, dir, 10_000)
	return dir
}

// BenchmarkOpen10k measures rebuilding the index of 10,000 reports at
// start, and reports the heap the index takes per report.
func BenchmarkOpen10k(b *testing.B) {
	dir := tenThousand(b)
	var before, after runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, err := Open(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		if n := s.Stats().Reports; n != 10_000 {
			b.Fatalf("%d reports", n)
		}
		s.Close()
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/10_000, "heap-B/report")
}

// BenchmarkList10k lists one owner's reports out of 10,000 (what "My
// reports" does) and walks all of them (what "spool list" does).
func BenchmarkList10k(b *testing.B) {
	s := open(b, tenThousand(b), Options{})
	b.Run("owner", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if n := len(s.List(Filter{Owner: "1001"})); n != 2500 {
				b.Fatalf("%d reports", n)
			}
		}
	})
	b.Run("all-walk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for range s.All(Filter{}) {
				n++
			}
			if n != 10_000 {
				b.Fatalf("%d reports", n)
			}
		}
	})
}

// BenchmarkDrain10k drains a backlog of 10,000 reports the way the delivery
// loop does (Due, mark sending, Load, mark delivered, Archive). It reports
// the live heap after Open (the index) and the most the live heap grew
// above that while draining, sampled after a GC every 1,000 reports: the
// content of one report at a time, never of the backlog.
func BenchmarkDrain10k(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		dir := tenThousand(b)
		s := open(b, dir, Options{noSync: true})
		live := func() uint64 {
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			return ms.HeapAlloc
		}
		base, peak := live(), uint64(0)
		ctx := context.Background()
		b.StartTimer()
		drained := 0
		for rec := range s.Due(t0.Add(24 * time.Hour)) {
			if _, err := s.UpdateState(ctx, rec.Key, func(st *report.State) error {
				st.Destinations[0].State = report.Sending
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Load(ctx, rec.Key); err != nil {
				b.Fatal(err)
			}
			if _, err := s.UpdateState(ctx, rec.Key, func(st *report.State) error {
				st.Destinations[0].State = report.Delivered
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			if err := s.Archive(ctx, rec.Key); err != nil {
				b.Fatal(err)
			}
			if drained++; drained%1000 == 0 {
				b.StopTimer()
				peak = max(peak, live())
				b.StartTimer()
			}
		}
		b.StopTimer()
		if drained != 10_000 {
			b.Fatalf("drained %d", drained)
		}
		b.ReportMetric(float64(base)/(1<<20), "index-MiB")
		b.ReportMetric((float64(peak)-float64(base))/(1<<20), "growth-MiB")
		s.Close()
		b.StartTimer()
	}
}
