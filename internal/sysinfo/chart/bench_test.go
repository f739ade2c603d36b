package chart

import (
	"testing"
	"time"
)

// BenchmarkRender is a full hour at 10 s (360 samples) rendered and
// encoded, reporting the PNG's size.
func BenchmarkRender(b *testing.B) {
	samples, end := realisticHour()
	opts := Options{Now: end, Title: "Anna's laptop", Location: time.UTC}
	var size int
	b.ReportAllocs()
	for b.Loop() {
		png, err := Render(samples, opts)
		if err != nil {
			b.Fatal(err)
		}
		size = len(png)
	}
	b.ReportMetric(float64(size), "png-bytes")
}

// BenchmarkFonts is the part of Render that loads the Go fonts, which
// Render does every time rather than caching in package state.
func BenchmarkFonts(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := newCanvas(MinWidth, MinHeight); err != nil {
			b.Fatal(err)
		}
	}
}
