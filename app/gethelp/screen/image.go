package screen

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	xdraw "golang.org/x/image/draw"
)

// BlackOut paints r (clipped to img) opaque black, in place. The pixels
// underneath are gone, not covered: nothing of them reaches the PNG.
func BlackOut(img *image.RGBA, r image.Rectangle) {
	r = r.Canon().Intersect(img.Bounds())
	if r.Empty() {
		return
	}
	black := color.RGBA{A: 0xff}
	row := make([]byte, 4*r.Dx())
	for i := 0; i < len(row); i += 4 {
		row[i], row[i+1], row[i+2], row[i+3] = black.R, black.G, black.B, black.A
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		off := img.PixOffset(r.Min.X, y)
		copy(img.Pix[off:off+len(row)], row)
	}
}

// Redact returns a copy of src with every rectangle of rects blacked out;
// src is left as it was, so an undo is a Redact with one rectangle fewer.
func Redact(src *image.RGBA, rects []image.Rectangle) *image.RGBA {
	out := &image.RGBA{Pix: bytes.Clone(src.Pix), Stride: src.Stride, Rect: src.Rect}
	for _, r := range rects {
		BlackOut(out, r)
	}
	return out
}

// Thumbnail scales src down to fit maxW×maxH, keeping its proportions; a
// picture that fits already is scaled to the same size (a copy).
func Thumbnail(src image.Image, maxW, maxH int) *image.RGBA {
	b := src.Bounds()
	w, h := Fit(b.Dx(), b.Dy(), maxW, maxH)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.ApproxBiLinear.Scale(out, out.Bounds(), src, b, xdraw.Src, nil)
	return out
}

// Fit returns the largest size of w×h's proportions within maxW×maxH,
// never larger than w×h and never smaller than 1×1.
func Fit(w, h, maxW, maxH int) (int, int) {
	if w <= 0 || h <= 0 {
		return 1, 1
	}
	scale := min(1, float64(maxW)/float64(w), float64(maxH)/float64(h))
	return max(1, int(float64(w)*scale+0.5)), max(1, int(float64(h)*scale+0.5))
}

// EncodePNG encodes img for a report.
func EncodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encoding the screenshot: %w", err)
	}
	return buf.Bytes(), nil
}

// decodePNG decodes a picture another program saved, refusing sizes that
// would not fit in memory.
func decodePNG(data []byte) (*image.RGBA, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading the screenshot: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		return nil, fmt.Errorf("a %d×%d screenshot is larger than a report may carry", cfg.Width, cfg.Height)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading the screenshot: %w", err)
	}
	return toRGBA8(img), nil
}

// toRGBA8 converts any image to an RGBA one starting at (0, 0).
func toRGBA8(img image.Image) *image.RGBA {
	if rgba, ok := img.(*image.RGBA); ok && rgba.Bounds().Min == (image.Point{}) {
		return rgba
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	xdraw.Draw(out, out.Bounds(), img, b.Min, xdraw.Src)
	return out
}
