package screen

import (
	"image"
	"testing"
)

// A full-HD monitor: what a report's screenshot usually is.
const benchW, benchH = 1920, 1080

func BenchmarkToRGBA1080p(b *testing.B) {
	im := x11Image{data: make([]byte, benchW*benchH*4)}
	f := x11Format{24, 32, 32}
	v := x11Visual{class: visualTrueColor, redMask: 0xff0000, greenMask: 0xff00, blueMask: 0xff}
	b.SetBytes(int64(len(im.data)))
	for b.Loop() {
		if _, err := toRGBA(im, benchW, benchH, f, v, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRedact1080p(b *testing.B) {
	src := filled(benchW, benchH, white)
	rects := []image.Rectangle{image.Rect(100, 100, 900, 500), image.Rect(1000, 600, 1900, 1000)}
	for b.Loop() {
		Redact(src, rects)
	}
}

// BenchmarkPreview1080p is what a black-out costs on the UI goroutine:
// the copy with the black-outs, scaled for the preview.
func BenchmarkPreview1080p(b *testing.B) {
	src := filled(benchW, benchH, white)
	rects := []image.Rectangle{image.Rect(100, 100, 900, 500)}
	for b.Loop() {
		Thumbnail(Redact(src, rects), 1120, 700)
	}
}

func BenchmarkToRGBA1080pGeneral(b *testing.B) {
	im := x11Image{data: make([]byte, benchW*benchH*4)}
	f := x11Format{24, 32, 32}
	v := x11Visual{class: visualTrueColor, redMask: 0xff0000, greenMask: 0xff00, blueMask: 0xff}
	b.SetBytes(int64(len(im.data)))
	for b.Loop() {
		if _, err := toRGBA(im, benchW, benchH, f, v, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodePNG1080p(b *testing.B) {
	src := filled(benchW, benchH, white)
	for i := 0; i < len(src.Pix); i += 97 {
		src.Pix[i] = byte(i) // not all one colour, like a real screen
	}
	for b.Loop() {
		if _, err := EncodePNG(src); err != nil {
			b.Fatal(err)
		}
	}
}
