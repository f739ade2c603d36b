package chart

import (
	"encoding/binary"
	"image"
	"math"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/sysinfo/metrics"
)

// samplesFrom turns fuzz bytes into samples: 18 bytes each, a time offset
// (which may fall outside the window) and raw float bits, so NaN, Inf and
// negatives all occur.
func samplesFrom(b []byte) []metrics.Sample {
	var out []metrics.Sample
	for len(b) >= 18 && len(out) < 2000 {
		off := time.Duration(int16(binary.LittleEndian.Uint16(b))) * 2 * time.Second
		f := func(i int) float64 {
			return math.Float64frombits(uint64(binary.LittleEndian.Uint32(b[2+4*i:])) << 32)
		}
		out = append(out, metrics.Sample{
			At:         testEnd.Add(-time.Hour/2 + off),
			CPUPercent: f(0), MemUsedPercent: f(1), DiskReadBps: f(2), NetTxBps: f(3),
			TopProcess: string(b[:2]),
		})
		b = b[18:]
	}
	return out
}

// FuzzRender draws random samples: values of any float bit pattern, times
// in and out of the window, any order. A render takes ~0.2 s under the
// fuzzer's instrumentation, so bound minimization when running it:
//
//	go test -run='^$' -fuzz=FuzzRender -fuzztime=20s -fuzzminimizetime=20x
func FuzzRender(f *testing.F) {
	seed := func(samples []metrics.Sample) []byte {
		var b []byte
		for _, s := range samples {
			off := s.At.Sub(testEnd.Add(-time.Hour/2)) / (2 * time.Second)
			b = binary.LittleEndian.AppendUint16(b, uint16(int16(max(min(off, math.MaxInt16), math.MinInt16))))
			for _, v := range []float64{s.CPUPercent, s.MemUsedPercent, s.DiskReadBps, s.NetTxBps} {
				b = binary.LittleEndian.AppendUint32(b, uint32(math.Float64bits(v)>>32))
			}
		}
		return b
	}
	// Small seeds from the fixture: the fuzzer minimizes each new finding,
	// and a whole hour takes minutes to minimize.
	real, _ := realisticHour()
	f.Add(seed(real[220:250]), uint16(0), uint16(0))
	f.Add(seed(real[:2]), uint16(MinWidth), uint16(MinHeight))
	f.Add([]byte{}, uint16(700), uint16(300))
	// The fuzzer draws without encoding: PNG encoding of a valid image is
	// not what is under test, and under the fuzzer's instrumentation it
	// would cost most of each run. TestRenderSize decodes real output.
	f.Fuzz(func(t *testing.T, b []byte, w, h uint16) {
		width, height := MinWidth+int(w)%200, MinHeight+int(h)%100
		img, err := renderImage(samplesFrom(b), Options{Now: testEnd, Width: width, Height: height, Interval: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if got := img.Bounds(); got != image.Rect(0, 0, width, height) {
			t.Fatalf("image %v, want %dx%d", got, width, height)
		}
	})
}
