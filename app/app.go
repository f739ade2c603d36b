// Package app is the Firstline tray app: it follows the service's event
// stream and keeps the tray and the main window in step with it.
//
// All UI state lives on Fyne's UI goroutine. The one follower goroutine only
// talks to the service and hands what it learns over with fyne.Do, so the
// widgets, the tray controller and the [link.Snapshot] need no locks.
package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"github.com/firstline-it/firstline/app/computer"
	"github.com/firstline-it/firstline/app/fixespage"
	"github.com/firstline-it/firstline/app/gethelp"
	"github.com/firstline-it/firstline/app/gethelp/screen"
	"github.com/firstline-it/firstline/app/handover"
	"github.com/firstline-it/firstline/app/healthpanel"
	"github.com/firstline-it/firstline/app/link"
	"github.com/firstline-it/firstline/app/myreports"
	"github.com/firstline-it/firstline/app/nav"
	"github.com/firstline-it/firstline/app/noticespage"
	"github.com/firstline-it/firstline/app/notify"
	"github.com/firstline-it/firstline/app/tray"
	"github.com/firstline-it/firstline/app/window"
	"github.com/firstline-it/firstline/assets"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
)

// Backend is the service as the app uses it; *localapi.Client satisfies it.
type Backend interface {
	Status(ctx context.Context) (*localapi.Status, error)
	Follow(ctx context.Context, opts localapi.FollowOptions, onEvent func(localapi.Event))
}

// Options configure an [App].
type Options struct {
	// OpenWindow shows the main window at start. Autostart at login leaves it
	// closed; a launch from the applications menu opens it.
	OpenWindow bool
	// Dev is true when the service runs inside the app.
	Dev bool
	// SocketPath is where the backend connects, shown on the About page.
	SocketPath string
	// Version is the app's version; "" for a development build.
	Version string
	// Logger receives the app's logs; nil means slog.Default().
	Logger *slog.Logger
	// NoTrayHost is true when the desktop shows no tray icons.
	NoTrayHost bool
	// Login is the per-user "start at login" entry; nil hides the switch.
	Login window.LoginItem
	// DataDir is where the app keeps the report draft and the reports
	// waiting for the service; "" means handover.UserDir.
	DataDir string
	// Capture takes the screenshots for Get help; nil means
	// screen.Capture.
	Capture func(context.Context) ([]screen.Shot, error)
	// Do runs fn on the UI goroutine; nil means fyne.Do. Tests whose
	// driver runs fn at once on the caller's goroutine serialise with it.
	Do func(fn func())
	// Notify shows desktop notifications for new IT notices; nil means
	// the desktop's own service (notify.Desktop).
	Notify notify.Sender
	// NoticeCap is the most notice popups an hour; 0 means
	// notify.DefaultCap.
	NoticeCap int
	// FixesDir is the fixes.d folder the service reads, which the app
	// reads too for the fixes it runs itself; "" means the installed
	// service's (catalog.DefaultDir).
	FixesDir string
}

// ReportBackend is the service's report routes as the app uses them;
// *localapi.Client satisfies it. A Backend that also implements it gets
// the Get help form, My reports and the hand-over of reports kept while
// the service was away.
type ReportBackend interface {
	gethelp.Source
	myreports.Source
}

// statusTimeout bounds the status request made on each (re)connect; the
// window shows the stream's own version until it answers.
const statusTimeout = 10 * time.Second

// App is the running tray app.
type App struct {
	fa   fyne.App
	be   Backend
	opts Options
	log  *slog.Logger

	// computer is the This computer page; nil when the backend cannot
	// serve it.
	computer *computer.Page
	// gethelp, reports, outbox and courier exist when the backend takes
	// reports.
	gethelp *gethelp.Page
	reports *myreports.Page
	outbox  *handover.Outbox
	courier *handover.Courier
	// notices and notifier exist when the backend serves notices;
	// desktop when the app picked the desktop's notification service.
	notices  *noticespage.Page
	notifier *notify.Notifier
	desktop  *notify.Desktop
	// fixes and health exist when the backend serves fixes and checks.
	fixes  *fixespage.Page
	health *healthpanel.Panel

	// Touched only on the UI goroutine.
	win  *window.Window
	tray *tray.Controller // nil when the app has no tray host
	snap link.Snapshot
}

// New prepares the app on fa; the window exists (hidden) once New returns,
// so [App.Show] works even before [App.Run]. Call it on the main goroutine.
func New(fa fyne.App, be Backend, opts Options) *App {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	if opts.Do == nil {
		opts.Do = fyne.Do
	}
	a := &App{fa: fa, be: be, opts: opts, log: log}
	info := window.Info{
		AppVersion: opts.Version,
		SocketPath: opts.SocketPath,
		Dev:        opts.Dev,
		Login:      opts.Login,
		NoTrayHost: opts.NoTrayHost,
	}
	if src, ok := be.(computer.Source); ok {
		a.computer = computer.New(computer.Options{
			Source: src,
			Clip:   fa.Clipboard(),
			Launch: computer.Launch,
			Errors: func(err error) { dialog.ShowError(err, a.win.FyneWindow()) },
			Do:     opts.Do,
		})
		info.Computer = a.computer
	}
	if src, ok := be.(ReportBackend); ok {
		a.newReportPages(src, &info)
	}
	if src, ok := be.(noticespage.Source); ok {
		a.newNoticesPage(src, &info)
	}
	if svc, ok := be.(fixespage.Service); ok {
		a.newFixesPage(svc, &info)
	}
	if src, ok := be.(healthpanel.Source); ok {
		a.newHealthPanel(src, &info)
	}
	a.win = window.New(fa, info)
	return a
}

// newFixesPage creates the Fixes page: system fixes run in the service,
// user fixes in a runner of the app's own, recorded by the service.
func (a *App) newFixesPage(svc fixespage.Service, info *window.Info) {
	log := a.log.With("component", "fixes")
	router := &fixespage.Router{Service: svc, Caller: fixespage.CurrentCaller(), Logger: log}
	cat, run, err := fixespage.NewLocal(fixespage.LocalOptions{Dir: a.opts.FixesDir, Logger: log})
	if err != nil {
		// System fixes still work; the user fixes show as unavailable.
		log.Warn("the fixes that run in the app are not available", "err", err)
	} else {
		router.Local, router.Catalog = run, cat
	}
	opts := fixespage.Options{Source: router, Do: a.opts.Do, Logger: log}
	if a.gethelp != nil {
		opts.GetHelp = a.getHelpWith
	}
	a.fixes = fixespage.New(opts)
	info.Fixes = a.fixes
}

// newHealthPanel creates the health checks on Home.
func (a *App) newHealthPanel(src healthpanel.Source, info *window.Info) {
	opts := healthpanel.Options{Source: src, Do: a.opts.Do, Logger: a.log.With("component", "health")}
	if a.fixes != nil {
		opts.OpenFix = a.openFix
	}
	a.health = healthpanel.New(opts)
	info.Health = a.health
}

// openFix shows the Fixes page on fix id (a health check's "Fix it").
// Call on the UI goroutine.
func (a *App) openFix(id string) {
	a.fixes.Open(id)
	a.win.Show(nav.Fixes)
}

// getHelpWith opens Get help with text in the description ("Still
// broken? Get help"). Call on the UI goroutine.
func (a *App) getHelpWith(text string) {
	a.gethelp.Prefill(text)
	a.win.Show(nav.GetHelp)
}

// newNoticesPage creates the Notices page and the desktop notifications
// for the notices it reads.
func (a *App) newNoticesPage(src noticespage.Source, info *window.Info) {
	sender := a.opts.Notify
	if sender == nil {
		a.desktop = notify.NewDesktop(a.fa)
		sender = a.desktop
	}
	path := ""
	if dir := a.dataDir(); dir != "" {
		path = filepath.Join(dir, "notified.json")
	}
	a.notifier = notify.New(notify.Options{
		Sender: sender,
		Path:   path,
		Cap:    a.opts.NoticeCap,
		Open:   a.openNotices,
		Logger: a.log.With("component", "notify"),
	})
	a.notices = noticespage.New(noticespage.Options{
		Source: src,
		Loaded: func(ctx context.Context, v localapi.NoticeView) { a.notifier.Consider(ctx, v) },
		Do:     a.opts.Do,
		Logger: a.log.With("component", "notices"),
	})
	info.Notices = a.notices
}

// newReportPages creates Get help, My reports and the outbox they share.
func (a *App) newReportPages(src ReportBackend, info *window.Info) {
	dir := a.dataDir()
	capture := a.opts.Capture
	if capture == nil {
		capture = screen.Capture
	}
	var outbox gethelp.Outbox
	var local myreports.Local
	draft := ""
	if dir != "" {
		a.outbox = handover.Open(filepath.Join(dir, "outbox"), handover.Options{Logger: a.log.With("component", "outbox")})
		a.courier = handover.NewCourier(a.outbox, src, handover.CourierOptions{
			Logger: a.log.With("component", "outbox"),
			OnDone: a.handedOver,
		})
		outbox, local, draft = a.outbox, a.outbox, filepath.Join(dir, "draft.json")
	}
	a.gethelp = gethelp.New(gethelp.Options{
		Source:    src,
		Outbox:    outbox,
		Capture:   capture,
		Retake:    func() { a.win.Recapture(nav.GetHelp) },
		PickFile:  a.pickFile,
		DraftPath: draft,
		Clip:      a.fa.Clipboard(),
		Logger:    a.log.With("component", "get-help"),
		Do:        a.opts.Do,
		OnSubmitted: func(report.Record) {
			a.reports.Refresh()
		},
		OpenReports: func() { a.win.Show(nav.Reports) },
	})
	cats := gethelp.DefaultCategories()
	a.reports = myreports.New(myreports.Options{
		Source:        src,
		Local:         local,
		Clip:          a.fa.Clipboard(),
		CategoryLabel: func(id string) string { return gethelp.CategoryLabel(cats, id) },
		GetHelp:       func() { a.win.Show(nav.GetHelp) },
		Do:            a.opts.Do,
	})
	info.GetHelp, info.Reports = a.gethelp, a.reports
}

// dataDir is the folder for the draft and the outbox; "" when the user
// has none (the form then keeps no draft and no outbox).
func (a *App) dataDir() string {
	if a.opts.DataDir != "" {
		return a.opts.DataDir
	}
	dir, err := handover.UserDir(a.opts.Dev)
	if err != nil {
		a.log.Warn("no folder to keep report drafts and unsent reports in", "err", err)
		return ""
	}
	return dir
}

// pickFile shows the file chooser for Get help.
func (a *App) pickFile(done func(fyne.URIReadCloser, error)) {
	d := dialog.NewFileOpen(done, a.win.FyneWindow())
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// handedOver follows a hand-over of the outbox: the pages show where the
// reports are now. It runs on the courier's goroutine.
func (a *App) handedOver(res handover.Result) {
	if res.Sent == 0 && res.Refused == 0 {
		return
	}
	a.opts.Do(a.reportsChanged)
}

// reportsChanged tells the report pages that the employee's reports
// changed. Call on the UI goroutine.
func (a *App) reportsChanged() {
	if a.reports == nil {
		return
	}
	a.gethelp.ReportsChanged()
	a.reports.Refresh()
}

// Run shows the app and blocks until it quits (the tray's Quit, or ctx
// ending). It must be called on the main goroutine, as fyne.App.Run must.
func (a *App) Run(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	a.start()
	followed := make(chan struct{})
	go func() {
		defer close(followed)
		a.follow(ctx)
	}()
	couriered := make(chan struct{})
	go func() {
		defer close(couriered)
		if a.courier != nil {
			a.courier.Kick() // reports kept at the last run go first
			a.courier.Run(ctx)
		}
	}()
	notified := make(chan struct{})
	go func() {
		defer close(notified)
		if a.desktop != nil {
			if err := a.desktop.Run(ctx, a.openNotices); err != nil {
				a.log.Info("no desktop notification service on the session bus; using the toolkit's", "err", err)
			}
		}
	}()
	stopQuit := context.AfterFunc(ctx, func() { fyne.Do(a.fa.Quit) })

	a.fa.Run()
	// The loop is gone: nothing may ask it to quit or post to it any more.
	stopQuit()
	cancel()
	<-followed
	<-couriered
	<-notified
	a.close()
	return nil
}

// close stops the pages' work, keeping the draft, and releases the outbox.
func (a *App) close() {
	if a.computer != nil {
		a.computer.Close()
	}
	if a.gethelp != nil {
		a.gethelp.Close()
		a.reports.Close()
	}
	if a.notices != nil {
		a.notices.Close()
	}
	if a.fixes != nil {
		a.fixes.Close()
	}
	if a.health != nil {
		a.health.Close()
	}
	if a.outbox != nil {
		if err := a.outbox.Close(); err != nil {
			a.log.Warn("closing the folder of unsent reports", "err", err)
		}
	}
}

// Show brings the main window forward on sec. It is safe from any
// goroutine: a second launch's request and tray clicks both end here.
func (a *App) Show(sec nav.Section) {
	fyne.Do(func() { a.win.Show(sec) })
}

// start installs the icon and the tray and draws the first state. It runs
// on the UI goroutine before the event loop starts.
func (a *App) start() {
	a.fa.SetIcon(fyne.NewStaticResource("firstline.png", assets.AppPNG()))
	if host, ok := a.fa.(tray.Host); ok {
		a.tray = tray.NewController(host, tray.Actions{Open: a.win.Show, Quit: a.fa.Quit})
		// A left click on the icon then opens the window where the host
		// supports it; the menu's "Open Firstline" covers the others.
		if tw, ok := a.fa.(interface{ SetSystemTrayWindow(fyne.Window) }); ok {
			tw.SetSystemTrayWindow(a.win.FyneWindow())
		}
	}
	a.snap.Remembered = a.remembered()
	a.render()
	if a.opts.OpenWindow {
		// Home unless a Show before Run already picked a section.
		a.win.Show(a.win.Section())
	}
}

// follow keeps the event stream open until ctx ends and hands every change
// to the UI goroutine.
func (a *App) follow(ctx context.Context) {
	opts := localapi.FollowOptions{OnConnection: func(c localapi.Connection) {
		a.post(ctx, func() { a.apply(a.snap.WithConnection(c)) })
		if c.Connected {
			if a.courier != nil {
				a.courier.Kick() // the service is back: hand over what waited
			}
			a.fetchStatus(ctx)
		}
	}}
	a.be.Follow(ctx, opts, func(ev localapi.Event) {
		if ev.Type != localapi.EventState {
			return // keep-alives change nothing on screen
		}
		a.post(ctx, func() { a.apply(a.snap.WithEvent(ev)) })
	})
}

// fetchStatus asks for the version, IT's contact details and who the
// service thinks we are; they can change only across a reconnect.
func (a *App) fetchStatus(ctx context.Context) {
	reqCtx, cancel := context.WithTimeout(ctx, statusTimeout)
	defer cancel()
	st, err := a.be.Status(reqCtx)
	if err != nil {
		a.log.Warn("reading the service's status", "err", err)
		return
	}
	a.post(ctx, func() {
		a.remember(st.Support)
		a.apply(a.snap.WithStatus(st))
	})
}

// supportKey is the preference holding IT's contact details from the last
// status, as JSON.
const supportKey = "it-support"

// remember keeps IT's contact details for the next start.
func (a *App) remember(sup localapi.Support) {
	b, err := json.Marshal(sup)
	if err != nil {
		return
	}
	a.fa.Preferences().SetString(supportKey, string(b))
}

// remembered reads what remember kept; zero when nothing (or garbage) is.
func (a *App) remembered() localapi.Support {
	var sup localapi.Support
	_ = json.Unmarshal([]byte(a.fa.Preferences().String(supportKey)), &sup)
	return sup
}

// post runs fn on the UI goroutine unless the app is shutting down by then.
func (a *App) post(ctx context.Context, fn func()) {
	a.opts.Do(func() {
		if ctx.Err() == nil {
			fn()
		}
	})
}

// apply makes next the current snapshot and shows it.
func (a *App) apply(next link.Snapshot) {
	if next.State != a.snap.State {
		a.logTransition(next)
	}
	changed := reportCounts(next) != reportCounts(a.snap)
	noticesChanged := noticeCounts(next) != noticeCounts(a.snap)
	healthChanged := healthCounts(next) != healthCounts(a.snap)
	a.snap = next
	a.render()
	if changed {
		a.reportsChanged()
	}
	if noticesChanged && a.notices != nil && next.Live != nil {
		// New notices arrived or some were read: the page reads them
		// and the notifier pops what is new.
		a.notices.Refresh()
	}
	if healthChanged && a.health != nil && next.Live != nil {
		// A check changed its verdict in the service: Home shows which.
		a.health.Refresh()
	}
}

// healthCounts is what the event stream says about the health checks.
func healthCounts(s link.Snapshot) localapi.HealthSummary {
	if s.Live == nil {
		return localapi.HealthSummary{Critical: -1}
	}
	return s.Live.Health
}

// openNotices brings the window forward on the Notices page: a critical
// notice arrived, or a notice's popup was clicked. Safe from any goroutine.
func (a *App) openNotices() {
	a.opts.Do(func() { a.win.Show(nav.Notices) })
}

// noticeCounts is what the event stream says about the employee's notices.
func noticeCounts(s link.Snapshot) localapi.NoticeSummary {
	if s.Live == nil {
		return localapi.NoticeSummary{Unread: -1}
	}
	return s.Live.Notices
}

// reportCounts is what the event stream says about the employee's reports;
// a change means a report moved on.
func reportCounts(s link.Snapshot) localapi.ReportSummary {
	if s.Live == nil {
		return localapi.ReportSummary{Pending: -1}
	}
	return s.Live.Reports
}

func (a *App) render() {
	if a.tray != nil {
		a.tray.Apply(trayState(a.snap))
	}
	a.win.Update(a.snap)
}

// logTransition logs link changes only, not every failed retry, so a
// stopped service costs one line, not one every few seconds.
func (a *App) logTransition(next link.Snapshot) {
	if next.State == link.Up {
		a.log.Info("connected to the service")
		return
	}
	a.log.Warn("lost the service", "state", next.State, "err", next.Err, "retry", next.Retry)
}

// trayState is what the tray shows for s.
func trayState(s link.Snapshot) tray.State {
	ts := tray.State{Service: s.State}
	if s.Live != nil {
		ts.Notices = s.Live.Notices.Unread
		ts.Critical = s.Live.Notices.Critical
		ts.ReportsNeedAttention = s.Live.Reports.NeedsAttention
		ts.HealthCritical = s.Live.Health.Critical
	}
	return ts
}
