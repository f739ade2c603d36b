// Package computer is the This computer page: what Firstline knows about
// this machine (the summary every report carries), the remote-help ID IT
// asks for on the phone, whether the network and the company's services
// answer, and the last hour of activity.
//
// The page keeps its state and loads it from the service in goroutines it
// owns; what is on screen is a pure function of that state (view.go), so
// the tests render every state with Fyne's test driver.
package computer

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/firstline-it/firstline/app/pagework"
	"github.com/firstline-it/firstline/internal/sysinfo"
	"github.com/firstline-it/firstline/internal/sysinfo/probes"
)

// Source is the service as the page uses it; *localapi.Client satisfies it.
type Source interface {
	SysInfo(ctx context.Context, sections ...sysinfo.Section) (*sysinfo.Snapshot, error)
	Chart(ctx context.Context, width, height int) ([]byte, error)
	Probes(ctx context.Context) (*probes.Report, error)
}

// Chart size asked of the service: it fills the page at the window's usual
// width and stays sharp.
const chartWidth, chartHeight = 960, 360

// staleAfter is how old a snapshot may be when the page is shown again
// before it is taken anew.
const staleAfter = 30 * time.Second

// loadTimeout bounds one load; probes take at most 5 s by design.
const loadTimeout = 15 * time.Second

// State is everything the page shows.
type State struct {
	Snapshot    *sysinfo.Snapshot
	SnapshotErr error
	Chart       []byte
	ChartErr    error
	Probes      *probes.Report
	ProbesErr   error
	Loading     bool // snapshot and chart on their way
	Probing     bool
	LoadedAt    time.Time
	ProbedAt    time.Time
}

// Options configure a Page.
type Options struct {
	Source Source
	Clip   fyne.Clipboard
	// Launch starts a remote-help tool by its path; nil hides the button.
	Launch func(path string) error
	// Errors shows a failure the employee caused (a tool that did not
	// start).
	Errors func(error)
	// Do runs fn on the UI goroutine; default fyne.Do. Tests run it
	// directly.
	Do  func(fn func())
	Now func() time.Time
}

// Page is the This computer page. Its methods are called on the UI
// goroutine.
type Page struct {
	opts  Options
	root  *fyne.Container
	built bool
	state State
	work  *pagework.Work
}

// New creates the page; nothing loads until Show.
func New(opts Options) *Page {
	opts.Now = pagework.Clock(opts.Now)
	if opts.Errors == nil {
		opts.Errors = func(error) {}
	}
	return &Page{opts: opts, root: container.NewStack(), work: pagework.New(opts.Do)}
}

// Object is the page's content; the same object for the page's lifetime.
// Its widgets are made on the first call: laying out text loads the fonts,
// which an app waiting in the tray must not pay for until the page is
// opened.
func (p *Page) Object() fyne.CanvasObject {
	if !p.built {
		p.built = true
		p.render()
	}
	return p.root
}

// State is what the page shows now.
func (p *Page) State() State { return p.state }

// Show is called when the page comes into view: it loads what is missing
// or stale, and runs the probes the first time.
func (p *Page) Show() {
	if p.state.Snapshot == nil || p.opts.Now().Sub(p.state.LoadedAt) > staleAfter {
		p.Reload()
	}
	if p.state.Probes == nil && p.state.ProbesErr == nil {
		p.Recheck()
	}
}

// Reload takes a new snapshot and chart.
func (p *Page) Reload() {
	if p.state.Loading {
		return
	}
	p.state.Loading = true
	p.render()
	p.work.Load(loadTimeout, func(ctx context.Context) func() {
		snap, err := p.opts.Source.SysInfo(ctx)
		png, cerr := p.opts.Source.Chart(ctx, chartWidth, chartHeight)
		return func() {
			p.state.Loading = false
			p.state.Snapshot, p.state.SnapshotErr = snap, err
			p.state.Chart, p.state.ChartErr = png, cerr
			p.state.LoadedAt = p.opts.Now()
			p.render()
		}
	})
}

// Recheck runs the connectivity probes again.
func (p *Page) Recheck() {
	if p.state.Probing {
		return
	}
	p.state.Probing = true
	p.render()
	p.work.Load(loadTimeout, func(ctx context.Context) func() {
		r, err := p.opts.Source.Probes(ctx)
		return func() {
			p.state.Probing = false
			p.state.Probes, p.state.ProbesErr = r, err
			p.state.ProbedAt = p.opts.Now()
			p.render()
		}
	})
}

// Close stops loading and waits for the goroutines to end.
func (p *Page) Close() { p.work.Close() }

func (p *Page) render() {
	if !p.built {
		return
	}
	p.root.Objects = []fyne.CanvasObject{view(p.state, p.actions())}
	p.root.Refresh()
}

func (p *Page) actions() actions {
	a := actions{
		reload:  p.Reload,
		recheck: p.Recheck,
		copy:    func(s string) { p.opts.Clip.SetContent(s) },
	}
	if p.opts.Launch != nil {
		a.launch = func(name, path string) {
			if err := p.opts.Launch(path); err != nil {
				p.opts.Errors(fmt.Errorf("%s did not start: %w", name, err))
			}
		}
	}
	return a
}
