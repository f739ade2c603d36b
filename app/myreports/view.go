package myreports

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/ui"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
)

// PhraseLocal is the state of a report still on this computer.
const PhraseLocal = "On this computer — not sent yet"

// actions are what the page's buttons do.
type actions struct {
	copy     func(string)
	category func(string) string
	getHelp  func() // nil hides the button
	refresh  func()
}

// view is the page for a state at now.
func view(s State, a actions, now time.Time) fyne.CanvasObject {
	parts := []fyne.CanvasObject{
		ui.Para("Every problem you reported, newest first. Quote the reference when you talk to IT."),
	}
	if s.Err != nil {
		parts = append(parts, notice(serviceTrouble(s.Err, fromService(s.Entries))))
	}
	if s.LocalErr != nil {
		parts = append(parts, notice("The reports waiting on this computer could not be read: "+s.LocalErr.Error()))
	}
	switch {
	case len(s.Entries) == 0 && !s.Loaded:
		parts = append(parts, ui.Para("Loading your reports…"), widget.NewProgressBarInfinite())
	case len(s.Entries) == 0 && s.Err == nil:
		parts = append(parts, emptyPanel(a))
	}
	for _, e := range s.Entries {
		parts = append(parts, entryCard(e, a, now))
	}
	refresh := widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), a.refresh)
	refresh.Importance = widget.LowImportance
	if s.Loading {
		refresh.Disable()
	}
	var foot fyne.CanvasObject = container.NewHBox(refresh)
	if !s.LoadedAt.IsZero() {
		foot = container.NewBorder(nil, nil, refresh, nil, ui.Note("Updated at "+s.LoadedAt.Format("15:04:05")+"."))
	}
	parts = append(parts, foot)
	return ui.Page("My reports", parts...)
}

// emptyPanel says how to report a problem when there is none yet.
func emptyPanel(a actions) fyne.CanvasObject {
	parts := []fyne.CanvasObject{
		ui.Para("When something does not work, click Get help on the left, or choose Get help… from the Firstline icon " +
			"next to the clock. Describe the problem in your own words; details about this computer are added for you. " +
			"You get a reference to quote, and you can follow your report here."),
	}
	if a.getHelp != nil {
		btn := widget.NewButtonWithIcon("Get help", theme.HelpIcon(), a.getHelp)
		btn.Importance = widget.HighImportance
		parts = append(parts, container.NewHBox(btn))
	}
	return ui.Panel("You have not reported a problem yet", nil, parts...)
}

// entryCard shows one report.
func entryCard(e Entry, a actions, now time.Time) fyne.CanvasObject {
	r := e.Record
	ref := widget.NewLabelWithStyle(string(r.Reference), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	ref.SizeName = theme.SizeNameSubHeadingText
	ref.Selectable = true
	title := ui.Para(r.Title)
	if strings.TrimSpace(r.Title) == "" {
		title = ui.Para("(no description)")
	}
	copyRef := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { a.copy(string(r.Reference)) })
	copyRef.Importance = widget.LowImportance
	head := container.NewBorder(nil, nil, ref, copyRef, title)

	parts := []fyne.CanvasObject{head, ui.Note(facts(r, a.category, now))}
	phrase, icon, why := stateOf(e)
	state := widget.NewLabelWithStyle(phrase, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	state.Wrapping = fyne.TextWrapWord
	parts = append(parts, container.NewBorder(nil, nil, widget.NewIcon(icon), nil, state))
	if why != "" {
		parts = append(parts, ui.Note(why))
	}
	for _, d := range r.State.Destinations {
		if t := ticketRow(d, r.Reference); t != nil {
			parts = append(parts, t)
		}
	}
	return widget.NewCard("", "", container.NewVBox(parts...))
}

// facts is the line under the title: category, when, how bad.
func facts(r report.Record, category func(string) string, now time.Time) string {
	var out []string
	if r.Category != "" {
		out = append(out, category(r.Category))
	}
	out = append(out, "written "+whenText(whenOf(r), now))
	if s := severityText(r.Severity); s != "" {
		out = append(out, s)
	}
	if n := len(r.Attachments); n > 0 {
		out = append(out, plural(n, "attachment"))
	}
	return strings.Join(out, " · ")
}

// stateOf is the phrase, icon and explanation for a report's state.
func stateOf(e Entry) (phrase string, icon fyne.Resource, why string) {
	r := e.Record
	overall := r.State.Overall()
	switch {
	case e.Local && overall == report.OverallNeedsAttention:
		return r.Phrase(), theme.NewErrorThemedResource(theme.WarningIcon()),
			"It is still on this computer. Please call IT and quote the reference."
	case e.Local:
		return PhraseLocal, theme.NewWarningThemedResource(theme.HistoryIcon()),
			"It goes to IT as soon as the Firstline service can take it. You don't need to do anything."
	}
	switch overall {
	case report.OverallSent:
		return r.Phrase(), theme.NewSuccessThemedResource(theme.ConfirmIcon()), ""
	case report.OverallNeedsAttention:
		return r.Phrase(), theme.NewErrorThemedResource(theme.WarningIcon()), "Please call IT and quote the reference."
	case report.OverallOffline:
		return r.Phrase(), theme.NewWarningThemedResource(theme.HistoryIcon()), ""
	}
	return r.Phrase(), theme.MailSendIcon(), ""
}

// ticketRow shows what a helpdesk made of the report, once it said. A
// destination that files the report under its reference in a place the
// employee cannot open (the inbox folder, an e-mail) has nothing to add.
func ticketRow(d report.Destination, ref report.Reference) fyne.CanvasObject {
	if d.TicketID == string(ref) {
		d.TicketID = ""
	}
	u := webLink(d.TicketURL)
	if d.TicketID == "" && u == nil && d.RemoteStatus == "" {
		return nil
	}
	label := "Ticket"
	if d.TicketID != "" {
		label = "Ticket " + d.TicketID
	}
	var parts []fyne.CanvasObject
	if u != nil {
		parts = append(parts, widget.NewHyperlink(label, u))
	} else {
		parts = append(parts, ui.Copyable(label, false))
	}
	if d.RemoteStatus != "" {
		parts = append(parts, ui.Note("status at the helpdesk: "+d.RemoteStatus))
	}
	return container.NewHBox(append([]fyne.CanvasObject{widget.NewIcon(theme.DocumentIcon())}, parts...)...)
}

// webLink accepts only http and https: the address comes from a helpdesk,
// and a link must not launch anything but a browser.
func webLink(raw string) *url.URL {
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	return u
}

// whenText says when, the way people do: "today 14:03", "yesterday
// 09:12", "Mon 3 Mar 14:03".
func whenText(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	y1, m1, d1 := t.Date()
	y2, m2, d2 := now.Date()
	day := time.Date(y1, m1, d1, 0, 0, 0, 0, time.Local)
	today := time.Date(y2, m2, d2, 0, 0, 0, 0, time.Local)
	switch {
	case day.Equal(today):
		return "today " + t.Format("15:04")
	case day.Equal(today.AddDate(0, 0, -1)):
		return "yesterday " + t.Format("15:04")
	case y1 == y2:
		return t.Format("Mon 2 Jan 15:04")
	}
	return t.Format("2 Jan 2006 15:04")
}

func severityText(s report.Severity) string {
	switch s {
	case report.SeverityBlocked:
		return "can't work"
	case report.SeveritySlowed:
		return "slowed down"
	case report.SeverityQuestion:
		return "a question"
	}
	return ""
}

// serviceTrouble explains a failed list, and that the page may be behind.
func serviceTrouble(err error, have bool) string {
	msg := "The list could not be read from the Firstline service"
	if errors.Is(err, localapi.ErrUnreachable) {
		msg = "The Firstline service is not answering"
	} else if localapi.IsCode(err, localapi.CodeNotFound) {
		msg = "The Firstline service cannot list reports yet"
	}
	if have {
		return msg + ", so what you see may be out of date. Reports waiting on this computer are shown as they are."
	}
	return msg + ". Reports waiting on this computer are shown; the others appear once it answers."
}

// fromService reports whether some entry came from the service.
func fromService(entries []Entry) bool {
	for _, e := range entries {
		if !e.Local {
			return true
		}
	}
	return false
}

func notice(msg string) fyne.CanvasObject {
	l := ui.Para(msg)
	l.Importance = widget.WarningImportance
	return container.NewBorder(nil, nil, widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())), nil, l)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
