// Package gethelp is the Get help page: the form an employee fills in to
// report a problem, everything that goes with the report shown before it
// leaves (the summary of this computer, the last hour's chart, their own
// files, and a screenshot only if they ask for it, with private parts
// blacked out), and the reference to quote once it is sent.
//
// A report is never lost. The form is kept as a draft while it is being
// written; Send hands the report to the service, and if the service cannot
// take it, keeps it on this computer (app/handover) under the same key, to
// be handed over when the service is back.
//
// The page keeps its state and does its waiting in goroutines it owns; the
// inputs are widgets that live as long as the page, and everything else on
// screen is a pure function of the state (view.go).
package gethelp

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"github.com/firstline-it/firstline/app/gethelp/screen"
	"github.com/firstline-it/firstline/app/pagework"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/sysinfo"
)

// Source is the service as the page uses it; *localapi.Client satisfies it.
type Source interface {
	SysInfo(ctx context.Context, sections ...sysinfo.Section) (*sysinfo.Snapshot, error)
	Chart(ctx context.Context, width, height int) ([]byte, error)
	SubmitReport(ctx context.Context, s *report.Submission) (*localapi.SubmitResult, error)
	Report(ctx context.Context, key report.Key) (*report.Record, error)
	// ReportSetup is IT's categories and log excerpts for the form.
	ReportSetup(ctx context.Context) (*localapi.ReportSetup, error)
}

// Outbox keeps a report on this computer when the service cannot take it;
// *handover.Outbox satisfies it.
type Outbox interface {
	Save(ctx context.Context, s report.Submission) (report.Record, error)
}

// Options configure a Page.
type Options struct {
	Source Source
	// Outbox keeps reports the service cannot take; nil shows the
	// failure instead.
	Outbox Outbox
	// Capture takes a picture of each monitor; nil offers no screenshot.
	Capture func(context.Context) ([]screen.Shot, error)
	// Retake hides the window and shows it again on this page, which
	// captures the screen without the window in the way; nil hides the
	// "Take a new screenshot" button.
	Retake func()
	// PickFile shows a file chooser and calls back with the file picked
	// (nil when cancelled); nil hides "Add a file".
	PickFile func(func(fyne.URIReadCloser, error))
	// DraftPath is the file the form is kept in while it is written; ""
	// keeps no draft.
	DraftPath string
	Clip      fyne.Clipboard
	// Categories are IT's list; nil means DefaultCategories.
	Categories []Category
	// Limits are the service's; zero means report.DefaultLimits.
	Limits report.Limits
	// OnSubmitted is called on the UI goroutine once a report was sent or
	// kept on this computer.
	OnSubmitted func(report.Record)
	// OpenReports shows My reports; nil hides the button.
	OpenReports func()
	// Logger receives what the employee does not need to read (default:
	// discard).
	Logger *slog.Logger
	// Do runs fn on the UI goroutine; default fyne.Do. Tests run it
	// directly.
	Do  func(fn func())
	Now func() time.Time
	// AutosaveEvery is how often a changed draft is written; 0 means
	// every 5 seconds, negative never (tests).
	AutosaveEvery time.Duration
	// FollowFirst is when a report just sent is first looked up again;
	// each later look-up waits twice as long. 0 means a second.
	FollowFirst time.Duration
}

// Timing of the page's background work.
const (
	loadTimeout    = 20 * time.Second
	captureTimeout = 10 * time.Second
	sendTimeout    = 60 * time.Second
	// settle lets the tray menu or a window that was just hidden leave the
	// screen before the picture is taken.
	settle = 300 * time.Millisecond
	// staleAfter is how old the summary may be when the form is shown
	// again before it is collected anew: it should show the computer as
	// it is while the problem happens.
	staleAfter = 5 * time.Minute
	// defaultAutosave is how often a changed draft is written.
	defaultAutosave = 5 * time.Second
	// followFor is how long the result of a report just sent follows its
	// state: delivery usually takes seconds, and My reports is there for
	// the rest.
	followFor = 2 * time.Minute
	// chartWidth and chartHeight are what the service draws; the page
	// shows a thumbnail, IT gets the full picture.
	chartWidth, chartHeight = 960, 360
)

// Page is the Get help page. Its methods are called on the UI goroutine.
type Page struct {
	opts  Options
	log   *slog.Logger
	state State
	f     *fields

	root     *fyne.Container // the form or the result
	form     fyne.CanvasObject
	details  *fyne.Container // the callback's number and time
	attached *fyne.Container // everything that goes with the report
	sendBox  *fyne.Container

	// dirty is set when the form changed since the draft was written.
	dirty bool
	// syncing is set while the widgets are filled from the state, so their
	// change callbacks do not mark the form as edited.
	syncing bool

	work *pagework.Work
}

// New creates the page, restoring the draft if there is one; nothing is
// loaded from the service until Show.
func New(opts Options) *Page {
	opts.Now = pagework.Clock(opts.Now)
	if opts.Categories == nil {
		opts.Categories = DefaultCategories()
	}
	if opts.Limits == (report.Limits{}) {
		opts.Limits = report.DefaultLimits()
	}
	opts.Logger = pagework.Logger(opts.Logger)
	if opts.FollowFirst <= 0 {
		opts.FollowFirst = time.Second
	}
	p := &Page{opts: opts, log: opts.Logger, work: pagework.New(opts.Do)}
	p.f = newFields(opts.Categories, p.edited)
	p.details = container.NewVBox()
	p.attached = container.NewVBox()
	p.sendBox = container.NewVBox()
	p.form = formPage(p.f, p.details, p.attached, p.sendBox)
	p.root = container.NewStack(p.form)
	p.start()
	if d, ok := p.loadDraft(); ok {
		p.restore(d)
	}
	p.render()
	p.autosave()
	return p
}

// Object is the page's content; the same object for the page's lifetime.
func (p *Page) Object() fyne.CanvasObject { return p.root }

// State is what the page shows now.
func (p *Page) State() State { return p.state }

// Show is called when the page comes into view: a form whose report was
// sent starts afresh, and the summary and chart are collected when missing
// or old.
func (p *Page) Show() {
	if p.state.Result != nil && p.state.leftResult {
		p.reset()
	}
	p.refreshAttachments()
}

// Prefill puts text in the description, after what the employee had
// written already: "Still broken? Get help" on the Fixes page starts a
// report with what the fix did. A report's result on screen gives way to a
// fresh form.
func (p *Page) Prefill(text string) {
	if p.state.Result != nil {
		p.reset()
	}
	form := p.f.read(p.state.Form)
	if strings.TrimSpace(form.Text) != "" {
		text = strings.TrimRight(form.Text, "\n") + "\n\n" + text
	}
	form.Text = text
	p.state.Form = form
	p.state.Problem = ""
	p.syncFields()
	p.dirty = true
	p.render()
}

// Leave is called when the employee leaves the page or closes the window:
// the form is kept as a draft, and a report's result is shown for the last
// time.
func (p *Page) Leave() {
	if p.state.Result != nil {
		p.state.leftResult = true
		return
	}
	p.saveDraft()
}

// Close keeps the draft and stops the page's work, waiting for it to end.
func (p *Page) Close() {
	if p.state.Result == nil {
		p.saveDraft()
	}
	p.work.Close()
}

// start opens a fresh form: a new key, as if the employee had just opened
// it.
func (p *Page) start() {
	now := p.opts.Now()
	p.state = State{Key: report.NewKey(now), Opened: now, Form: Form{}}
}

// reset clears the form for the next report after one was sent, and
// shows it from the top, where the next report starts.
func (p *Page) reset() {
	p.start()
	p.syncFields()
	p.render()
	if sc, ok := p.form.(*container.Scroll); ok {
		sc.ScrollToTop()
	}
}

// refreshAttachments collects the summary and the chart when they are
// missing, failed, or older than staleAfter.
func (p *Page) refreshAttachments() {
	s := &p.state
	if s.Loading || s.Sending || s.Result != nil {
		return
	}
	fresh := s.Snapshot != nil && s.Chart != nil && p.opts.Now().Sub(s.LoadedAt) < staleAfter
	if fresh {
		return
	}
	s.Loading = true
	p.render()
	p.work.Load(loadTimeout, func(ctx context.Context) func() {
		snap, err := p.opts.Source.SysInfo(ctx)
		png, cerr := p.opts.Source.Chart(ctx, chartWidth, chartHeight)
		thumb := decodeThumb(png, cerr)
		setup, serr := p.opts.Source.ReportSetup(ctx)
		return func() {
			s.Loading = false
			if serr != nil {
				p.opts.Logger.Debug("no report setup from the service", "err", serr)
			} else {
				s.Logs = setup.Logs
				if len(setup.Categories) > 0 {
					p.f.setCategories(categoriesOf(setup.Categories))
				}
			}
			s.Snapshot, s.SnapshotErr = snap, err
			s.Chart, s.ChartErr, s.chartThumb = png, cerr, thumb
			if cerr == nil && thumb == nil {
				s.Chart, s.ChartErr = nil, errBadChart
			}
			s.LoadedAt = p.opts.Now()
			p.render()
		}
	})
}

// ReportsChanged is called when the service says the employee's reports
// changed: the result on screen follows the report's state.
func (p *Page) ReportsChanged() {
	r := p.state.Result
	if r == nil || p.state.following {
		return
	}
	p.state.following = true
	key := p.state.Key
	p.work.Load(loadTimeout, func(ctx context.Context) func() {
		rec, err := p.opts.Source.Report(ctx, key)
		return func() {
			p.state.following = false
			if err == nil {
				p.showState(key, *rec)
			}
		}
	})
}

// showState shows rec as the result, if the result on screen is still
// key's: the employee may have started a new report meanwhile.
func (p *Page) showState(key report.Key, rec report.Record) {
	if p.state.Result == nil || p.state.Key != key {
		return
	}
	out := serviceOutcome(rec)
	p.state.Result = &out
	p.render()
}

// follow looks a report just sent up again a few times, at growing
// intervals, until it reached IT or got stuck: the event stream's counts
// do not change for a report delivered at once, which never shows as
// pending.
func (p *Page) follow(key report.Key) {
	p.work.Go(func(ctx context.Context) {
		for wait := p.opts.FollowFirst; wait <= followFor; wait *= 2 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			reqCtx, cancel := context.WithTimeout(ctx, loadTimeout)
			rec, err := p.opts.Source.Report(reqCtx, key)
			cancel()
			if err != nil {
				continue
			}
			p.work.Post(func() { p.showState(key, *rec) })
			if o := rec.State.Overall(); o == report.OverallSent || o == report.OverallNeedsAttention {
				return
			}
		}
	})
}

// autosave writes the draft now and then while it changes, so a crash or
// a power cut costs a few seconds of typing at most.
func (p *Page) autosave() {
	every := p.opts.AutosaveEvery
	if every < 0 {
		return
	}
	if every == 0 {
		every = defaultAutosave
	}
	p.work.Go(func(ctx context.Context) {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				p.work.Post(func() {
					if p.dirty && p.state.Result == nil {
						p.saveDraft()
					}
				})
			}
		}
	})
}

// edited is called by the input widgets on every change.
func (p *Page) edited() {
	if p.syncing {
		return
	}
	p.state.Form = p.f.read(p.state.Form)
	p.dirty = true
	details := p.state.Form.Callback.Method
	if p.state.Problem != "" && p.check() == "" {
		p.state.Problem = ""
		p.renderSend()
	}
	if details != p.state.shownMethod {
		p.renderDetails()
	}
}

func (p *Page) render() {
	if p.state.Result != nil {
		p.root.Objects = []fyne.CanvasObject{resultView(p.state, p.resultActions())}
		p.root.Refresh()
		return
	}
	if len(p.root.Objects) != 1 || p.root.Objects[0] != p.form {
		p.root.Objects = []fyne.CanvasObject{p.form}
		p.root.Refresh()
	}
	p.renderDetails()
	p.attached.Objects = attachedView(p.state, p.attachActions())
	p.attached.Refresh()
	p.renderSend()
}

func (p *Page) renderSend() {
	p.sendBox.Objects = sendView(p.state, p.Send)
	p.sendBox.Refresh()
}

func (p *Page) renderDetails() {
	p.state.shownMethod = p.state.Form.Callback.Method
	p.details.Objects = detailsView(p.state.Form.Callback.Method, p.f)
	p.details.Refresh()
}

func (p *Page) attachActions() attachActions {
	a := attachActions{
		skipSummary: func(skip bool) { p.setSkip(&p.state.Form.SkipSummary, skip) },
		skipChart:   func(skip bool) { p.setSkip(&p.state.Form.SkipChart, skip) },
		skipLog:     p.skipLog,
		reload: func() {
			p.state.LoadedAt = time.Time{}
			p.refreshAttachments()
		},
		removeFile: p.RemoveFile,
		include:    p.IncludeShot,
		choose:     p.ChooseShot,
		blackOut:   p.BlackOutRect,
		undo:       p.UndoBlackOut,
		limits:     p.opts.Limits,
	}
	if p.opts.PickFile != nil {
		a.addFile = p.pickFile
	}
	if p.opts.Retake != nil && p.opts.Capture != nil {
		a.retake = p.retake
	}
	return a
}

// setSkip records an unticked (or ticked again) attachment.
// skipLog leaves the log excerpt name out of the report, or puts it back.
func (p *Page) skipLog(name string, skip bool) {
	f := &p.state.Form
	if slices.Contains(f.SkipLogs, name) == skip {
		return
	}
	if skip {
		f.SkipLogs = append(f.SkipLogs, name)
	} else {
		f.SkipLogs = slices.DeleteFunc(f.SkipLogs, func(n string) bool { return n == name })
	}
	p.dirty = true
	p.render()
}

func (p *Page) setSkip(flag *bool, skip bool) {
	if *flag == skip {
		return
	}
	*flag = skip
	p.dirty = true
	p.render()
}

func (p *Page) resultActions() resultActions {
	a := resultActions{
		copy: func(s string) {
			if p.opts.Clip != nil {
				p.opts.Clip.SetContent(s)
			}
		},
		another: func() {
			p.reset()
			p.refreshAttachments()
		},
		openReports: p.opts.OpenReports,
	}
	return a
}
