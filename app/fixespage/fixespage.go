// Package fixespage is the Fixes page: the one-click repairs grouped by
// the problem they help with, a search, and for the fix picked its
// description, its parameters, the dry run ("What this will do"), a Run
// button, the live progress, the result and the employee's history.
//
// Like the other pages it keeps its state, does its waiting in goroutines
// it owns, and renders the state with a pure view function (view.go). A
// run belongs to the page, not to its widgets: closing the window (which
// only hides it) leaves a run going, and the page shows where it got to
// when it is opened again.
package fixespage

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/pagework"
	"github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/localapi"
)

// Options configure a Page.
type Options struct {
	Source Source
	// GetHelp opens Get help with the description filled in ("Still
	// broken? Get help"); nil hides the button.
	GetHelp func(text string)
	// Do runs fn on the UI goroutine; default fyne.Do. Tests queue it.
	Do     func(fn func())
	Now    func() time.Time
	Logger *slog.Logger
}

// requestTimeout bounds loading the list, a dry run or the history.
const requestTimeout = 20 * time.Second

// runMargin is added to a fix's own timeout for following its run: the
// runner ends the run at the fix's timeout, the margin covers the stream.
const runMargin = 2 * time.Minute

// maxLines is how many output lines of a run the page keeps.
const maxLines = 200

// State is everything the page shows.
type State struct {
	// List is the catalog last read; nil until the first answer.
	List *localapi.FixList
	// Err is why the last load failed; a partial list may stay.
	Err     error
	Loading bool
	// Query is the search text.
	Query string
	// Selected is the fix on display; "" shows the list.
	Selected string
	// Inputs are what the employee entered, by fix and parameter name.
	Inputs map[string]map[string]string
	// Plan is the dry run of the selected fix with the inputs; PlanErr
	// why it could not be made.
	Plan     *localapi.FixPlan
	PlanErr  error
	Planning bool
	// Runs are the runs of this session by fix id, the last of each.
	Runs map[string]*Run
	// History is the employee's earlier runs, newest first.
	History    *localapi.FixHistory
	HistoryErr error
	// Missing is a fix asked for by Open that the catalog does not offer
	// (IT turned it off, or it is not for this computer).
	Missing string

	planKey string // the fix and values Plan was asked for
}

// Run is one run of a fix.
type Run struct {
	Params  map[string]string
	Running bool
	// Step of Steps is the step under way, Summary what it does.
	Step, Steps int
	Summary     string
	// Lines are the last output lines.
	Lines []string
	// Result is the finished run; Err why it did not run (refused, or
	// the service away).
	Result *localapi.FixResult
	Err    error
}

// Page is the Fixes page. Its methods are called on the UI goroutine.
type Page struct {
	opts  Options
	log   *slog.Logger
	state State
	w     widgets

	body   *fyne.Container
	scroll *container.Scroll

	// flight loads the catalog once more when a refresh is asked for
	// during a load.
	flight pagework.Flight
	// pending is a fix to open once the list has loaded (Open before it).
	pending string
	// shownSelected is the fix the page showed last, to scroll to the top
	// when another is opened.
	shownSelected string

	work *pagework.Work
}

// New creates the page; nothing loads until Show or Refresh.
func New(opts Options) *Page {
	opts.Now = pagework.Clock(opts.Now)
	p := &Page{
		opts: opts, log: pagework.Logger(opts.Logger), work: pagework.New(opts.Do),
		state: State{Inputs: map[string]map[string]string{}, Runs: map[string]*Run{}},
	}
	p.w = newWidgets(p.SetQuery)
	p.body = container.NewVBox()
	p.scroll = container.NewVScroll(container.NewPadded(p.body))
	p.render()
	return p
}

// Object is the page's content; the same object for the page's lifetime.
func (p *Page) Object() fyne.CanvasObject { return p.scroll }

// State is what the page shows now.
func (p *Page) State() State { return p.state }

// Show is called when the page comes into view: the catalog and the
// history are read afresh.
func (p *Page) Show() {
	p.Refresh()
	p.loadHistory()
}

// Refresh reads the catalog again.
func (p *Page) Refresh() {
	if !p.flight.Start() {
		return
	}
	p.state.Loading = true
	p.render()
	p.spawn(requestTimeout, func(ctx context.Context) func() {
		list, err := p.opts.Source.Fixes(ctx)
		return func() {
			p.state.Loading, p.state.Err = false, err
			again := p.flight.Finish()
			if list != nil {
				p.state.List = list
			}
			if id := p.pending; id != "" && list != nil {
				p.pending = ""
				p.Open(id)
			}
			if p.state.Selected != "" {
				p.replan()
			}
			if again {
				p.Refresh()
			}
		}
	})
}

// loadHistory reads the employee's earlier runs.
func (p *Page) loadHistory() {
	p.spawn(requestTimeout, func(ctx context.Context) func() {
		h, err := p.opts.Source.History(ctx)
		return func() {
			p.state.HistoryErr = err
			if err == nil {
				p.state.History = h
			}
		}
	})
}

// Open shows the fix id (a health check's "Fix it"); before the catalog
// has loaded, once it has.
func (p *Page) Open(id string) {
	switch {
	case p.fix(id) != nil:
		p.selectFix(id)
	case p.state.List == nil:
		p.pending = id
		p.state.Selected = ""
		p.render()
	default:
		p.state.Selected, p.state.Missing = "", id
		p.render()
	}
}

// Select shows the fix id with its dry run.
func (p *Page) Select(id string) {
	if p.fix(id) == nil {
		return
	}
	p.selectFix(id)
}

// Back returns to the list.
func (p *Page) Back() {
	p.state.Selected, p.state.Missing = "", ""
	p.render()
}

// SetQuery filters the list by the words of q.
func (p *Page) SetQuery(q string) {
	if q == p.state.Query {
		return
	}
	p.state.Query = q
	if p.w.search.Text != q {
		p.w.search.SetText(q) // lands here again, changing nothing
	}
	p.render()
}

// SetParam records what the employee entered for the selected fix's
// parameter name and makes the dry run for it.
func (p *Page) SetParam(name, value string) {
	id := p.state.Selected
	if id == "" {
		return
	}
	in := p.state.Inputs[id]
	if in == nil {
		in = map[string]string{}
		p.state.Inputs[id] = in
	}
	if v, ok := in[name]; ok && v == value {
		return
	}
	in[name] = value
	p.w.setParam(name, value)
	p.replan()
	p.render()
}

func (p *Page) selectFix(id string) {
	f := p.fix(id)
	p.state.Selected, p.state.Missing = id, ""
	p.w.buildParams(*f, p.state.Inputs[id], p.SetParam)
	r := p.state.Runs[id]
	p.w.enableParams(r == nil || !r.Running)
	p.replan()
	p.render()
}

// replan asks for the dry run of the selected fix with the current
// inputs, unless it is on screen already or the inputs are wrong.
func (p *Page) replan() {
	f := p.fix(p.state.Selected)
	if f == nil {
		return
	}
	values, problems := checkParams(*f, p.state.Inputs[f.ID])
	if len(problems) > 0 {
		p.state.Plan, p.state.PlanErr, p.state.Planning, p.state.planKey = nil, nil, false, ""
		return
	}
	key := paramsKey(f.ID, values)
	if key == p.state.planKey && (p.state.Planning || p.state.Plan != nil) {
		return
	}
	p.state.planKey, p.state.Planning = key, true
	p.state.Plan, p.state.PlanErr = nil, nil
	fix := *f
	p.spawn(requestTimeout, func(ctx context.Context) func() {
		plan, err := p.opts.Source.Plan(ctx, fix, values)
		return func() {
			if p.state.planKey != key {
				return // the inputs changed meanwhile: a newer plan is coming
			}
			p.state.Planning = false
			p.state.Plan, p.state.PlanErr = plan, err
		}
	})
}

// Run runs the selected fix with the inputs. One run per fix at a time:
// the button is disabled while it runs.
func (p *Page) Run() {
	f := p.fix(p.state.Selected)
	if f == nil || !f.Available {
		return
	}
	if r := p.state.Runs[f.ID]; r != nil && r.Running {
		return
	}
	values, problems := checkParams(*f, p.state.Inputs[f.ID])
	if len(problems) > 0 {
		return
	}
	run := &Run{Params: values, Running: true}
	if pl := p.state.Plan; pl != nil && pl.FixID == f.ID {
		run.Steps = len(pl.Steps)
	}
	p.state.Runs[f.ID] = run
	p.w.enableParams(false)
	p.render()

	fix := *f
	p.spawn(runTimeout(fix), func(ctx context.Context) func() {
		res, err := p.opts.Source.Run(ctx, fix, values, func(pr localapi.FixProgress) {
			p.progress(fix.ID, run, pr)
		})
		return func() {
			run.Running, run.Result, run.Err = false, res, err
			if p.state.Selected == fix.ID {
				p.w.enableParams(true)
			}
			p.loadHistory()
		}
	})
}

// GetHelp opens Get help with what the run of fix id did.
func (p *Page) GetHelp(id string) {
	f := p.fix(id)
	if f == nil || p.opts.GetHelp == nil {
		return
	}
	p.opts.GetHelp(helpText(*f, p.state.Runs[id]))
}

// Close stops following the runs and the requests, and waits for the
// goroutines to end. A system fix goes on in the service regardless.
func (p *Page) Close() { p.work.Close() }

// apply takes one progress report into the run.
func (r *Run) apply(pr localapi.FixProgress) {
	if pr.Steps > 0 {
		r.Steps = pr.Steps
	}
	if pr.Step > 0 {
		r.Step = pr.Step
	}
	switch pr.Event {
	case "step-started":
		r.Summary = pr.Summary
	case "output":
		r.Lines = append(r.Lines, pr.Line)
		if len(r.Lines) > maxLines {
			r.Lines = r.Lines[len(r.Lines)-maxLines:]
		}
	}
}

// runTimeout bounds following a run of fix.
func runTimeout(fix localapi.FixInfo) time.Duration {
	d := time.Duration(fix.TimeoutSeconds * float64(time.Second))
	if d <= 0 {
		d = fixes.DefaultTimeout
	}
	return d + runMargin
}

// fix is the listed fix id, or nil.
func (p *Page) fix(id string) *localapi.FixInfo { return findFix(p.state.List, id) }

// spawn runs load on a goroutine of the page and the function it returns
// on the UI goroutine, then renders; the result is dropped once the page
// is closed.
func (p *Page) spawn(timeout time.Duration, load func(ctx context.Context) func()) {
	p.work.Load(timeout, func(ctx context.Context) func() {
		apply := load(ctx)
		return func() {
			apply()
			p.render()
		}
	})
}

// progress takes a progress report into run on the UI goroutine. Only the
// progress line, bar and output change: a fix can print hundreds of lines
// a second, and rebuilding the page for each would fall behind.
func (p *Page) progress(id string, run *Run, pr localapi.FixProgress) {
	p.work.Post(func() {
		run.apply(pr)
		if p.state.Selected == id && p.state.Runs[id] == run {
			p.w.showProgress(run)
		}
	})
}

func (p *Page) render() {
	sel := p.state.Selected
	p.body.Objects = view(p.state, p.actions(), p.w, p.opts.Now())
	p.body.Refresh()
	p.w.showProgress(p.state.Runs[sel])
	if sel != p.shownSelected {
		p.shownSelected = sel
		p.scroll.ScrollToTop()
	}
}

func (p *Page) actions() actions {
	a := actions{
		selectFix: p.Select,
		back:      p.Back,
		run:       p.Run,
		refresh:   p.Refresh,
	}
	if p.opts.GetHelp != nil {
		a.getHelp = p.GetHelp
	}
	return a
}

// plural is "1 step", "3 steps".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// widgets are the inputs that live as long as the page, so typing is not
// interrupted when the page renders (progress arrives several times a
// second while a fix runs).
type widgets struct {
	search *widget.Entry
	// params are the selected fix's inputs in declaration order.
	params []paramInput
	// progLine and progBar say how far a run got; output shows its last
	// lines, and outScroll keeps them at the bottom.
	progLine  *widget.Label
	progBar   *widget.ProgressBar
	output    *widget.Label
	outScroll *container.Scroll
}

// paramInput is one parameter's input.
type paramInput struct {
	param  localapi.FixParam
	object fyne.CanvasObject
	set    func(string)
	enable func(bool)
}
