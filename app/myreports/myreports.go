// Package myreports is the My reports page: every problem the employee
// reported, newest first, with the reference to quote, where it stands,
// and the helpdesk's ticket once there is one. Reports still waiting on
// this computer for the service are listed too, marked as not sent yet.
//
// Like the other pages it keeps its state, loads it in goroutines it owns,
// and renders it with a pure view function (view.go).
package myreports

import (
	"cmp"
	"context"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/firstline-it/firstline/app/pagework"
	"github.com/firstline-it/firstline/internal/report"
)

// Source is the service as the page uses it; *localapi.Client satisfies
// it.
type Source interface {
	Reports(ctx context.Context, all bool) ([]report.Record, error)
}

// Local lists the reports kept on this computer; *handover.Outbox
// satisfies it.
type Local interface {
	List() ([]report.Record, error)
}

// Options configure a Page.
type Options struct {
	Source Source
	// Local lists the reports waiting on this computer; nil lists none.
	Local Local
	Clip  fyne.Clipboard
	// CategoryLabel names a category id; nil shows ids as they are.
	CategoryLabel func(id string) string
	// GetHelp opens the Get help page; nil hides the button.
	GetHelp func()
	// Do runs fn on the UI goroutine; default fyne.Do. Tests run it
	// directly.
	Do  func(fn func())
	Now func() time.Time
}

// loadTimeout bounds one load.
const loadTimeout = 15 * time.Second

// Entry is one report on the page.
type Entry struct {
	Record report.Record
	// Local is set for a report still on this computer, not yet handed to
	// the service.
	Local bool
}

// State is everything the page shows.
type State struct {
	Entries []Entry
	// Err is why the service's list could not be read; the reports on
	// this computer are still shown.
	Err error
	// LocalErr is why the reports on this computer could not be read.
	LocalErr error
	Loading  bool
	Loaded   bool
	LoadedAt time.Time
}

// Page is the My reports page. Its methods are called on the UI goroutine.
type Page struct {
	opts  Options
	root  *fyne.Container
	state State
	// flight loads once more when a refresh is asked for during a load.
	flight pagework.Flight
	work   *pagework.Work
}

// New creates the page; nothing loads until Show or Refresh.
func New(opts Options) *Page {
	opts.Now = pagework.Clock(opts.Now)
	if opts.CategoryLabel == nil {
		opts.CategoryLabel = func(id string) string { return id }
	}
	p := &Page{opts: opts, root: container.NewStack(), work: pagework.New(opts.Do)}
	p.render()
	return p
}

// Object is the page's content; the same object for the page's lifetime.
func (p *Page) Object() fyne.CanvasObject { return p.root }

// State is what the page shows now.
func (p *Page) State() State { return p.state }

// Show is called when the page comes into view: the list is read afresh.
func (p *Page) Show() { p.Refresh() }

// Refresh reads the list again: the service said the reports changed, or
// one was just sent or handed over.
func (p *Page) Refresh() {
	if !p.flight.Start() {
		return
	}
	p.state.Loading = true
	p.render()
	p.work.Load(loadTimeout, func(ctx context.Context) func() {
		remote, err := p.opts.Source.Reports(ctx, false)
		var local []report.Record
		var lerr error
		if p.opts.Local != nil {
			local, lerr = p.opts.Local.List()
		}
		return func() {
			p.state.Loading, p.state.Loaded = false, true
			again := p.flight.Finish()
			p.state.Err, p.state.LocalErr = err, lerr
			// Keep what is known when one side fails: a list that
			// empties because the service blinked would alarm.
			p.state.Entries = merge(remote, local, err != nil, lerr != nil, p.state.Entries)
			p.state.LoadedAt = p.opts.Now()
			p.render()
			if again {
				p.Refresh()
			}
		}
	})
}

// Close stops loading and waits for the goroutines to end.
func (p *Page) Close() { p.work.Close() }

// merge lists the service's reports and the local ones, newest first. A
// report in both (handed over a moment ago) is the service's. A side that
// could not be read keeps its reports from the last load.
func merge(remote, local []report.Record, remoteFailed, localFailed bool, before []Entry) []Entry {
	for _, e := range before {
		switch {
		case remoteFailed && !e.Local:
			remote = append(remote, e.Record)
		case localFailed && e.Local:
			local = append(local, e.Record)
		}
	}
	seen := map[report.Key]bool{}
	var out []Entry
	for _, r := range remote {
		if !seen[r.Key] {
			seen[r.Key] = true
			out = append(out, Entry{Record: r})
		}
	}
	for _, r := range local {
		if !seen[r.Key] {
			seen[r.Key] = true
			out = append(out, Entry{Record: r, Local: true})
		}
	}
	slices.SortStableFunc(out, func(a, b Entry) int {
		return cmp.Or(whenOf(b.Record).Compare(whenOf(a.Record)), cmp.Compare(b.Record.Key.String(), a.Record.Key.String()))
	})
	return out
}

// whenOf is when the employee wrote the report: the app's own time, which
// is also right for a report that waited offline.
func whenOf(r report.Record) time.Time {
	if !r.CreatedAt.IsZero() {
		return r.CreatedAt
	}
	return r.ReceivedAt
}

func (p *Page) render() {
	p.root.Objects = []fyne.CanvasObject{view(p.state, p.actions(), p.opts.Now())}
	p.root.Refresh()
}

func (p *Page) actions() actions {
	return actions{
		copy: func(s string) {
			if p.opts.Clip != nil {
				p.opts.Clip.SetContent(s)
			}
		},
		category: p.opts.CategoryLabel,
		getHelp:  p.opts.GetHelp,
		refresh:  p.Refresh,
	}
}
