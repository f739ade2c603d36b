package window

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/firstline-it/firstline/app/link"
	"github.com/firstline-it/firstline/app/nav"
)

// sidebarLabel is a section's name with the count that needs the
// employee, the same counts the tray menu shows.
func sidebarLabel(sec nav.Section, s link.Snapshot) string {
	n := 0
	if s.Live != nil {
		switch sec {
		case nav.Home:
			n = s.Live.Health.Critical
		case nav.Notices:
			n = max(s.Live.Notices.Unread, s.Live.Notices.Critical)
		case nav.Reports:
			n = s.Live.Reports.NeedsAttention
		}
	}
	if n == 0 {
		return sec.Title()
	}
	return fmt.Sprintf("%s (%d)", sec.Title(), n)
}

func sectionIcon(sec nav.Section) fyne.Resource {
	switch sec {
	case nav.Home:
		return theme.HomeIcon()
	case nav.GetHelp:
		return theme.HelpIcon()
	case nav.Fixes:
		return theme.SettingsIcon()
	case nav.Computer:
		return theme.ComputerIcon()
	case nav.Notices:
		return theme.MailComposeIcon()
	case nav.Reports:
		return theme.HistoryIcon()
	}
	return theme.InfoIcon()
}
