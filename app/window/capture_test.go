package window

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/nav"
)

// helpPage stands in for Get help: it records the order of events and
// lets the test decide when the picture is taken.
type helpPage struct {
	label  *widget.Label
	events []string
	ready  func()
}

func (p *helpPage) Object() fyne.CanvasObject { return p.label }
func (p *helpPage) Show()                     { p.events = append(p.events, "show") }
func (p *helpPage) Leave()                    { p.events = append(p.events, "leave") }
func (p *helpPage) Capture(ready func()) {
	p.events = append(p.events, "capture")
	p.ready = ready
}

// TestScreenIsPicturedBeforeTheWindowCoversIt: Get help from the tray
// takes its picture first, then the window appears on it.
func TestScreenIsPicturedBeforeTheWindowCoversIt(t *testing.T) {
	help := &helpPage{label: widget.NewLabel("the form")}
	w := newWindow(t, Info{GOOS: "linux", GetHelp: help})
	w.Show(nav.GetHelp)
	if w.visible || w.content != nil {
		t.Fatal("the window showed before the picture was taken")
	}
	if w.Section() != nav.GetHelp {
		t.Errorf("Section during the capture is %v", w.Section())
	}
	w.Show(nav.GetHelp) // a second click while capturing waits too
	if len(help.events) != 1 {
		t.Fatalf("events %v", help.events)
	}
	help.ready()
	if !w.visible || w.Section() != nav.GetHelp || w.page() != help.label {
		t.Fatalf("after the capture: visible %v on %v", w.visible, w.Section())
	}
	// Already on screen: no picture of Firstline itself.
	w.Show(nav.GetHelp)
	if got := join(help.events); got != "capture show" {
		t.Errorf("events %s", got)
	}
	// Leaving the page keeps the draft; so does closing the window.
	w.Show(nav.Home)
	w.Show(nav.GetHelp)
	w.Hide()
	if got := join(help.events); got != "capture show leave show leave" {
		t.Errorf("events %s", got)
	}
	// Recapture hides the window, pictures the screen and comes back.
	w.Recapture(nav.GetHelp)
	if w.visible || help.events[len(help.events)-1] != "capture" {
		t.Fatalf("recapture: visible %v, events %v", w.visible, help.events)
	}
	help.ready()
	if !w.visible {
		t.Error("the window did not come back")
	}
}

// plainPage is a page that only wants to know when it is shown.
type plainPage struct {
	label  *widget.Label
	events []string
}

func (p *plainPage) Object() fyne.CanvasObject { return p.label }
func (p *plainPage) Show()                     { p.events = append(p.events, "show") }

func TestReportsPageIsPluggedIn(t *testing.T) {
	reports := &plainPage{label: widget.NewLabel("my reports")}
	w := newWindow(t, Info{GOOS: "linux", Reports: reports})
	w.Show(nav.Reports)
	if w.page() != reports.label || join(reports.events) != "show" {
		t.Errorf("page %v, events %v", w.page(), reports.events)
	}
	// Without pages both sections still say what they will do.
	w2 := newWindow(t, linuxInfo)
	w2.Show(nav.GetHelp)
	if w2.page() == nil {
		t.Error("no page for Get help")
	}
}

func join(events []string) string {
	out := ""
	for i, e := range events {
		if i > 0 {
			out += " "
		}
		out += e
	}
	return out
}

// leavingPage records when it is shown and left.
type leavingPage struct{ plainPage }

func (p *leavingPage) Leave() { p.events = append(p.events, "leave") }

func TestNoticesPageIsPluggedIn(t *testing.T) {
	notices := &leavingPage{plainPage{label: widget.NewLabel("the notices")}}
	w := newWindow(t, Info{GOOS: "linux", Notices: notices})
	w.Show(nav.Notices)
	w.Show(nav.Home)
	if got := join(notices.events); got != "show leave" {
		t.Errorf("events %s", got)
	}
	w.Show(nav.Notices)
	if w.page() != notices.label {
		t.Errorf("page %v", w.page())
	}
}
