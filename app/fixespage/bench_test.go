package fixespage

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/firstline-it/firstline/internal/localapi"
)

// BenchmarkProgressLine is the cost of one output line of a run on
// screen, which bounds how many lines a second the page keeps up with
// (target: under a millisecond with a full output area).
func BenchmarkProgressLine(b *testing.B) {
	p, run := runningPage(b)
	defer p.Close()
	b.ResetTimer()
	for i := range b.N {
		p.progress("flush-dns", run, localapi.FixProgress{Event: "output", Step: 2, Steps: 3, Line: fmt.Sprint("more ", i)})
	}
}

// BenchmarkRender is a whole render of a fix with a run under way: what
// a step starting or ending costs.
func BenchmarkRender(b *testing.B) {
	p, _ := runningPage(b)
	defer p.Close()
	b.ResetTimer()
	for range b.N {
		p.render()
	}
}

func runningPage(b *testing.B) (*Page, *Run) {
	test.NewTempApp(b)
	list := sampleList()
	for i := range 40 {
		list.Items = append(list.Items, localapi.FixInfo{ID: fmt.Sprint("extra-", i), Title: fmt.Sprint("Extra fix ", i),
			Group: "Security", RunsAs: "system", Available: true, Description: "Does something useful. Then more."})
	}
	p := New(Options{Source: &fakeSource{list: list}, Do: func(fn func()) { fn() }})
	p.Show()
	p.Select("flush-dns")
	run := &Run{Running: true, Steps: 3, Step: 2, Summary: "Flush"}
	for i := range maxLines {
		run.Lines = append(run.Lines, fmt.Sprintf("line %d of the output", i))
	}
	p.state.Runs["flush-dns"] = run
	p.render()
	// On a canvas, so the widgets lay out as on screen.
	w := test.NewWindow(p.Object())
	w.Resize(fyne.NewSize(670, 600))
	b.Cleanup(w.Close)
	return p, run
}

// BenchmarkFilter is one keystroke in the search over a large catalog.
func BenchmarkFilter(b *testing.B) {
	var items []localapi.FixInfo
	for i := range 200 {
		items = append(items, localapi.FixInfo{ID: fmt.Sprint("f", i), Title: fmt.Sprint("Fix number ", i),
			Group: "Internet", Description: "Restarts the network connection and flushes caches."})
	}
	b.ResetTimer()
	for range b.N {
		if len(Filter(items, "network flush")) != 200 {
			b.Fatal("filter lost fixes")
		}
	}
}
