// Package noticespage is the Notices page: what IT wants the employee to
// know, most urgent first, with the buttons a notice asks for (I've read
// this, This affects me too, Dismiss).
//
// Like the other pages it keeps its state, loads it in goroutines it owns,
// and renders it with a pure view function (view.go).
package noticespage

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/firstline-it/firstline/app/pagework"
	"github.com/firstline-it/firstline/internal/localapi"
)

// Source is the service as the page uses it; *localapi.Client satisfies
// it.
type Source interface {
	Notices(ctx context.Context) (*localapi.NoticeView, error)
	NoticeAction(ctx context.Context, id, action string) (*localapi.NoticeView, error)
	CheckNotices(ctx context.Context) error
}

// Options configure a Page.
type Options struct {
	Source Source
	// Loaded is told every view the page read, on the page's goroutine
	// before the page shows it: the desktop notifications decide there
	// what is new. nil: nobody is told.
	Loaded func(ctx context.Context, v localapi.NoticeView)
	// Do runs fn on the UI goroutine; default fyne.Do. Tests queue it.
	Do     func(fn func())
	Now    func() time.Time
	Logger *slog.Logger
}

// requestTimeout bounds one load or action.
const requestTimeout = 15 * time.Second

// State is everything the page shows.
type State struct {
	// View is the last view read; nil until the first answer.
	View *localapi.NoticeView
	// Err is why the last load failed; the last view stays on screen.
	Err error
	// ActionErr is why the last button's action failed.
	ActionErr error
	Loading   bool
	// Checking is set while the service polls the feed on request.
	Checking bool
	// Busy is the notice whose action is under way; "" for none.
	Busy string
	// ShowDismissed unfolds the dismissed notices.
	ShowDismissed bool
	LoadedAt      time.Time
}

// Page is the Notices page. Its methods are called on the UI goroutine.
type Page struct {
	opts  Options
	log   *slog.Logger
	root  *fyne.Container
	state State
	// shown is set while the page is on screen: notices read then are
	// marked seen.
	shown bool
	// flight loads once more when a refresh is asked for during a load.
	flight pagework.Flight
	work   *pagework.Work
}

// New creates the page; nothing loads until Show or Refresh.
func New(opts Options) *Page {
	opts.Now = pagework.Clock(opts.Now)
	p := &Page{opts: opts, log: pagework.Logger(opts.Logger), root: container.NewStack(), work: pagework.New(opts.Do)}
	p.render()
	return p
}

// Object is the page's content; the same object for the page's lifetime.
func (p *Page) Object() fyne.CanvasObject { return p.root }

// State is what the page shows now.
func (p *Page) State() State { return p.state }

// Show is called when the page comes into view: the notices are read
// afresh and the ones on screen marked seen.
func (p *Page) Show() {
	p.shown = true
	p.Refresh()
}

// Leave is called when the page goes out of view.
func (p *Page) Leave() { p.shown = false }

// Refresh reads the notices again: the page was shown, or the watch
// stream's counts changed.
func (p *Page) Refresh() {
	if !p.flight.Start() {
		return
	}
	p.state.Loading = true
	p.render()
	markSeen := p.shown
	p.work.Load(requestTimeout, func(ctx context.Context) func() {
		v, err := p.opts.Source.Notices(ctx)
		// Loaded hears the view as it came, before the page marks it
		// seen: a notice is new to the desktop even when the page is
		// open as it arrives.
		if err == nil && p.opts.Loaded != nil {
			p.opts.Loaded(ctx, *v)
		}
		if err == nil && markSeen {
			v = p.markSeen(ctx, v)
		}
		return func() {
			p.state.Loading = false
			again := p.flight.Finish()
			p.state.Err = err
			if err == nil {
				p.state.View, p.state.LoadedAt = v, p.opts.Now()
			}
			if again {
				p.Refresh()
			}
			p.render()
		}
	})
}

// markSeen tells the service the employee saw the notices on screen and
// returns the view after that. A failure only costs the unread count.
func (p *Page) markSeen(ctx context.Context, v *localapi.NoticeView) *localapi.NoticeView {
	for _, it := range v.Items {
		if !it.Seen.IsZero() {
			continue
		}
		nv, err := p.opts.Source.NoticeAction(ctx, it.ID, localapi.NoticeSeen)
		if err != nil {
			p.log.Warn("marking a notice seen", "id", it.ID, "err", err)
			continue
		}
		v = nv
	}
	return v
}

// Act records the employee's action on notice id and shows the new view.
func (p *Page) Act(id, action string) {
	if p.state.Busy != "" {
		return // one at a time: the buttons are disabled meanwhile
	}
	p.state.Busy, p.state.ActionErr = id, nil
	p.render()
	p.work.Load(requestTimeout, func(ctx context.Context) func() {
		v, err := p.opts.Source.NoticeAction(ctx, id, action)
		return func() {
			p.state.Busy = ""
			p.state.ActionErr = err
			if err == nil {
				p.state.View, p.state.LoadedAt = v, p.opts.Now()
			}
			p.render()
		}
	})
}

// Check asks the service to read IT's feed now, then reads the notices.
func (p *Page) Check() {
	if p.state.Checking {
		return
	}
	p.state.Checking, p.state.ActionErr = true, nil
	p.render()
	p.work.Load(requestTimeout, func(ctx context.Context) func() {
		err := p.opts.Source.CheckNotices(ctx)
		return func() {
			p.state.Checking, p.state.ActionErr = false, err
			p.Refresh()
			p.render()
		}
	})
}

// ToggleDismissed folds or unfolds the dismissed notices.
func (p *Page) ToggleDismissed() {
	p.state.ShowDismissed = !p.state.ShowDismissed
	p.render()
}

// Close stops the requests and waits for the goroutines to end.
func (p *Page) Close() { p.work.Close() }

func (p *Page) render() {
	p.root.Objects = []fyne.CanvasObject{view(p.state, p.actions(), p.opts.Now())}
	p.root.Refresh()
}

func (p *Page) actions() actions {
	return actions{
		act:             p.Act,
		check:           p.Check,
		toggleDismissed: p.ToggleDismissed,
	}
}

// Rank orders severities, most urgent highest.
func Rank(severity string) int {
	switch severity {
	case "critical":
		return 2
	case "warning":
		return 1
	}
	return 0
}

// ordered is items most urgent first, then newest; the service's order
// breaks ties.
func ordered(items []localapi.NoticeItem) []localapi.NoticeItem {
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(a, b localapi.NoticeItem) int {
		return cmp.Or(cmp.Compare(Rank(b.Severity), Rank(a.Severity)), b.Created.Compare(a.Created))
	})
	return out
}
