package healthpanel

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/ui"
	"github.com/firstline-it/firstline/internal/localapi"
)

// Button and phrase texts, shared with the tests.
const (
	Title          = "Health of this computer"
	ButtonFixIt    = "Fix it"
	ButtonRecheck  = "Re-check"
	PhraseChecking = "Checking this computer…"
)

type actions struct {
	recheck func()
	// openFix is nil when there is no Fixes page to open.
	openFix func(id string)
}

// view is the panel for a state.
func view(s State, a actions) fyne.CanvasObject {
	var parts []fyne.CanvasObject
	switch {
	case s.Report == nil && s.Err == nil:
		parts = append(parts, ui.Para(PhraseChecking))
	case s.Report == nil:
		parts = append(parts, ui.Note(trouble(s.Err)))
	default:
		if s.Err != nil {
			parts = append(parts, ui.Note(trouble(s.Err)+" What you see is from the last check."))
		}
		parts = append(parts, lines(s.Report.Checks, a)...)
	}
	return ui.Panel(Title, nil, append(parts, footer(s, a))...)
}

// lines are the checks that are not fine, or one line saying all are.
// Checks that could not run here (no battery, no backup agent) share one
// quiet line: they are not problems, and a list of "could not check"
// would bury the ones that are.
func lines(checks []localapi.HealthCheck, a actions) []fyne.CanvasObject {
	var probs []localapi.HealthCheck
	var unknown []string
	for _, c := range Problems(checks) {
		if c.Status == "unknown" {
			unknown = append(unknown, cmp.Or(c.Label, c.Name))
			continue
		}
		probs = append(probs, c)
	}
	fine := len(checks) - len(probs) - len(unknown)
	var out []fyne.CanvasObject
	switch {
	case len(probs) > 0:
	case fine == 0:
		out = append(out, ui.Para("No check could run on this computer."))
	case fine == 1:
		out = append(out, line(theme.NewSuccessThemedResource(theme.ConfirmIcon()), "The check is fine.", nil))
	default:
		out = append(out, line(theme.NewSuccessThemedResource(theme.ConfirmIcon()), fmt.Sprintf("All %d checks are fine.", fine), nil))
	}
	for _, c := range probs {
		var fix fyne.CanvasObject
		if c.FixID != "" && a.openFix != nil {
			id := c.FixID
			b := widget.NewButtonWithIcon(ButtonFixIt, theme.SettingsIcon(), func() { a.openFix(id) })
			if c.Status == "critical" {
				b.Importance = widget.HighImportance
			}
			fix = container.NewCenter(b)
		}
		out = append(out, line(statusIcon(c.Status), Message(c), fix))
	}
	var notes []string
	if len(probs) > 0 && fine == 1 {
		notes = append(notes, "The other check is fine.")
	} else if len(probs) > 0 && fine > 1 {
		notes = append(notes, fmt.Sprintf("The other %d checks are fine.", fine))
	}
	if len(unknown) > 0 {
		notes = append(notes, "Not checked on this computer: "+strings.Join(unknown, ", ")+".")
	}
	if len(notes) > 0 {
		out = append(out, ui.Note(strings.Join(notes, " ")))
	}
	return out
}

func line(icon fyne.Resource, msg string, right fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, nil, container.NewCenter(widget.NewIcon(icon)), right, ui.Para(msg))
}

// Message is what the line says: the employee's message, else the label
// and the technical summary.
func Message(c localapi.HealthCheck) string {
	if c.Message != "" {
		return c.Message
	}
	if c.Label != "" && c.Summary != "" {
		return c.Label + ": " + c.Summary
	}
	return c.Label + c.Summary
}

func statusIcon(status string) fyne.Resource {
	switch status {
	case "critical":
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	case "warning":
		return theme.NewWarningThemedResource(theme.WarningIcon())
	}
	return theme.QuestionIcon()
}

func footer(s State, a actions) fyne.CanvasObject {
	b := widget.NewButtonWithIcon(ButtonRecheck, theme.ViewRefreshIcon(), a.recheck)
	b.Importance = widget.LowImportance
	if s.Loading {
		b.Disable()
	}
	if s.LoadedAt.IsZero() {
		return container.NewHBox(b)
	}
	when := widget.NewLabel("Checked at " + s.LoadedAt.Format("15:04") + ".")
	when.SizeName = theme.SizeNameCaptionText
	return container.NewHBox(b, container.NewCenter(when))
}

// trouble explains why the checks could not run.
func trouble(err error) string {
	switch {
	case errors.Is(err, localapi.ErrUnreachable):
		return "The checks run in the Firstline service, which is not answering."
	case localapi.IsCode(err, localapi.CodeNotFound):
		return "This version of the Firstline service does not run health checks."
	}
	return "The checks could not be run: " + err.Error()
}
