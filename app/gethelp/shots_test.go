package gethelp

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/firstline-it/firstline/app/gethelp/screen"
	"github.com/firstline-it/firstline/app/internal/uitest"
	"github.com/firstline-it/firstline/internal/report"
)

// captureOf returns a capture function handing out shots, counting calls.
func captureOf(calls *atomic.Int32, err error, shots ...screen.Shot) func(context.Context) ([]screen.Shot, error) {
	return func(context.Context) ([]screen.Shot, error) {
		calls.Add(1)
		return shots, err
	}
}

// captured opens the page the way the window does: pictures first.
func captured(t *testing.T, opts Options) (*Page, *uiQueue) {
	t.Helper()
	p, q := newPage(t, opts)
	ready := false
	p.Capture(func() { ready = true })
	q.until(t, "the screenshot", func() bool { return ready })
	p.Show()
	q.until(t, "the summary", func() bool { return !p.State().Loading })
	return p, q
}

func screenshotOf(t *testing.T, s report.Submission) image.Image {
	t.Helper()
	for _, a := range s.Attachments {
		if a.Kind == report.KindScreenshot {
			if a.Name != screenshotName || a.ContentType != "image/png" {
				t.Errorf("screenshot attachment %q %q", a.Name, a.ContentType)
			}
			img, err := png.Decode(bytes.NewReader(a.Data))
			if err != nil {
				t.Fatal(err)
			}
			return img
		}
	}
	return nil
}

func TestScreenshotIsOptIn(t *testing.T) {
	var calls atomic.Int32
	src := &fakeSource{snap: testSnapshot()}
	p, q := captured(t, Options{Source: src, Capture: captureOf(&calls, nil, whiteShot("Screen 1", 64, 48))})
	if p.State().Shot.Include || check(t, p, "A screenshot of my screen").Checked {
		t.Fatal("the screenshot is ticked before the employee asked for it")
	}
	if !uitest.Has(p.Object(), "only sent if you tick the box") {
		t.Errorf("page %q", uitest.Texts(p.Object()))
	}
	fill(p, "Excel shows a strange dialog")
	send(t, p, q)
	if img := screenshotOf(t, src.sent()[0]); img != nil {
		t.Error("a screenshot was sent without the employee's consent")
	}

	// Ticked, it goes.
	src2 := &fakeSource{snap: testSnapshot()}
	p2, q2 := captured(t, Options{Source: src2, Capture: captureOf(&calls, nil, whiteShot("Screen 1", 64, 48))})
	check(t, p2, "A screenshot of my screen").SetChecked(true)
	if !uitest.Has(p2.Object(), "Drag across anything private") {
		t.Errorf("page %q", uitest.Texts(p2.Object()))
	}
	fill(p2, "Excel shows a strange dialog")
	send(t, p2, q2)
	img := screenshotOf(t, src2.sent()[0])
	if img == nil || img.Bounds() != image.Rect(0, 0, 64, 48) {
		t.Fatalf("screenshot %v", img)
	}
}

// TestBlackOutBlacksThePixelsSent drags over the preview and checks the
// PNG that would leave the computer.
func TestBlackOutBlacksThePixelsSent(t *testing.T) {
	var calls atomic.Int32
	src := &fakeSource{snap: testSnapshot()}
	p, q := captured(t, Options{Source: src, Capture: captureOf(&calls, nil, whiteShot("Screen 1", 400, 200))})
	p.IncludeShot(true)
	w := test.NewWindow(p.Object())
	defer w.Close()
	w.Resize(fyne.NewSize(1000, 4000))
	rs := uitest.Find[*redactor](p.Object())
	if len(rs) != 1 {
		t.Fatalf("%d previews", len(rs))
	}
	r := rs[0]
	size := r.Size()
	if size.Width < 100 {
		t.Fatalf("preview is %v", size)
	}
	// Drawn from the lower right to the upper left, over the middle half:
	// the pointer ends at a quarter, having moved by half.
	r.Dragged(&fyne.DragEvent{
		PointEvent: fyne.PointEvent{Position: fyne.NewPos(size.Width*0.25, size.Height*0.25)},
		Dragged:    fyne.NewDelta(-size.Width*0.5, -size.Height*0.5),
	})
	r.DragEnd()

	outs := p.State().Shot.BlackOuts
	if len(outs) != 1 {
		t.Fatalf("black-outs %v", outs)
	}
	if want := image.Rect(100, 50, 300, 150); outs[0] != want {
		t.Errorf("blacked out %v, want %v", outs[0], want)
	}
	if !uitest.Has(p.Object(), "1 area blacked out") {
		t.Errorf("page %q", uitest.Texts(p.Object()))
	}
	fill(p, "My payslip shows the wrong tax code")
	send(t, p, q)
	img := screenshotOf(t, src.sent()[0])
	if img == nil {
		t.Fatal("no screenshot sent")
	}
	for y := range 200 {
		for x := range 400 {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			in := image.Pt(x, y).In(outs[0])
			if in && (c.R|c.G|c.B) != 0 || !in && c.R != 0xff {
				t.Fatalf("pixel (%d,%d) = %v; inside the black-out: %v", x, y, c, in)
			}
		}
	}
}

func TestUndoAndChoosingAnotherScreen(t *testing.T) {
	var calls atomic.Int32
	p, _ := captured(t, Options{Capture: captureOf(&calls, nil, whiteShot("Screen 1", 100, 50), whiteShot("Screen 2", 80, 60))})
	p.IncludeShot(true)
	for _, want := range []string{"✓ Screen 1", "Screen 2", "Choose the screen"} {
		if !uitest.Has(p.Object(), want) {
			t.Errorf("page lacks %q: %q", want, uitest.Texts(p.Object()))
		}
	}
	p.BlackOutRect(image.Rect(10, 10, 20, 20))
	p.BlackOutRect(image.Rect(30, 10, 31, 40)) // a click, not a drag: ignored
	p.BlackOutRect(image.Rect(90, 40, 200, 200))
	if got := p.State().Shot.BlackOuts; len(got) != 2 || got[1] != image.Rect(90, 40, 100, 50) {
		t.Fatalf("black-outs %v", got)
	}
	if p.State().Shot.preview.RGBAAt(15, 15) != (color.RGBA{A: 0xff}) {
		t.Error("the preview does not show the black-out")
	}
	test.Tap(button(t, p, "Undo"))
	if got := p.State().Shot.BlackOuts; len(got) != 1 {
		t.Errorf("after undo %v", got)
	}
	test.Tap(button(t, p, "Screen 2"))
	if s := p.State().Shot; s.Chosen != 1 || len(s.BlackOuts) != 0 || s.preview.Bounds().Dx() != 80 {
		t.Errorf("after choosing screen 2: chosen %d, %v", s.Chosen, s.BlackOuts)
	}
}

func TestCaptureKeepsAChosenScreenshot(t *testing.T) {
	var calls atomic.Int32
	p, q := captured(t, Options{Capture: captureOf(&calls, nil, whiteShot("Screen 1", 10, 10))})
	p.IncludeShot(true)
	p.BlackOutRect(image.Rect(0, 0, 5, 5))
	ready := false
	p.Capture(func() { ready = true }) // the window opened again
	q.until(t, "ready", func() bool { return ready })
	if calls.Load() != 1 || len(p.State().Shot.BlackOuts) != 1 {
		t.Errorf("%d captures; black-outs %v", calls.Load(), p.State().Shot.BlackOuts)
	}
}

func TestRetakeAsksTheWindowAndIncludesTheNewPicture(t *testing.T) {
	var calls atomic.Int32
	var p *Page
	var q *uiQueue
	retakes := 0
	p, q = captured(t, Options{
		Capture: captureOf(&calls, nil, whiteShot("Screen 1", 10, 10)),
		Retake: func() {
			retakes++
			done := false
			p.Capture(func() { done = true }) // what the window does
			q.until(t, "the new picture", func() bool { return done })
		},
	})
	test.Tap(button(t, p, "Take a new screenshot"))
	if retakes != 1 || calls.Load() != 2 || !p.State().Shot.Include {
		t.Errorf("retakes %d, captures %d, included %v", retakes, calls.Load(), p.State().Shot.Include)
	}
}

func TestNoScreenshotPossible(t *testing.T) {
	var calls atomic.Int32
	err := errors.Join(screen.ErrUnsupported, errors.New("there is no X11 display"))
	p, _ := captured(t, Options{Capture: captureOf(&calls, err)})
	if !uitest.Has(p.Object(), "No screenshot could be taken") || !check(t, p, "A screenshot of my screen").Disabled() {
		t.Errorf("page %q", uitest.Texts(p.Object()))
	}
	// Without a way to capture, the page still opens at once.
	p2, _ := newPage(t, Options{})
	ready := false
	p2.Capture(func() { ready = true })
	if !ready {
		t.Error("ready not called without a capture function")
	}
}

func TestEncodeShotShrinksToFit(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 600, 450))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = byte(rng.Uint32()) // noise: the worst case for PNG
	}
	const limit = 600 << 10
	data, err := encodeShot(img, limit)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil || len(data) > limit || cfg.Width >= 600 || abs(cfg.Width*3-cfg.Height*4) > 4 {
		t.Errorf("%d bytes, %d×%d, %v", len(data), cfg.Width, cfg.Height, err)
	}
	if _, err := encodeShot(img, 100); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("hopeless case: %v", err)
	}
}

func TestToPixels(t *testing.T) {
	full := image.Pt(400, 200)
	tests := []struct {
		name string
		a, b fyne.Position
		size fyne.Size
		want image.Rectangle
	}{
		{"exact fit", fyne.NewPos(100, 50), fyne.NewPos(300, 150), fyne.NewSize(400, 200), image.Rect(100, 50, 300, 150)},
		{"half size, backwards", fyne.NewPos(150, 75), fyne.NewPos(50, 25), fyne.NewSize(200, 100), image.Rect(100, 50, 300, 150)},
		{"rounds outwards", fyne.NewPos(10.4, 10.4), fyne.NewPos(20.2, 20.2), fyne.NewSize(400, 200), image.Rect(10, 10, 21, 21)},
		{"letterboxed", fyne.NewPos(100, 90), fyne.NewPos(300, 150), fyne.NewSize(400, 400), image.Rect(100, 0, 300, 50)},
		{"beyond the picture", fyne.NewPos(-50, -50), fyne.NewPos(900, 900), fyne.NewSize(400, 200), image.Rect(0, 0, 400, 200)},
		{"no size", fyne.NewPos(0, 0), fyne.NewPos(10, 10), fyne.NewSize(0, 0), image.Rectangle{}},
	}
	for _, tt := range tests {
		if got := toPixels(tt.a, tt.b, tt.size, full); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func abs(n int) int { return max(n, -n) }

// TestPreviewTakesDragsInsideThePage: the page scrolls, and a drag on the
// preview must still reach the preview.
func TestPreviewTakesDragsInsideThePage(t *testing.T) {
	var calls atomic.Int32
	p, _ := captured(t, Options{Capture: captureOf(&calls, nil, whiteShot("Screen 1", 400, 200))})
	p.IncludeShot(true)
	w := test.NewWindow(p.Object())
	defer w.Close()
	w.Resize(fyne.NewSize(1000, 4000))
	r := uitest.Find[*redactor](p.Object())[0]
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(r)
	test.Drag(w.Canvas(), at.Add(fyne.NewPos(r.Size().Width/2, r.Size().Height/2)), 60, 40)
	if n := len(p.State().Shot.BlackOuts); n != 1 {
		t.Errorf("%d black-outs after a drag on the preview", n)
	}
}
