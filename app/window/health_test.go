package window

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/internal/uitest"
	"github.com/firstline-it/firstline/app/nav"
	"github.com/firstline-it/firstline/internal/localapi"
)

// fakePage is a stateful page that counts how often it was shown.
type fakePage struct {
	obj   fyne.CanvasObject
	shows int
}

func (p *fakePage) Object() fyne.CanvasObject { return p.obj }
func (p *fakePage) Show()                     { p.shows++ }

func TestHomeShowsTheHealthChecksAndRunsThemWhenShown(t *testing.T) {
	health := &fakePage{obj: widget.NewLabel("All 7 checks are fine.")}
	info := linuxInfo
	info.Health = health
	w := newWindow(t, info)
	w.Update(connected())
	w.Show(nav.Home)
	if health.shows != 1 {
		t.Errorf("health shown %d times on opening Home, want 1", health.shows)
	}
	texts := uitest.Texts(w.page())
	at := func(s string) int {
		for i, x := range texts {
			if x == s {
				return i
			}
		}
		return -1
	}
	if h, svc := at("All 7 checks are fine."), at("Connected to Firstline service"); h < 0 || svc < 0 || h > svc {
		t.Errorf("health at %d, service at %d in %q: with the service up the checks come first", h, svc, texts)
	}
	w.Show(nav.About)
	w.Show(nav.Home)
	if health.shows != 2 {
		t.Errorf("health shown %d times after coming back to Home, want 2", health.shows)
	}

	w.Update(down(connected()))
	texts = uitest.Texts(w.page())
	if h, svc := at("All 7 checks are fine."), at("Firstline service is not running"); h < 0 || svc < 0 || h < svc {
		t.Errorf("health at %d, service at %d: with the service away its panel comes first", h, svc)
	}
}

func TestFixesPagePlugsIn(t *testing.T) {
	fixes := &fakePage{obj: widget.NewLabel("the fixes")}
	info := linuxInfo
	info.Fixes = fixes
	w := newWindow(t, info)
	w.Show(nav.Fixes)
	if !uitest.Has(w.page(), "the fixes") || fixes.shows != 1 {
		t.Errorf("Fixes page %q, shown %d times", uitest.Texts(w.page()), fixes.shows)
	}
}

func TestHomeCountsCriticalHealth(t *testing.T) {
	s := connected()
	s.Live.Health = localapi.HealthSummary{Critical: 2, Warning: 1}
	if got := sidebarLabel(nav.Home, s); got != "Home (2)" {
		t.Errorf("Home label %q, want the critical count", got)
	}
	s.Live.Health = localapi.HealthSummary{Warning: 3}
	if got := sidebarLabel(nav.Home, s); got != "Home" {
		t.Errorf("Home label %q: warnings do not count", got)
	}
}
