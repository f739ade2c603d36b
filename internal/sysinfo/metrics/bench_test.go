package metrics

import (
	"context"
	"testing"
	"time"
)

// BenchmarkSourceRead is one full reading of this machine, top process
// included: what the idle service pays every interval. At the default 10 s
// interval, ns/op divided by 1e8 is the share of one core in percent.
func BenchmarkSourceRead(b *testing.B) {
	src := NewSource(SourceOptions{})
	ctx := context.Background()
	if _, err := src.Read(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := src.Read(ctx); err != nil {
			b.Fatal(err)
		}
	}
	perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(100*perOp/float64(DefaultInterval.Nanoseconds()), "%core@10s")
}

func BenchmarkRingAdd(b *testing.B) {
	r := NewRing(360)
	s := Sample{At: time.Now(), CPUPercent: 12, TopProcess: "firefox"}
	b.ReportAllocs()
	for b.Loop() {
		r.Add(s)
	}
}

func BenchmarkRingSamples(b *testing.B) {
	r := NewRing(360)
	for range r.Cap() {
		r.Add(Sample{At: time.Now()})
	}
	b.ReportAllocs()
	for b.Loop() {
		r.Samples()
	}
}

func BenchmarkDerive(b *testing.B) {
	prev := Counters{CPUBusy: time.Second, CPUTotal: 4 * time.Second, MemTotal: 1 << 33, MemUsed: 1 << 32}
	cur := prev
	cur.CPUBusy += time.Second
	cur.CPUTotal += 4 * time.Second
	at := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		derive(prev, cur, 10*time.Second, at)
	}
}
