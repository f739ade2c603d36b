package screen

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

func filled(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

var (
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
	black = color.RGBA{0, 0, 0, 0xff}
)

// checkBlackOut fails unless exactly the pixels in rects are black.
func checkBlackOut(t *testing.T, img image.Image, rects []image.Rectangle) {
	t.Helper()
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			in := false
			for _, r := range rects {
				in = in || image.Pt(x, y).In(r)
			}
			got := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			if want := map[bool]color.RGBA{true: black, false: white}[in]; got != want {
				t.Fatalf("pixel (%d,%d) is %v, want %v", x, y, got, want)
			}
		}
	}
}

func TestBlackOut(t *testing.T) {
	tests := []struct {
		name  string
		r     image.Rectangle
		black image.Rectangle
	}{
		{"inside", image.Rect(2, 3, 10, 7), image.Rect(2, 3, 10, 7)},
		{"drawn backwards", image.Rect(10, 7, 2, 3), image.Rect(2, 3, 10, 7)},
		{"over the edge", image.Rect(15, -4, 40, 5), image.Rect(15, 0, 20, 5)},
		{"outside", image.Rect(30, 30, 40, 40), image.Rectangle{}},
		{"everything", image.Rect(-1, -1, 100, 100), image.Rect(0, 0, 20, 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := filled(20, 10, white)
			BlackOut(img, tt.r)
			checkBlackOut(t, img, []image.Rectangle{tt.black})
		})
	}
}

func TestRedactLeavesTheOriginal(t *testing.T) {
	src := filled(30, 20, white)
	rects := []image.Rectangle{image.Rect(0, 0, 5, 5), image.Rect(20, 10, 30, 20)}
	out := Redact(src, rects)
	checkBlackOut(t, out, rects)
	checkBlackOut(t, src, nil)
	// What leaves the computer is the PNG: the black must be in it.
	data, err := EncodePNG(out)
	if err != nil {
		t.Fatal(err)
	}
	back, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	checkBlackOut(t, back, rects)
}

func TestFit(t *testing.T) {
	tests := []struct{ w, h, maxW, maxH, wantW, wantH int }{
		{1920, 1080, 200, 125, 200, 113},
		{1080, 1920, 200, 125, 70, 125},
		{100, 50, 200, 125, 100, 50}, // never enlarged
		{10000, 1, 200, 125, 200, 1}, // never below 1
		{0, 0, 200, 125, 1, 1},
	}
	for _, tt := range tests {
		if w, h := Fit(tt.w, tt.h, tt.maxW, tt.maxH); w != tt.wantW || h != tt.wantH {
			t.Errorf("Fit(%d,%d in %d,%d) = %d×%d, want %d×%d", tt.w, tt.h, tt.maxW, tt.maxH, w, h, tt.wantW, tt.wantH)
		}
	}
}

func TestThumbnailKeepsBlack(t *testing.T) {
	src := filled(400, 200, white)
	BlackOut(src, image.Rect(0, 0, 200, 200))
	th := Thumbnail(src, 100, 100)
	if th.Bounds() != image.Rect(0, 0, 100, 50) {
		t.Fatalf("bounds %v", th.Bounds())
	}
	if got := th.RGBAAt(10, 25); got != black {
		t.Errorf("left half %v", got)
	}
	if got := th.RGBAAt(90, 25); got != white {
		t.Errorf("right half %v", got)
	}
}

func TestDecodePNG(t *testing.T) {
	src := filled(3, 2, white)
	data, _ := EncodePNG(src)
	img, err := decodePNG(data)
	if err != nil || img.Bounds() != src.Bounds() {
		t.Fatalf("%v %v", img.Bounds(), err)
	}
	if _, err := decodePNG([]byte("not a png")); err == nil {
		t.Error("garbage decoded")
	}
}
