package metrics

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

func sampleN(i int) Sample {
	return Sample{At: time.Unix(int64(i), 0).UTC(), CPUPercent: float64(i), TopProcess: "p"}
}

func TestRingWraparound(t *testing.T) {
	const capacity = 5
	for _, adds := range []int{0, 1, 4, 5, 6, 9, 10, 11, 5*capacity + 3} {
		r := NewRing(capacity)
		for i := range adds {
			r.Add(sampleN(i))
		}
		got := r.Samples()
		wantLen := min(adds, capacity)
		if len(got) != wantLen || r.Len() != wantLen || r.Cap() != capacity {
			t.Fatalf("after %d adds: len(Samples)=%d Len=%d Cap=%d, want %d/%d/%d",
				adds, len(got), r.Len(), r.Cap(), wantLen, wantLen, capacity)
		}
		// The oldest adds-capacity samples are gone; the rest are in order.
		for j, s := range got {
			if want := adds - wantLen + j; s.CPUPercent != float64(want) {
				t.Errorf("after %d adds: Samples()[%d] = sample %v, want %d", adds, j, s.CPUPercent, want)
			}
		}
		last, ok := r.Last()
		if ok != (adds > 0) || (ok && last.CPUPercent != float64(adds-1)) {
			t.Errorf("after %d adds: Last = %v, %v", adds, last.CPUPercent, ok)
		}
	}
}

func TestRingSamplesIsACopy(t *testing.T) {
	r := NewRing(3)
	r.Add(sampleN(1))
	got := r.Samples()
	got[0].CPUPercent = 99
	if r.Samples()[0].CPUPercent != 1 {
		t.Error("changing the returned slice changed the ring")
	}
}

func TestRingMinimumCapacity(t *testing.T) {
	for _, c := range []int{-3, 0, 1} {
		r := NewRing(c)
		r.Add(sampleN(1))
		r.Add(sampleN(2))
		if r.Cap() != 1 || r.Len() != 1 || r.Samples()[0].CPUPercent != 2 {
			t.Errorf("NewRing(%d): Cap=%d Len=%d", c, r.Cap(), r.Len())
		}
	}
}

// TestRingAddDoesNotAllocate is the memory bound: the buffer is allocated
// once, so adding for ever costs nothing more.
func TestRingAddDoesNotAllocate(t *testing.T) {
	r := NewRing(360)
	s := sampleN(7)
	if n := testing.AllocsPerRun(10*r.Cap(), func() { r.Add(s) }); n != 0 {
		t.Errorf("Add allocates %v times per call, want 0", n)
	}
}

// TestRingHeapStaysFlat checks the same bound from the heap's side: ten
// times the capacity of adds leaves the live heap where it was.
func TestRingHeapStaysFlat(t *testing.T) {
	r := NewRing(360)
	for i := range r.Cap() {
		r.Add(sampleN(i))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range 10 * r.Cap() {
		r.Add(sampleN(i))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	const slack = 64 << 10 // the test binary's own noise
	if after.HeapAlloc > before.HeapAlloc+slack {
		t.Errorf("heap grew from %d to %d bytes over %d adds", before.HeapAlloc, after.HeapAlloc, 10*r.Cap())
	}
	runtime.KeepAlive(r)
}

func TestRingConcurrent(t *testing.T) {
	r := NewRing(50)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 1000 {
				r.Add(sampleN(w*1000 + i))
			}
		})
		wg.Go(func() {
			for range 200 {
				if s := r.Samples(); len(s) > r.Cap() {
					t.Errorf("Samples returned %d > Cap", len(s))
				}
				r.Last()
				r.Len()
			}
		})
	}
	wg.Wait()
	if r.Len() != r.Cap() {
		t.Errorf("Len = %d after 4000 adds, want %d", r.Len(), r.Cap())
	}
}
