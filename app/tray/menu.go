// Package tray is the tray icon and its menu. The menu is a pure function of
// a small comparable [State], and [Controller] hands it to the tray host only
// when that state changes: rebuilding a tray menu or icon on a timer makes
// menus flicker and leaks memory in some tray hosts.
package tray

import (
	"fmt"

	"fyne.io/fyne/v2"

	"github.com/firstline-it/firstline/app/link"
	"github.com/firstline-it/firstline/app/nav"
	"github.com/firstline-it/firstline/assets"
)

// State is everything the tray shows. It is comparable so the controller can
// tell a change from a repeat.
type State struct {
	Service link.State
	// Notices is the number of unread notices, Critical how many of them are
	// critical.
	Notices  int
	Critical int
	// ReportsNeedAttention counts reports IT could not take without the
	// employee's help.
	ReportsNeedAttention int
	// HealthCritical counts the health checks that are critical; warnings
	// do not badge the icon, so the badge keeps meaning "act now".
	HealthCritical int
}

// Actions are what the menu's items do.
type Actions struct {
	// Open shows the main window on a section.
	Open func(nav.Section)
	// Quit ends the app.
	Quit func()
}

// Menu returns the tray menu for s.
//
// Every feature item stays enabled whatever the service does: each opens
// its page, and the page explains what works right now. Disabling them would
// leave an employee with a greyed-out menu and no idea whom to call.
func Menu(s State, act Actions) *fyne.Menu {
	open := func(sec nav.Section) func() {
		return func() { act.Open(sec) }
	}
	status := fyne.NewMenuItem(s.Service.Describe(), nil)
	status.Disabled = true
	// IsQuit stops Fyne from appending a second Quit item of its own.
	quit := fyne.NewMenuItem("Quit", act.Quit)
	quit.IsQuit = true

	items := []*fyne.MenuItem{
		fyne.NewMenuItem("Get help…", open(nav.GetHelp)),
		fyne.NewMenuItem("Fixes", open(nav.Fixes)),
		fyne.NewMenuItem(noticesLabel(s), open(nav.Notices)),
		fyne.NewMenuItem(reportsLabel(s), open(nav.Reports)),
	}
	// The badge is never unexplained: the item says why and leads to
	// Home, where each problem has its "Fix it".
	if s.HealthCritical > 0 {
		items = append(items, fyne.NewMenuItem(healthLabel(s), open(nav.Home)))
	}
	items = append(items,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Open Firstline", open(nav.Home)),
		status,
		fyne.NewMenuItemSeparator(),
		quit,
	)
	return fyne.NewMenu("Firstline", items...)
}

func healthLabel(s State) string {
	if s.HealthCritical == 1 {
		return "1 problem on this computer…"
	}
	return fmt.Sprintf("%d problems on this computer…", s.HealthCritical)
}

func noticesLabel(s State) string {
	switch {
	case s.Critical > 0:
		return fmt.Sprintf("Notices (%d, %d critical)", max(s.Notices, s.Critical), s.Critical)
	case s.Notices > 0:
		return fmt.Sprintf("Notices (%d)", s.Notices)
	}
	return "Notices"
}

func reportsLabel(s State) string {
	if s.ReportsNeedAttention > 0 {
		return fmt.Sprintf("My reports (%d need attention)", s.ReportsNeedAttention)
	}
	return "My reports"
}

// Icon picks the tray icon for s. A service that is away wins over counts:
// they cannot be trusted then, and the grey icon is the one thing an
// employee must notice.
func Icon(s State) assets.TrayVariant {
	switch {
	case s.Service == link.Down || s.Service == link.NotResponding:
		return assets.TrayOffline
	case s.Notices > 0 || s.Critical > 0 || s.ReportsNeedAttention > 0 || s.HealthCritical > 0:
		return assets.TrayAttention
	}
	return assets.TrayNormal
}
