// Package window is the main window: a sidebar of sections and the page of
// the selected one. It shows a [link.Snapshot] and nothing else, so every
// state the service can be in is rendered by the tests with Fyne's test
// driver.
package window

import (
	"image/color"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/link"
	"github.com/firstline-it/firstline/app/nav"
	"github.com/firstline-it/firstline/assets"
)

const (
	// minWidth and minHeight are the smallest the window gets: enough for
	// the sidebar and a page's longest line without crowding.
	minWidth, minHeight = 760, 520
	// startWidth and startHeight leave room for a page's two panels
	// without scrolling.
	startWidth, startHeight = 880, 620
	// sidebarWidth fits the longest section name with its count.
	sidebarWidth = 210
)

// Info is what the window shows that does not come from the service.
type Info struct {
	// AppVersion is this app's version; "" for a development build.
	AppVersion string
	// SocketPath is where the app looks for the service.
	SocketPath string
	// Dev is true when the service runs inside the app.
	Dev bool
	// GOOS picks the OS whose commands the pages suggest; "" means this
	// one. Tests set it to check every OS's wording.
	GOOS string
	// NoTrayHost is true when the desktop shows no tray icons (GNOME
	// without the AppIndicator extension): Home then says where Firstline is.
	NoTrayHost bool
	// Login is the employee's "start at login" switch; nil hides it (dev
	// mode: a build in a work tree must not start at every login).
	Login LoginItem
	// Computer is the This computer page, which loads its own content;
	// nil shows the page as not available.
	Computer Page
	// GetHelp is the Get help form; nil shows what is coming.
	GetHelp Page
	// Reports is the My reports page; nil shows what is coming.
	Reports Page
	// Notices is the Notices page; nil shows what is coming.
	Notices Page
	// Fixes is the Fixes page; nil shows what is coming.
	Fixes Page
	// Health is the health checks on Home, run again each time Home is
	// shown; nil leaves them out.
	Health Page
}

// Page is a page that keeps its own state and loads it when shown.
type Page interface {
	Object() fyne.CanvasObject
	// Show is called each time the page comes into view.
	Show()
}

// Capturer is a page that takes a picture of the screen before the window
// covers it (Get help's screenshot).
type Capturer interface {
	// Capture takes the picture and calls ready on the UI goroutine once
	// the window may show.
	Capture(ready func())
}

// Leaver is a page that keeps what the employee did when they leave it or
// close the window (Get help's draft).
type Leaver interface {
	Leave()
}

// page is the stateful page of sec, or nil.
func (i Info) page(sec nav.Section) Page {
	switch sec {
	case nav.Computer:
		return i.Computer
	case nav.GetHelp:
		return i.GetHelp
	case nav.Reports:
		return i.Reports
	case nav.Notices:
		return i.Notices
	case nav.Fixes:
		return i.Fixes
	case nav.Home:
		return i.Health
	}
	return nil
}

// LoginItem is the per-user entry that starts the app at login.
type LoginItem interface {
	Enabled() bool
	Set(on bool) error
}

func (i Info) goos() string {
	if i.GOOS == "" {
		return runtime.GOOS
	}
	return i.GOOS
}

func (i Info) version() string {
	if i.AppVersion == "" {
		return "development build"
	}
	return i.AppVersion
}

// Window is the app's main window. Its methods must be called on the UI
// goroutine (inside fyne.Do from others).
type Window struct {
	win     fyne.Window
	clip    fyne.Clipboard
	info    Info
	snap    link.Snapshot
	current nav.Section
	list    *widget.List
	status  *widget.Label
	// statusIcon colours the sidebar's status line, so the state reads at
	// a glance from every page.
	statusIcon *widget.Icon
	content    *fyne.Container
	// visible is set while the window is on screen.
	visible bool
	// capturing is set while a page takes a picture of the screen before
	// the window shows; pending is the section to show then.
	capturing bool
	pending   nav.Section
}

// New creates the window, hidden. Closing it only hides it: the app lives
// on in the tray, and quitting is the tray's Quit.
//
// The window's content is built on the first Show, not here: laying out
// text loads the fonts (some 25 MiB with Fyne's emoji font), and an app that
// mostly waits in the tray must not pay that until someone opens it.
func New(fa fyne.App, info Info) *Window {
	w := &Window{win: fa.NewWindow("Firstline"), clip: fa.Clipboard(), info: info}
	w.win.SetIcon(appResource())
	w.win.SetCloseIntercept(w.Hide)
	return w
}

// build creates the window's content once.
func (w *Window) build() {
	if w.content != nil {
		return
	}
	w.list = widget.NewList(
		func() int { return len(nav.Sections()) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(nil), widget.NewLabel("My reports (99)"))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			sec := nav.Sections()[id]
			row := o.(*fyne.Container).Objects
			row[0].(*widget.Icon).SetResource(sectionIcon(sec))
			row[1].(*widget.Label).SetText(sidebarLabel(sec, w.snap))
		},
	)
	w.list.HideSeparators = true
	w.list.OnSelected = func(id widget.ListItemID) { w.open(nav.Sections()[id]) }
	w.status = widget.NewLabel("")
	w.status.Wrapping = fyne.TextWrapWord
	w.status.SizeName = theme.SizeNameCaptionText
	w.statusIcon = widget.NewIcon(nil)
	w.content = container.NewStack()

	footer := container.NewBorder(nil, nil, w.statusIcon, nil, w.status)
	sidebar := container.NewBorder(brand(), footer, nil, nil, w.list)
	w.win.SetContent(container.NewBorder(nil, nil,
		container.NewHBox(atLeast(sidebar, sidebarWidth, 0), widget.NewSeparator()), nil,
		atLeast(w.content, minWidth-sidebarWidth, minHeight)))
	w.win.Resize(fyne.NewSize(startWidth, startHeight))
	w.list.Select(int(w.current))
	w.refresh()
}

// Show brings the window forward on sec. A page that pictures the screen
// does so first, while the window is still out of the way.
func (w *Window) Show(sec nav.Section) {
	if w.capturing {
		w.pending = sec // shown once the picture is taken
		return
	}
	if c, ok := w.info.page(sec).(Capturer); ok && !w.visible {
		w.capturing, w.pending = true, sec
		c.Capture(func() {
			w.capturing = false
			w.present(w.pending)
		})
		return
	}
	w.present(sec)
}

// present shows the window on sec.
func (w *Window) present(sec nav.Section) {
	wasVisible := w.visible
	w.visible = true // before open, so the page is told it is shown
	switch {
	case w.content == nil:
		w.current = sec // the first build renders and shows it
		w.build()
	case sec != w.current:
		w.list.Select(int(sec)) // lands in open
		w.open(sec)
	case !wasVisible:
		if p := w.info.page(sec); p != nil {
			p.Show() // a window shown again may hold stale details
		}
	}
	w.win.Show()
	w.win.RequestFocus()
}

// Hide takes the window off the screen; the app lives on in the tray. The
// page on display keeps what the employee did.
func (w *Window) Hide() {
	w.leave(w.current)
	w.win.Hide()
	w.visible = false
}

// Recapture hides the window and shows it again on sec, so a page that
// pictures the screen sees it without the window.
func (w *Window) Recapture(sec nav.Section) {
	w.Hide()
	w.Show(sec)
}

func (w *Window) leave(sec nav.Section) {
	if l, ok := w.info.page(sec).(Leaver); ok && w.content != nil {
		l.Leave()
	}
}

// Update shows s: the sidebar's counts, the status line, and the open page.
// Before the window was first shown it only remembers s.
func (w *Window) Update(s link.Snapshot) {
	w.snap = s
	if w.content != nil {
		w.refresh()
	}
}

func (w *Window) refresh() {
	w.list.Refresh()
	w.status.SetText(w.snap.State.Describe())
	w.statusIcon.SetResource(toneIcon(toneOf(w.snap.State)))
	w.render()
}

// Section is the section on display, or about to be once a page has
// pictured the screen.
func (w *Window) Section() nav.Section {
	if w.capturing {
		return w.pending
	}
	return w.current
}

// FyneWindow is the underlying window, for the tray host and for tests.
func (w *Window) FyneWindow() fyne.Window { return w.win }

func (w *Window) open(sec nav.Section) {
	if sec == w.current && w.content != nil && len(w.content.Objects) > 0 {
		return
	}
	if sec != w.current {
		w.leave(w.current)
	}
	w.current = sec
	w.render()
	if p := w.info.page(sec); p != nil && w.visible {
		p.Show()
	}
}

func (w *Window) render() {
	w.content.Objects = []fyne.CanvasObject{build(w.current, w.snap, env{Info: w.info, clip: w.clip, errors: w.showError})}
	w.content.Refresh()
}

// brand is the sidebar's header: the app's icon and name.
func brand() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("Firstline", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.SizeName = theme.SizeNameSubHeadingText
	return container.NewPadded(container.NewHBox(appIcon(32), name, layout.NewSpacer()))
}

// atLeast keeps o at least width x height.
func atLeast(o fyne.CanvasObject, width, height float32) fyne.CanvasObject {
	floor := canvas.NewRectangle(color.Transparent)
	floor.SetMinSize(fyne.NewSize(width, height))
	return container.NewStack(floor, o)
}

func appResource() fyne.Resource {
	return fyne.NewStaticResource("firstline.png", assets.AppPNG())
}

func appIcon(px float32) fyne.CanvasObject {
	img := canvas.NewImageFromResource(appResource())
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSquareSize(px))
	return img
}

// showError tells the employee an action of theirs failed, in the window.
func (w *Window) showError(err error) {
	dialog.ShowError(err, w.win)
}
