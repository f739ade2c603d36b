package chart

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/sysinfo/metrics"
)

var testEnd = time.Date(2025, 3, 4, 11, 0, 0, 0, time.UTC)

func decode(t testing.TB, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the PNG does not decode: %v", err)
	}
	return img
}

// flat is an hour of 10 s samples at the given CPU and memory percentages.
func flat(cpu, mem float64) []metrics.Sample {
	out := make([]metrics.Sample, 0, 360)
	for i := range 360 {
		out = append(out, metrics.Sample{
			At:         testEnd.Add(-time.Hour + time.Duration(i+1)*10*time.Second),
			CPUPercent: cpu, MemUsedPercent: mem, DiskReadBps: 2e5, NetRxBps: 1e5,
		})
	}
	return out
}

func TestRenderSize(t *testing.T) {
	samples, end := realisticHour()
	tests := []struct {
		w, h         int
		wantW, wantH int
	}{
		{0, 0, DefaultWidth, DefaultHeight},
		{MinWidth, MinHeight, MinWidth, MinHeight},
		{1600, 600, 1600, 600},
		{MaxSide, 300, MaxSide, 300},
	}
	for _, tt := range tests {
		for _, in := range [][]metrics.Sample{samples, nil} {
			b, err := Render(in, Options{Width: tt.w, Height: tt.h, Now: end})
			if err != nil {
				t.Fatalf("%dx%d: %v", tt.w, tt.h, err)
			}
			if got := decode(t, b).Bounds(); got != image.Rect(0, 0, tt.wantW, tt.wantH) {
				t.Errorf("%dx%d with %d samples: image is %v, want %dx%d", tt.w, tt.h, len(in), got, tt.wantW, tt.wantH)
			}
		}
	}
}

func TestRenderRefusesBadSizes(t *testing.T) {
	for _, s := range [][2]int{{MinWidth - 1, 300}, {900, MinHeight - 1}, {MaxSide + 1, 300}, {900, 1 << 30}, {-5, 300}} {
		if _, err := Render(nil, Options{Width: s[0], Height: s[1]}); err == nil {
			t.Errorf("%dx%d: no error", s[0], s[1])
		}
	}
}

// near reports whether c is within tol of want on every channel.
func near(c color.Color, want color.RGBA, tol int) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, b uint8) int { return int(math.Abs(float64(int(a>>8) - int(b)))) }
	return d(r, want.R) <= tol && d(g, want.G) <= tol && d(b, want.B) <= tol
}

// countColumn counts the pixels near col in column x between rows y0 and y1.
func countColumn(img image.Image, x, y0, y1 int, col color.RGBA) int {
	n := 0
	for yy := y0; yy <= y1; yy++ {
		if near(img.At(x, yy), col, 40) {
			n++
		}
	}
	return n
}

func TestCPUSpikeIsWhereItWasPut(t *testing.T) {
	samples := flat(5, 40)
	const spike = 180 // 10:30
	samples[spike].CPUPercent = 90
	samples[spike].TopProcess = "firefox"
	opts := Options{Now: testEnd}
	img := decode(t, mustRender(t, samples, opts))

	l := newLayout(DefaultWidth, DefaultHeight)
	cpu := defaultTheme().cpu
	start := testEnd.Add(-time.Hour)
	sx := int(l.x(samples[spike].At, start, time.Hour))
	sy := int(y(l.top, 90, 100))
	if n := countColumn(img, sx, sy-3, sy+3, cpu); n == 0 {
		t.Errorf("no CPU-coloured pixel at the spike (%d, %d)", sx, sy)
	}
	low := int(y(l.top, 5, 100))
	high := int(y(l.top, 20, 100))
	for _, f := range []float64{0.1, 0.25, 0.4, 0.6, 0.75, 0.9} {
		x := l.top.Min.X + int(f*float64(l.top.Dx()))
		if n := countColumn(img, x, low-3, low+3, cpu); n == 0 {
			t.Errorf("column %d: no CPU line at 5 %%", x)
		}
		if n := countColumn(img, x, l.top.Min.Y, high, cpu); n != 0 {
			t.Errorf("column %d: %d CPU-coloured pixels above 20 %% away from the spike", x, n)
		}
	}
}

func mustRender(t testing.TB, samples []metrics.Sample, opts Options) []byte {
	t.Helper()
	b, err := Render(samples, opts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNoLineAcrossAGap(t *testing.T) {
	samples := flat(60, 30)
	// Ten minutes missing in the middle: 10:25 to 10:35.
	samples = append(samples[:150:150], samples[210:]...)
	img := decode(t, mustRender(t, samples, Options{Now: testEnd}))
	l := newLayout(DefaultWidth, DefaultHeight)
	th := defaultTheme()
	x := int(l.x(testEnd.Add(-32*time.Minute), testEnd.Add(-time.Hour), time.Hour)) // off the 10:30 gridline
	yy := int(y(l.top, 60, 100))
	for _, col := range []color.RGBA{th.cpu, th.mem} {
		if n := countColumn(img, x, l.top.Min.Y, l.top.Max.Y-2, col); n != 0 {
			t.Errorf("%d pixels of %v inside the gap at x=%d", n, col, x)
		}
	}
	if !near(img.At(x, yy), th.gap, 2) {
		t.Errorf("the gap is not shaded: %v at (%d, %d)", img.At(x, yy), x, yy)
	}
	// Either side of the gap the line is there.
	for _, m := range []time.Duration{40, 20} {
		x := int(l.x(testEnd.Add(-m*time.Minute), testEnd.Add(-time.Hour), time.Hour))
		if countColumn(img, x, yy-3, yy+3, th.cpu) == 0 {
			t.Errorf("no CPU line at %d minutes before the end", m)
		}
	}
}

func TestEmptyStates(t *testing.T) {
	one := flat(50, 50)[359:]
	tests := []struct {
		name    string
		samples []metrics.Sample
		opts    Options
		want    string
	}{
		{"nothing", nil, Options{Now: testEnd}, "No history yet: no samples have been recorded"},
		{"nothing, start known", nil, Options{Now: testEnd, Started: testEnd.Add(-2 * time.Minute)},
			"No history yet: Firstline started 2 minutes ago"},
		{"one sample", one, Options{Now: testEnd.Add(30 * time.Second)}, "No history yet: Firstline started less than a minute ago"},
		{"one sample, start known", one, Options{Now: testEnd, Started: testEnd.Add(-90 * time.Second)},
			"No history yet: Firstline started 1 minute ago"},
		{"all samples too old", flat(50, 50), Options{Now: testEnd.Add(3 * time.Hour), Location: time.FixedZone("X", 5*3600+1800)},
			"No samples between 18:30 and 19:30"},
		{"started days ago", nil, Options{Now: testEnd, Started: testEnd.Add(-72 * time.Hour)}, "No history yet: Firstline started 3 days ago"},
		{"started hours ago", nil, Options{Now: testEnd, Started: testEnd.Add(-5 * time.Hour)}, "No history yet: Firstline started 5 hours ago"},
	}
	th := defaultTheme()
	l := newLayout(DefaultWidth, DefaultHeight)
	for _, tt := range tests {
		o, err := tt.opts.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		inWindow := len(prepare(tt.samples, o.Now.Add(-o.Window), o.Now))
		if got := emptyMessage(tt.samples, inWindow, o); got != tt.want {
			t.Errorf("%s: message %q, want %q", tt.name, got, tt.want)
		}
		img := decode(t, mustRender(t, tt.samples, tt.opts))
		var dataPixels, textPixels int
		for yy := l.top.Min.Y; yy < l.top.Max.Y; yy++ {
			for x := l.top.Min.X; x < l.top.Max.X; x++ {
				switch c := img.At(x, yy); {
				case near(c, th.cpu, 40) || near(c, th.mem, 40):
					dataPixels++
				case near(c, th.label, 20):
					textPixels++
				}
			}
		}
		if dataPixels != 0 || textPixels < 200 {
			t.Errorf("%s: %d data pixels and %d text pixels in the panel; want none and a message", tt.name, dataPixels, textPixels)
		}
	}
}

func TestHostileValuesAreClamped(t *testing.T) {
	samples := flat(30, 30)
	weird := []float64{math.NaN(), -50, 1e308, math.Inf(1), math.Inf(-1), -0.0, 101}
	for i := range samples {
		v := weird[i%len(weird)]
		samples[i].CPUPercent, samples[i].MemUsedPercent = v, v
		samples[i].DiskReadBps, samples[i].DiskWriteBps, samples[i].NetRxBps, samples[i].NetTxBps = v, v, v, -v
	}
	// Out of order, duplicated, and outside the window.
	samples[3], samples[300] = samples[300], samples[3]
	samples = append(samples, samples[10], metrics.Sample{}, metrics.Sample{At: testEnd.Add(time.Hour), CPUPercent: 50})
	samples[20].TopProcess = string(bytes.Repeat([]byte("x"), 500))

	img := decode(t, mustRender(t, samples, Options{Now: testEnd}))
	l := newLayout(DefaultWidth, DefaultHeight)
	th := defaultTheme()
	// Values above 100 % sit on the top line, not above the panel.
	for x := l.top.Min.X; x < l.top.Max.X; x++ {
		for yy := l.laneY + 20; yy < l.top.Min.Y-4; yy++ {
			if near(img.At(x, yy), th.cpu, 40) {
				t.Fatalf("CPU line drawn above the panel at (%d, %d)", x, yy)
			}
		}
	}

	pts := prepare(samples, testEnd.Add(-time.Hour), testEnd)
	for _, p := range pts {
		for _, v := range []float64{p.cpu, p.mem} {
			if !math.IsNaN(v) && (v < 0 || v > 100) {
				t.Errorf("percentage %v survived", v)
			}
		}
		for _, v := range []float64{p.disk, p.net} {
			if !math.IsNaN(v) && (v < 0 || v > maxRate) {
				t.Errorf("rate %v survived", v)
			}
		}
	}
	for i := 1; i < len(pts); i++ {
		if pts[i].at.Before(pts[i-1].at) {
			t.Fatal("points are not sorted")
		}
	}
	if len(pts) != 361 {
		t.Errorf("%d points in the window, want 361 (360 + one duplicate)", len(pts))
	}
}

func TestGapThreshold(t *testing.T) {
	at := func(secs ...int) []point {
		var p []point
		for _, s := range secs {
			p = append(p, point{at: testEnd.Add(time.Duration(s) * time.Second)})
		}
		return p
	}
	tests := []struct {
		name     string
		pts      []point
		interval time.Duration
		want     time.Duration
	}{
		{"median of spacings", at(0, 10, 20, 30, 100, 110), 0, 25 * time.Second},
		{"given interval wins", at(0, 10, 20), 4 * time.Second, 10 * time.Second},
		{"duplicates ignored", at(0, 0, 0, 5, 10), 0, 12500 * time.Millisecond},
		{"nothing to measure", at(0, 0), 0, 0},
	}
	for _, tt := range tests {
		if got := gapThreshold(tt.pts, tt.interval); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestPeakLabelText(t *testing.T) {
	// The label is drawn, not returned; check the pieces it is built from
	// through a chart whose only difference is the process name.
	a := flat(10, 10)
	a[100].CPUPercent, a[100].TopProcess = 92, "firefox"
	b := flat(10, 10)
	b[100].CPUPercent, b[100].TopProcess = 92, "chrome"
	pa, pb := mustRender(t, a, Options{Now: testEnd}), mustRender(t, b, Options{Now: testEnd})
	ia, ib := decode(t, pa), decode(t, pb)
	l := newLayout(DefaultWidth, DefaultHeight)
	diff := 0
	for yy := 0; yy < l.top.Min.Y; yy++ {
		for x := 0; x < DefaultWidth; x++ {
			if ia.At(x, yy) != ib.At(x, yy) {
				diff++
			}
		}
	}
	if diff == 0 {
		t.Error("the process name does not show above the panel")
	}
}
