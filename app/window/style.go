package window

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

func toneIcon(t tone) fyne.Resource {
	switch t {
	case toneOK:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case toneProblem:
		return theme.NewErrorThemedResource(theme.WarningIcon())
	}
	return theme.ViewRefreshIcon()
}
