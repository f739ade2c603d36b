package noticespage

import (
	"errors"
	"fmt"
	"image/color"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/ui"
	"github.com/firstline-it/firstline/internal/localapi"
)

// Button and phrase texts, shared with the tests.
const (
	ButtonAck       = "I've read this"
	ButtonMeToo     = "This affects me too"
	ButtonDismiss   = "Dismiss"
	ButtonCheck     = "Check for new notices"
	PhraseMeToo     = "You said this affects you"
	PhraseAcked     = "You confirmed you read this"
	PhraseEmpty     = "No notices from IT right now"
	PhraseEmptyNote = "When IT has something you should know about — an outage, planned maintenance, " +
		"a security warning — it appears here, and important ones also pop up on your desktop."
)

// actions are what the page's buttons do.
type actions struct {
	act             func(id, action string)
	check           func()
	toggleDismissed func()
}

// view is the page for a state at now.
func view(s State, a actions, now time.Time) fyne.CanvasObject {
	parts := []fyne.CanvasObject{
		ui.Para("What IT wants you to know, most urgent first."),
	}
	if s.Err != nil {
		parts = append(parts, warning(serviceTrouble(s.Err, s.View != nil)))
	}
	if s.ActionErr != nil {
		parts = append(parts, warning("That did not work: "+s.ActionErr.Error()))
	}
	v := s.View
	switch {
	case v == nil && s.Err == nil:
		parts = append(parts, ui.Para("Loading the notices…"), widget.NewProgressBarInfinite())
	case v != nil && len(v.Items) == 0:
		parts = append(parts, ui.Panel(PhraseEmpty, theme.ConfirmIcon(), ui.Para(PhraseEmptyNote)))
	}
	if v != nil {
		for _, it := range ordered(v.Items) {
			parts = append(parts, card(it, s.Busy, a, now, false))
		}
		if len(v.Dismissed) > 0 {
			parts = append(parts, dismissedSection(v.Dismissed, s, a, now))
		}
	}
	return ui.Page("Notices", append(parts, footer(s, a))...)
}

// dismissedSection lists the dismissed notices, folded unless asked.
func dismissedSection(items []localapi.NoticeItem, s State, a actions, now time.Time) fyne.CanvasObject {
	label, icon := fmt.Sprintf("Show dismissed (%d)", len(items)), theme.MenuDropDownIcon()
	if s.ShowDismissed {
		label, icon = fmt.Sprintf("Hide dismissed (%d)", len(items)), theme.MenuDropUpIcon()
	}
	btn := widget.NewButtonWithIcon(label, icon, a.toggleDismissed)
	btn.Importance = widget.LowImportance
	parts := []fyne.CanvasObject{container.NewHBox(btn)}
	if s.ShowDismissed {
		for _, it := range ordered(items) {
			parts = append(parts, card(it, s.Busy, a, now, true))
		}
	}
	return container.NewVBox(parts...)
}

// footer has the button that asks IT's feed now and when the page was read.
func footer(s State, a actions) fyne.CanvasObject {
	check := widget.NewButtonWithIcon(ButtonCheck, theme.ViewRefreshIcon(), a.check)
	check.Importance = widget.LowImportance
	if s.Checking || s.Loading {
		check.Disable()
	}
	if s.LoadedAt.IsZero() {
		return container.NewHBox(check)
	}
	updated := widget.NewLabel("Updated at " + s.LoadedAt.Format("15:04:05") + ".")
	updated.SizeName = theme.SizeNameCaptionText
	return container.NewHBox(check, container.NewCenter(updated))
}

// card shows one notice.
func card(it localapi.NoticeItem, busy string, a actions, now time.Time, dismissed bool) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(it.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	title.SizeName = theme.SizeNameSubHeadingText
	head := container.NewBorder(nil, nil, badge(it.Severity), nil, title)
	parts := []fyne.CanvasObject{head, ui.Note(when(it, now))}
	if strings.TrimSpace(it.Body) != "" {
		parts = append(parts, ui.Para(it.Body))
	}
	for _, l := range it.Links {
		parts = append(parts, linkRow(l))
	}
	if !it.Acked.IsZero() && it.RequireAck {
		parts = append(parts, done(PhraseAcked))
	}
	if !it.MeToo.IsZero() {
		parts = append(parts, done(PhraseMeToo))
	}
	if btns := buttons(it, busy != "", a, dismissed); len(btns) > 0 {
		parts = append(parts, container.NewHBox(btns...))
	}
	return container.NewStack(widget.NewCard("", "", container.NewVBox(parts...)), stripe(it.Severity))
}

// buttons are the actions the notice asks for.
func buttons(it localapi.NoticeItem, busy bool, a actions, dismissed bool) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	add := func(label string, icon fyne.Resource, action string, imp widget.Importance) {
		b := widget.NewButtonWithIcon(label, icon, func() { a.act(it.ID, action) })
		b.Importance = imp
		if busy {
			b.Disable()
		}
		out = append(out, b)
	}
	if it.RequireAck && it.Acked.IsZero() {
		add(ButtonAck, theme.ConfirmIcon(), localapi.NoticeAck, widget.HighImportance)
	}
	if it.Incident && it.MeToo.IsZero() {
		add(ButtonMeToo, theme.AccountIcon(), localapi.NoticeMeToo, widget.MediumImportance)
	}
	// A critical notice must stay in sight; a dismissed one is dismissed.
	if it.Severity != "critical" && !dismissed {
		add(ButtonDismiss, theme.VisibilityOffIcon(), localapi.NoticeDismiss, widget.LowImportance)
	}
	return out
}

// badge is the severity's icon and word.
func badge(severity string) fyne.CanvasObject {
	var icon fyne.Resource
	word := widget.NewLabelWithStyle(SeverityWord(severity), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	// The title's size, so the two sit on one line.
	word.SizeName = theme.SizeNameSubHeadingText
	switch severity {
	case "critical":
		icon = theme.NewErrorThemedResource(theme.ErrorIcon())
		word.Importance = widget.DangerImportance
	case "warning":
		icon = theme.NewWarningThemedResource(theme.WarningIcon())
		word.Importance = widget.WarningImportance
	default:
		icon = theme.InfoIcon()
	}
	return container.NewHBox(widget.NewIcon(icon), word)
}

// stripe is a thin bar of the severity's colour at the card's left edge.
func stripe(severity string) fyne.CanvasObject {
	var c color.Color = color.Transparent
	switch severity {
	case "critical":
		c = theme.Color(theme.ColorNameError)
	case "warning":
		c = theme.Color(theme.ColorNameWarning)
	}
	bar := canvas.NewRectangle(c)
	bar.SetMinSize(fyne.NewSize(4, 0))
	return container.NewBorder(nil, nil, bar, nil)
}

// SeverityWord is how the page names a severity.
func SeverityWord(severity string) string {
	switch severity {
	case "critical":
		return "Critical"
	case "warning":
		return "Warning"
	}
	return "Info"
}

// linkRow is a link the employee may open, or its title and address as
// text when IT did not allow its host or it is not https.
func linkRow(l localapi.NoticeLink) fyne.CanvasObject {
	if u := safeLink(l); u != nil {
		return widget.NewHyperlink(l.Title, u)
	}
	// Copyable, so the employee can still read the address out to IT.
	return ui.Copyable(l.Title+" ("+l.URL+")", false)
}

// safeLink accepts only clickable https links: the address comes from a
// feed, and a link must not launch anything but a browser.
func safeLink(l localapi.NoticeLink) *url.URL {
	u, err := url.Parse(l.URL)
	if !l.Clickable || err != nil || u.Scheme != "https" || u.Host == "" {
		return nil
	}
	return u
}

// when is the line under the title: posted, and until when.
func when(it localapi.NoticeItem, now time.Time) string {
	out := "posted " + dayTime(it.Created, now)
	if !it.Expires.IsZero() {
		out += " · until " + dayTime(it.Expires, now)
	}
	return out
}

// dayTime says when the way people do: "11:30" today, "tomorrow 09:00",
// "Mon 3 Mar 14:03".
func dayTime(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	y1, m1, d1 := t.Date()
	y2, m2, d2 := now.Date()
	day := time.Date(y1, m1, d1, 0, 0, 0, 0, time.Local)
	today := time.Date(y2, m2, d2, 0, 0, 0, 0, time.Local)
	switch {
	case day.Equal(today):
		return t.Format("15:04")
	case day.Equal(today.AddDate(0, 0, -1)):
		return "yesterday " + t.Format("15:04")
	case day.Equal(today.AddDate(0, 0, 1)):
		return "tomorrow " + t.Format("15:04")
	case y1 == y2:
		return t.Format("Mon 2 Jan 15:04")
	}
	return t.Format("2 Jan 2006 15:04")
}

// done is a quiet confirmation of what the employee did.
func done(msg string) fyne.CanvasObject {
	return container.NewBorder(nil, nil, widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon())), nil, ui.Note(msg))
}

// serviceTrouble explains a failed load, and that the page may be behind.
func serviceTrouble(err error, have bool) string {
	msg := "The notices could not be read from the Firstline service"
	if errors.Is(err, localapi.ErrUnreachable) {
		msg = "The Firstline service is not answering"
	} else if localapi.IsCode(err, localapi.CodeNotFound) {
		msg = "The Firstline service cannot show notices yet"
	}
	if have {
		return msg + ", so what you see may be out of date."
	}
	return msg + "."
}

func warning(msg string) fyne.CanvasObject {
	l := ui.Para(msg)
	l.Importance = widget.WarningImportance
	return container.NewBorder(nil, nil, widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())), nil, l)
}
