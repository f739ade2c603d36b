package reports

import (
	"context"
	"log/slog"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/report/delivery"
)

// BenchmarkDrain queues b.N reports (the loop not running yet), then
// measures how fast the loop delivers them all to a local webhook that
// checks every signature, and what memory that takes. The spool's index
// of the backlog is live before the drain starts (backlog-live-MiB, a
// light record per report); the drain must add only what the workers hold
// at once, whatever the backlog: drain-rise-MiB is the peak live heap
// during the drain (as of each GC) above that. peak-heap-MiB is the heap
// in use, garbage included. Run with -benchtime=10000x for the
// 10,000-report backlog (target: >= 200 reports/s, the rise flat).
func BenchmarkDrain(b *testing.B) {
	rcv := newReceiver(b)
	rcv.lean = true
	h := openPipeline(b, "", Options{
		Chain:      delivery.Chain{{Destination: "webhook"}},
		Backends:   []delivery.Backend{webhookBackend(b, rcv, "webhook")},
		MaxReports: b.N + 10, MaxBytes: 1 << 40,
		Logger: slog.New(slog.DiscardHandler),
	})
	queue(b, h, b.N)

	runtime.GC()
	base := liveHeap()
	peak := sampleHeap(b)

	b.ResetTimer()
	t0 := time.Now()
	h.run(b)
	for rcv.accepted() < b.N {
		time.Sleep(5 * time.Millisecond)
	}
	elapsed := time.Since(t0)
	b.StopTimer()
	topLive, topInUse := peak()
	h.stop()

	const mib = 1 << 20
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "reports/s")
	b.ReportMetric(float64(base)/mib, "backlog-live-MiB")
	b.ReportMetric((float64(topLive)-float64(base))/mib, "drain-rise-MiB")
	b.ReportMetric(float64(topInUse)/mib, "peak-heap-MiB")
}

// liveHeap is the heap that survived the last GC.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// queue submits n reports a few at a time (each Submit syncs to disk).
func queue(b *testing.B, h *harness, n int) {
	const writers = 8
	var wg sync.WaitGroup
	next := make(chan int)
	for range writers {
		wg.Go(func() {
			for i := range next {
				if _, err := h.p.Submit(context.Background(), identity("1000"), submission(i%1000, false)); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// sampleHeap samples the live heap and the heap in use every 10 ms until
// the returned function is called, which stops the sampler and returns
// both peaks.
func sampleHeap(b *testing.B) func() (live, inUse uint64) {
	stop := make(chan struct{})
	type peaks struct{ live, inUse uint64 }
	done := make(chan peaks)
	go func() {
		var p peaks
		var ms runtime.MemStats
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			p.inUse = max(p.inUse, ms.HeapInuse)
			p.live = max(p.live, liveHeap())
			select {
			case <-stop:
				done <- p
				return
			case <-t.C:
			}
		}
	}()
	return func() (uint64, uint64) {
		close(stop)
		p := <-done
		return p.live, p.inUse
	}
}
