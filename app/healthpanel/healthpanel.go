// Package healthpanel is the health checks on the Home page: one line for
// each check that is not fine, with a "Fix it" button when a fix would
// help, or a single line saying all is well. It is quiet on purpose: no
// popups, and the tray shows a badge only while something is critical.
//
// Like the pages it keeps its state, loads it in goroutines it owns and
// renders it with a pure view function.
package healthpanel

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

// Source runs the checks; *localapi.Client satisfies it.
type Source interface {
	Health(ctx context.Context, names ...string) (*localapi.HealthReport, error)
}

// Options configure a Panel.
type Options struct {
	Source Source
	// OpenFix opens the Fixes page on a fix ("Fix it"); nil hides the
	// buttons.
	OpenFix func(id string)
	// Do runs fn on the UI goroutine; default fyne.Do. Tests queue it.
	Do     func(fn func())
	Now    func() time.Time
	Logger *slog.Logger
}

// checkTimeout bounds one run of the checks; DNS and the update check may
// take a few seconds each.
const checkTimeout = 30 * time.Second

// State is everything the panel shows.
type State struct {
	// Report is the last report; nil until the first answer.
	Report *localapi.HealthReport
	// Err is why the last run failed; the last report stays on screen.
	Err      error
	Loading  bool
	LoadedAt time.Time
}

// Panel is the health part of Home. Its methods are called on the UI
// goroutine.
type Panel struct {
	opts  Options
	log   *slog.Logger
	root  *fyne.Container
	state State
	// flight runs the checks once more when asked during a run.
	flight pagework.Flight
	work   *pagework.Work
}

// New creates the panel; nothing runs until Show or Refresh.
func New(opts Options) *Panel {
	opts.Now = pagework.Clock(opts.Now)
	p := &Panel{opts: opts, log: pagework.Logger(opts.Logger), root: container.NewStack(), work: pagework.New(opts.Do)}
	p.render()
	return p
}

// Object is the panel; the same object for its lifetime.
func (p *Panel) Object() fyne.CanvasObject { return p.root }

// State is what the panel shows now.
func (p *Panel) State() State { return p.state }

// Show is called when Home comes into view: the checks run again.
func (p *Panel) Show() { p.Refresh() }

// Refresh runs the checks again (Re-check, or the service's counts
// changed).
func (p *Panel) Refresh() {
	if !p.flight.Start() {
		return
	}
	p.state.Loading = true
	p.render()
	p.work.Load(checkTimeout, func(ctx context.Context) func() {
		rep, err := p.opts.Source.Health(ctx)
		if err != nil {
			p.log.Debug("running the health checks", "err", err)
		}
		return func() {
			p.state.Loading, p.state.Err = false, err
			again := p.flight.Finish()
			if err == nil {
				p.state.Report, p.state.LoadedAt = rep, p.opts.Now()
			}
			p.render()
			if again {
				p.Refresh()
			}
		}
	})
}

// Close stops the checks and waits for the goroutine to end.
func (p *Panel) Close() { p.work.Close() }

func (p *Panel) render() {
	p.root.Objects = []fyne.CanvasObject{view(p.state, actions{recheck: p.Refresh, openFix: p.opts.OpenFix})}
	p.root.Refresh()
}

// Rank orders statuses, most urgent highest.
func Rank(status string) int {
	switch status {
	case "critical":
		return 3
	case "warning":
		return 2
	case "unknown":
		return 1
	}
	return 0
}

// Problems are the checks that are not fine, most urgent first; the
// service's order breaks ties.
func Problems(checks []localapi.HealthCheck) []localapi.HealthCheck {
	var out []localapi.HealthCheck
	for _, c := range checks {
		if Rank(c.Status) > 0 {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b localapi.HealthCheck) int { return cmp.Compare(Rank(b.Status), Rank(a.Status)) })
	return out
}
