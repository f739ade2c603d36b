package chart

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// theme holds the chart's colours: series picked to stay apart for the
// common colour blindnesses (blue and orange first), chrome in greys that
// print well.
type theme struct {
	background, cpu, mem, disk, net, grid, axis, label, title, gap color.RGBA
	cpuFill                                                        color.NRGBA
}

func defaultTheme() theme {
	return theme{
		background: color.RGBA{0xff, 0xff, 0xff, 0xff},
		cpu:        color.RGBA{0x1f, 0x6f, 0xd1, 0xff},
		cpuFill:    color.NRGBA{0x1f, 0x6f, 0xd1, 0x1c},
		mem:        color.RGBA{0xe0, 0x7b, 0x12, 0xff},
		disk:       color.RGBA{0x2e, 0x9e, 0x5b, 0xff},
		net:        color.RGBA{0x8e, 0x44, 0xad, 0xff},
		grid:       color.RGBA{0xe8, 0xe8, 0xe8, 0xff},
		axis:       color.RGBA{0xb0, 0xb0, 0xb0, 0xff},
		label:      color.RGBA{0x5f, 0x63, 0x68, 0xff},
		title:      color.RGBA{0x20, 0x21, 0x24, 0xff},
		gap:        color.RGBA{0xf3, 0xf3, 0xf3, 0xff},
	}
}

// canvas is one image being drawn, with its fonts and a rasterizer for
// antialiased shapes.
type canvas struct {
	theme
	img                  *image.RGBA
	ras                  vector.Rasterizer
	labelFace, titleFace font.Face
	polys                [][][2]float32 // shapes waiting for flush
}

func newCanvas(w, h int) (*canvas, error) {
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("chart: loading font: %w", err)
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("chart: loading font: %w", err)
	}
	label, err := opentype.NewFace(regular, &opentype.FaceOptions{Size: 12, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("chart: loading font: %w", err)
	}
	title, err := opentype.NewFace(bold, &opentype.FaceOptions{Size: 14, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("chart: loading font: %w", err)
	}
	c := &canvas{theme: defaultTheme(), img: image.NewRGBA(image.Rect(0, 0, w, h)), labelFace: label, titleFace: title}
	draw.Draw(c.img, c.img.Bounds(), image.NewUniform(c.background), image.Point{}, draw.Src)
	return c, nil
}

// layout places the header, the two panels and the time axis. Above the
// CPU panel is a lane for the peak's label, so the label never covers
// the data it explains.
type layout struct {
	w, h        int
	titleY      int             // title baseline
	laneY       int             // top of the peak label lane
	top, bottom image.Rectangle // CPU/memory panel, disk/network panel
	timeY       int             // clock labels' baseline
}

func newLayout(w, h int) layout {
	const left, right, headerH, laneH, axisH, gap = 70, 20, 34, 24, 26, 18
	bottomEnd := h - axisH
	topY := headerH + laneH
	avail := bottomEnd - topY - gap
	topH := avail * 2 / 3
	l := layout{w: w, h: h, titleY: 22, laneY: headerH, timeY: bottomEnd + 17}
	l.top = image.Rect(left, topY, w-right, topY+topH)
	l.bottom = image.Rect(left, l.top.Max.Y+gap, w-right, bottomEnd)
	return l
}

// x is the horizontal pixel of t.
func (l layout) x(t, start time.Time, window time.Duration) float32 {
	f := float64(t.Sub(start)) / float64(window)
	return float32(l.top.Min.X) + float32(f)*float32(l.top.Dx())
}

// y is the vertical pixel of v on a 0..full scale in panel r.
func y(r image.Rectangle, v, full float64) float32 {
	return float32(r.Max.Y) - float32(v/full)*float32(r.Dy())
}

// header draws the title, the time span and the legend. When the width
// is short, the legend's names shorten, then the span goes, then the
// title is cut: the legend is what makes the chart readable.
func (c *canvas) header(l layout, o Options) {
	type entry struct {
		long, short string
		col         color.RGBA
	}
	entries := []entry{{"CPU", "CPU", c.cpu}, {"Memory", "Memory", c.mem},
		{"Disk read+write", "Disk", c.disk}, {"Network in+out", "Network", c.net}}
	const swatch, spacing, left = 20, 16, 16
	legendWidth := func(short bool) int {
		w := 0
		for _, e := range entries {
			name := e.long
			if short {
				name = e.short
			}
			w += font.MeasureString(c.labelFace, name).Ceil() + swatch + spacing
		}
		return w - spacing
	}
	start, end := o.Now.Add(-o.Window).In(o.Location), o.Now.In(o.Location)
	clock := clockLayout(start, end)
	span := fmt.Sprintf("%s – %s %s", start.Format(clock), end.Format(clock), zoneName(end))
	titleW := font.MeasureString(c.titleFace, o.Title).Ceil()
	spanW := font.MeasureString(c.labelFace, span).Ceil() + 10
	right := l.w - 20

	short := left+titleW+spanW+24+legendWidth(false) > right
	room := right - legendWidth(short) - 24 - left
	title := o.Title
	if titleW+spanW > room {
		span, spanW = "", 0
	}
	for titleW > room && title != "" {
		r := []rune(title)
		title = string(r[:len(r)-1])
		titleW = font.MeasureString(c.titleFace, title+"…").Ceil()
		if titleW <= room {
			title += "…"
		}
	}
	x := c.text(c.titleFace, title, left, l.titleY, c.title, alignLeft)
	if span != "" {
		c.text(c.labelFace, span, x+10, l.titleY, c.label, alignLeft)
	}
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		name := e.long
		if short {
			name = e.short
		}
		w := font.MeasureString(c.labelFace, name).Ceil()
		c.text(c.labelFace, name, right, l.titleY, c.label, alignRight)
		c.fill(image.Rect(right-w-swatch, l.titleY-8, right-w-6, l.titleY-4), e.col)
		right -= w + swatch + spacing
	}
}

// clockLayout formats the chart's times: the clock alone when the chart
// stays within one day, with the date when it crosses midnight, so that
// "11:00 – 11:00" never means a whole day.
func clockLayout(start, end time.Time) string {
	if start.YearDay() == end.YearDay() && start.Year() == end.Year() {
		return "15:04"
	}
	return "2 Jan 15:04"
}

// zoneName is the zone's abbreviation, or its UTC offset when the zone has
// none ("+0530" rather than a misleading guess).
func zoneName(t time.Time) string {
	name, _ := t.Zone()
	if name == "" {
		return t.Format("-0700")
	}
	return name
}

// frame draws both panels' grids, their axis labels and the clock labels.
func (c *canvas) frame(l layout, o Options, rateMax float64) {
	start := o.Now.Add(-o.Window)
	for _, t := range timeTicks(start, o.Now, tickStep(o.Window, l.top.Dx()), o.Location) {
		x := int(math.Round(float64(l.x(t, start, o.Window))))
		c.fill(image.Rect(x, l.top.Min.Y, x+1, l.top.Max.Y), c.grid)
		c.fill(image.Rect(x, l.bottom.Min.Y, x+1, l.bottom.Max.Y), c.grid)
		c.fill(image.Rect(x, l.bottom.Max.Y, x+1, l.bottom.Max.Y+4), c.axis)
		label := t.In(o.Location).Format("15:04")
		w := font.MeasureString(c.labelFace, label).Ceil()
		lx := min(max(x-w/2, l.top.Min.X-w/2), l.w-4-w)
		c.text(c.labelFace, label, lx, l.timeY, c.label, alignLeft)
	}
	for _, v := range []float64{0, 25, 50, 75, 100} {
		c.gridLine(l.top, y(l.top, v, 100), fmt.Sprintf("%.0f%%", v), v == 0)
	}
	for _, v := range []float64{0, rateMax / 2, rateMax} {
		c.gridLine(l.bottom, y(l.bottom, v, rateMax), formatRate(v), v == 0)
	}
}

// gridLine draws a horizontal line across r at py labelled on the left;
// the zero line is the axis, darker.
func (c *canvas) gridLine(r image.Rectangle, py float32, label string, axis bool) {
	iy := min(int(py), r.Max.Y-1)
	col := c.grid
	if axis {
		col = c.axis
	}
	c.fill(image.Rect(r.Min.X, iy, r.Max.X, iy+1), col)
	c.text(c.labelFace, label, r.Min.X-8, iy+4, c.label, alignRight)
}

// gapBand shades the span from x0 to x1 in both panels where samples are
// missing, so that no data is not mistaken for an idle machine, and says
// so when there is room.
func (c *canvas) gapBand(l layout, x0, x1 float32) {
	a, b := int(math.Ceil(float64(x0)))+2, int(math.Floor(float64(x1)))-2
	a, b = max(a, l.top.Min.X), min(b, l.top.Max.X)
	if b-a < 3 {
		return
	}
	c.fill(image.Rect(a, l.top.Min.Y, b, l.top.Max.Y), c.gap)
	c.fill(image.Rect(a, l.bottom.Min.Y, b, l.bottom.Max.Y), c.gap)
	const msg = "no data"
	if w := font.MeasureString(c.labelFace, msg).Ceil(); b-a >= w+8 {
		c.text(c.labelFace, msg, (a+b-w)/2, l.top.Min.Y+16, c.label, alignLeft)
	}
}

// emptyState writes msg in the middle of the CPU panel.
func (c *canvas) emptyState(l layout, msg string) {
	w := font.MeasureString(c.titleFace, msg).Ceil()
	x := l.top.Min.X + (l.top.Dx()-w)/2
	yy := l.top.Min.Y + l.top.Dy()/2
	c.fill(image.Rect(x-12, yy-20, x+w+12, yy+10), c.background)
	c.text(c.titleFace, msg, x, yy, c.label, alignLeft)
}

// runs calls fn for each stretch of consecutive points that have a value
// and are no further apart than gap (any spacing when gap is 0).
func runs(xs []float32, pts []point, gap time.Duration, value func(point) float64, fn func(from, to int)) {
	from := -1
	for i, p := range pts {
		missing := math.IsNaN(value(p))
		broken := from >= 0 && gap > 0 && p.at.Sub(pts[i-1].at) > gap
		if from >= 0 && (missing || broken) {
			fn(from, i)
			from = -1
		}
		if !missing && from < 0 {
			from = i
		}
	}
	if from >= 0 {
		fn(from, len(pts))
	}
}

// series strokes one line in panel r, broken at gaps; a lone point between
// gaps is drawn as a dot so it is not lost.
func (c *canvas) series(r image.Rectangle, xs []float32, pts []point, gap time.Duration,
	value func(point) float64, full float64, col color.RGBA, width float32) {
	runs(xs, pts, gap, value, func(from, to int) {
		line := make([][2]float32, 0, to-from)
		for i := from; i < to; i++ {
			line = append(line, [2]float32{xs[i], y(r, value(pts[i]), full)})
		}
		c.polyline(line, width)
	})
	c.flush(col)
}

// fillUnder shades the area below a series.
func (c *canvas) fillUnder(r image.Rectangle, xs []float32, pts []point, gap time.Duration,
	value func(point) float64, full float64, col color.Color) {
	base := float32(r.Max.Y)
	runs(xs, pts, gap, value, func(from, to int) {
		if to-from < 2 {
			return
		}
		poly := make([][2]float32, 0, to-from+2)
		poly = append(poly, [2]float32{xs[from], base})
		for i := from; i < to; i++ {
			poly = append(poly, [2]float32{xs[i], y(r, value(pts[i]), full)})
		}
		c.polys = append(c.polys, append(poly, [2]float32{xs[to-1], base}))
	})
	c.flush(col)
}

// peak marks the sample with the highest CPU and labels it with the
// process that used the most CPU then: "92% firefox at 10:40".
func (c *canvas) peak(l layout, xs []float32, pts []point, o Options) {
	best := -1
	for i, p := range pts {
		if !math.IsNaN(p.cpu) && (best < 0 || p.cpu > pts[best].cpu) {
			best = i
		}
	}
	if best < 0 {
		return
	}
	p := pts[best]
	px, py := xs[best], y(l.top, p.cpu, 100)
	defer func() {
		c.circle(px, py, 4.5)
		c.flush(c.background)
		c.circle(px, py, 3.5)
		c.flush(c.cpu)
	}()

	label := fmt.Sprintf("%.0f%%", p.cpu)
	if p.top != "" {
		label += " " + truncate(p.top, 32)
	}
	label += " at " + p.at.In(o.Location).Format(clockLayout(o.Now.Add(-o.Window).In(o.Location), o.Now.In(o.Location)))
	w := font.MeasureString(c.labelFace, label).Ceil()
	const padX, boxH = 6, 18
	// Centred over the marker in the lane above the panel, kept inside the
	// panel's width, with a leader down to the marker.
	bx := min(max(int(px)-w/2-padX, l.top.Min.X), l.top.Max.X-w-2*padX)
	box := image.Rect(bx, l.laneY, bx+w+2*padX, l.laneY+boxH)
	ix := int(px)
	c.fill(image.Rect(ix, box.Max.Y, ix+1, int(py)-4), c.axis)
	c.fill(box, c.axis)
	c.fill(box.Inset(1), c.background)
	c.text(c.labelFace, label, bx+padX, l.laneY+13, c.title, alignLeft)
}

// truncate shortens s to at most n runes with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// polyline adds a stroke of the given width along pts to the rasterizer:
// one quadrilateral per segment and a disc at every vertex for round
// joins. All shapes are wound the same way, so where they overlap the
// rasterizer's coverage adds up instead of cancelling.
func (c *canvas) polyline(pts [][2]float32, width float32) {
	h := width / 2
	for i := 1; i < len(pts); i++ {
		ax, ay, bx, by := pts[i-1][0], pts[i-1][1], pts[i][0], pts[i][1]
		dx, dy := bx-ax, by-ay
		n := float32(math.Hypot(float64(dx), float64(dy)))
		if n < 1e-3 {
			continue
		}
		nx, ny := -dy/n*h, dx/n*h
		c.polys = append(c.polys, [][2]float32{{ax + nx, ay + ny}, {bx + nx, by + ny}, {bx - nx, by - ny}, {ax - nx, ay - ny}})
	}
	for _, p := range pts {
		c.circle(p[0], p[1], h)
	}
}

// circle adds a disc, wound like polyline's segments (clockwise in image
// coordinates).
func (c *canvas) circle(cx, cy, r float32) {
	const n = 16
	poly := make([][2]float32, n)
	for i := range poly {
		a := -2 * math.Pi * float64(i) / n
		poly[i] = [2]float32{cx + r*float32(math.Cos(a)), cy + r*float32(math.Sin(a))}
	}
	c.polys = append(c.polys, poly)
}

// flush paints the pending shapes in col as one antialiased mask, so that
// where they overlap the colour is laid once. The rasterizer covers only
// the shapes' bounding box: painting visits every pixel of its area, and a
// line's box is a fraction of the image.
func (c *canvas) flush(col color.Color) {
	defer func() { c.polys = c.polys[:0] }()
	box := image.Rectangle{}
	for _, poly := range c.polys {
		for _, p := range poly {
			pt := image.Rect(int(math.Floor(float64(p[0]))), int(math.Floor(float64(p[1]))),
				int(math.Ceil(float64(p[0])))+1, int(math.Ceil(float64(p[1])))+1)
			box = box.Union(pt)
		}
	}
	box = box.Intersect(c.img.Bounds())
	if box.Empty() {
		return
	}
	c.ras.Reset(box.Dx(), box.Dy())
	ox, oy := float32(box.Min.X), float32(box.Min.Y)
	for _, poly := range c.polys {
		if len(poly) < 3 {
			continue
		}
		c.ras.MoveTo(poly[0][0]-ox, poly[0][1]-oy)
		for _, p := range poly[1:] {
			c.ras.LineTo(p[0]-ox, p[1]-oy)
		}
		c.ras.ClosePath()
	}
	c.ras.Draw(c.img, box, image.NewUniform(col), image.Point{})
}

// fill paints a rectangle, clipped to the image.
func (c *canvas) fill(r image.Rectangle, col color.RGBA) {
	draw.Draw(c.img, r.Intersect(c.img.Bounds()), image.NewUniform(col), image.Point{}, draw.Src)
}

type align int

const (
	alignLeft align = iota
	alignRight
)

// text draws s with its baseline at y, starting (alignLeft) or ending
// (alignRight) at x, and returns where it ends.
func (c *canvas) text(face font.Face, s string, x, y int, col color.RGBA, a align) int {
	w := font.MeasureString(face, s)
	if a == alignRight {
		x -= w.Ceil()
	}
	d := font.Drawer{Dst: c.img, Src: image.NewUniform(col), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
	return x + w.Ceil()
}
