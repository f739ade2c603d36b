package fixespage

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/ui"
	"github.com/firstline-it/firstline/internal/fixes/audit"
	"github.com/firstline-it/firstline/internal/fixes/runner"
	"github.com/firstline-it/firstline/internal/localapi"
)

// Button and phrase texts, shared with the tests.
const (
	ButtonRun         = "Run this fix"
	ButtonRunAgain    = "Run again"
	ButtonBack        = "All fixes"
	ButtonGetHelp     = "Still broken? Get help"
	ButtonRetry       = "Try again"
	PhraseDryRun      = "What this will do"
	PhraseUnavailable = "not available on this computer"
	PhraseWorked      = "It worked"
	PhraseNothingRan  = "Nothing needed doing"
	PhraseFailed      = "It did not work"
	PhraseNoMatch     = "No fix matches"
	PhraseHistory     = "Your earlier fixes"
)

// shortOutput is the most output lines a finished run shows in full; more
// go in the scrolling area.
const shortOutput = 8

// historyRows is how many earlier runs the page lists.
const historyRows = 6

// actions are what the page's buttons do.
type actions struct {
	selectFix func(id string)
	back      func()
	run       func()
	refresh   func()
	// getHelp is nil when the app has no Get help.
	getHelp func(id string)
}

// view is the page for a state at now: the list, or the fix selected.
func view(s State, a actions, w widgets, now time.Time) []fyne.CanvasObject {
	if f := findFix(s.List, s.Selected); f != nil {
		return detailView(*f, s, a, w, now)
	}
	return listView(s, a, w, now)
}

func findFix(list *localapi.FixList, id string) *localapi.FixInfo {
	if list == nil || id == "" {
		return nil
	}
	for i := range list.Items {
		if list.Items[i].ID == id {
			return &list.Items[i]
		}
	}
	return nil
}

// listView is the catalog grouped by problem, filtered by the search.
func listView(s State, a actions, w widgets, now time.Time) []fyne.CanvasObject {
	parts := []fyne.CanvasObject{
		ui.Heading("Fixes"),
		ui.Para("Fix common problems yourself. Each fix tells you what it will do before it runs, " +
			"and whether it worked afterwards."),
	}
	if s.Err != nil {
		parts = append(parts, warning(loadTrouble(s.Err, s.List != nil && len(s.List.Items) > 0)))
	}
	if s.Missing != "" {
		parts = append(parts, warning("The fix that would help ("+s.Missing+") is not offered on this computer: "+
			"IT may have turned it off. Try the fixes below, or choose Get help."))
	}
	parts = append(parts, w.search)
	switch {
	case s.List == nil && s.Loading:
		return append(parts, ui.Para("Loading the fixes…"), widget.NewProgressBarInfinite())
	case s.List == nil:
		return append(parts, retryButton(a))
	}
	items := Filter(s.List.Items, s.Query)
	if len(items) == 0 && strings.TrimSpace(s.Query) != "" {
		parts = append(parts, ui.Para(fmt.Sprintf("%s “%s”. Try other words, or choose Get help to tell IT "+
			"about the problem.", PhraseNoMatch, strings.TrimSpace(s.Query))))
	}
	for _, g := range Grouped(items, s.List.Groups) {
		parts = append(parts, ui.Subheading(g.Name))
		for _, f := range g.Fixes {
			parts = append(parts, row(f, s.Runs[f.ID], a))
		}
	}
	return append(parts, historyPanel(s, "", now))
}

// row is one fix in the list: a button the size of its title and
// description.
func row(f localapi.FixInfo, r *Run, a actions) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(f.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	desc := widget.NewLabel(firstSentence(f.Description))
	desc.Truncation = fyne.TextTruncateEllipsis
	desc.SizeName = theme.SizeNameCaptionText
	head := []fyne.CanvasObject{title}
	if tag := runTag(r); tag != nil {
		head = append(head, tag)
	}
	if !f.Available {
		note := widget.NewLabel("— " + PhraseUnavailable)
		note.Importance = widget.LowImportance
		head = append(head, note)
	}
	// No padding between the two lines: labels carry their own, and a
	// row should read as one item.
	text := container.New(layout.NewCustomPaddedVBoxLayout(0), container.NewHBox(head...), desc)
	btn := widget.NewButton("", func() { a.selectFix(f.ID) })
	btn.Importance = widget.LowImportance
	chevron := widget.NewIcon(theme.NavigateNextIcon())
	return container.NewStack(btn, container.NewBorder(nil, nil, nil, chevron, text))
}

// runTag says how this session's run of a fix went, on its row.
func runTag(r *Run) fyne.CanvasObject {
	if r == nil {
		return nil
	}
	l := widget.NewLabel("")
	switch {
	case r.Running:
		l.SetText("running…")
		l.Importance = widget.HighImportance
	case r.Result != nil && r.Result.Outcome == "success":
		l.SetText("worked")
		l.Importance = widget.SuccessImportance
	default:
		l.SetText("did not work")
		l.Importance = widget.DangerImportance
	}
	return l
}

// detailView is one fix: what it does, its parameters, the dry run, the
// Run button, the run and the history of this fix.
func detailView(f localapi.FixInfo, s State, a actions, w widgets, now time.Time) []fyne.CanvasObject {
	back := widget.NewButtonWithIcon(ButtonBack, theme.NavigateBackIcon(), a.back)
	back.Importance = widget.LowImportance
	parts := []fyne.CanvasObject{
		container.NewHBox(back),
		ui.Heading(f.Title),
		ui.Note(f.Group + " · " + whereItRuns(f)),
		ui.Para(f.Description),
	}
	if !f.Available {
		parts = append(parts, warning("This fix needs a program that is not installed on this computer, so it "+
			"cannot run here. If you need it, choose Get help and IT will set it up."))
	}
	// Once the fix ran, how it went matters most: it comes first, where
	// the employee looks, and the dry run and Run again follow.
	r := s.Runs[f.ID]
	if r != nil {
		parts = append(parts, runPanel(f, r, a, w))
	}
	if len(w.params) > 0 {
		parts = append(parts, paramsPanel(f, s, w))
	}
	parts = append(parts, planPanel(f, s), runRow(f, s, r, a))
	return append(parts, historyPanel(s, f.ID, now))
}

// whereItRuns tells the employee who runs the fix.
func whereItRuns(f localapi.FixInfo) string {
	if isUser(f) {
		return "runs as you, in this app"
	}
	return "runs through the Firstline service, with the rights it needs — no password asked"
}

func paramsPanel(f localapi.FixInfo, s State, w widgets) fyne.CanvasObject {
	_, problems := checkParams(f, s.Inputs[f.ID])
	var rows []fyne.CanvasObject
	for _, in := range w.params {
		if in.param.Kind == "bool" {
			rows = append(rows, widget.NewLabel(""), in.object) // the box carries the label
		} else {
			rows = append(rows, ui.Key(paramName(in.param)), in.object)
		}
		if pr := problems[in.param.Name]; pr != "" {
			l := ui.Note(pr)
			l.Importance = widget.DangerImportance
			rows = append(rows, widget.NewLabel(""), l)
		} else if in.param.Kind == "int" {
			rows = append(rows, widget.NewLabel(""), ui.Note(fmt.Sprintf("From %d to %d.", in.param.Min, in.param.Max)))
		}
	}
	return ui.Panel("Options", nil, ui.Form(rows...))
}

// planPanel is the dry run: the steps and the exact commands.
func planPanel(f localapi.FixInfo, s State) fyne.CanvasObject {
	_, problems := checkParams(f, s.Inputs[f.ID])
	var parts []fyne.CanvasObject
	switch {
	case len(problems) > 0:
		parts = append(parts, ui.Para("Correct the options above to see the steps."))
	case s.Planning:
		parts = append(parts, ui.Para("Working out the steps…"))
	case s.PlanErr != nil:
		parts = append(parts, warning(runTrouble(s.PlanErr)))
	case s.Plan != nil:
		for _, st := range s.Plan.Steps {
			parts = append(parts, ui.Para(fmt.Sprintf("%d. %s", st.N, stepWords(st))))
			if len(st.Commands) > 0 {
				parts = append(parts, monoBlock(st.Commands))
			}
		}
		if d := time.Duration(s.Plan.TimeoutSeconds * float64(time.Second)); d > 0 {
			parts = append(parts, ui.Note("It is stopped if it takes longer than "+duration(d)+"."))
		}
	}
	return ui.Panel(PhraseDryRun, theme.ListIcon(), parts...)
}

// stepWords is a step's summary without the command it names, which the
// block under it shows exactly: "Run /usr/bin/x -y (if installed)" reads
// "Run (if installed):".
func stepWords(st localapi.FixPlanStep) string {
	if len(st.Commands) != 1 || !strings.Contains(st.Summary, st.Commands[0]) {
		return st.Summary
	}
	words := strings.Join(strings.Fields(strings.Replace(st.Summary, st.Commands[0], "", 1)), " ")
	if words == "" {
		words = "Run"
	}
	return words + ":"
}

// monoBlock shows lines exactly, set off like code: the programs a step
// runs, a short output.
func monoBlock(lines []string) fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	l := ui.Copyable(strings.Join(lines, "\n"), true)
	l.Wrapping = fyne.TextWrapBreak
	return container.NewPadded(container.NewStack(bg, l))
}

// runRow is the Run button and why it cannot be pressed.
func runRow(f localapi.FixInfo, s State, r *Run, a actions) fyne.CanvasObject {
	label := ButtonRun
	if r != nil && !r.Running {
		label = ButtonRunAgain
	}
	btn := widget.NewButtonWithIcon(label, theme.MediaPlayIcon(), a.run)
	btn.Importance = widget.HighImportance
	_, problems := checkParams(f, s.Inputs[f.ID])
	why := ""
	switch {
	case !f.Available:
		why = "This fix cannot run on this computer."
	case r != nil && r.Running:
		why = "Running — you can close this window, the fix carries on."
	case len(problems) > 0:
		why = "Correct the options above first."
	case s.PlanErr != nil:
		why = "The steps could not be worked out, so the fix cannot run now."
	case s.Planning || s.Plan == nil:
		why = "Waiting for the steps…"
	}
	if why == "" {
		return container.NewHBox(btn)
	}
	btn.Disable()
	return container.NewHBox(btn, container.NewCenter(caption(why)))
}

// runPanel is a run: its progress while it runs, then its result.
func runPanel(f localapi.FixInfo, r *Run, a actions, w widgets) fyne.CanvasObject {
	if r.Running {
		return progressPanel(r, w)
	}
	if r.Result == nil {
		parts := []fyne.CanvasObject{ui.Para(runTrouble(r.Err))}
		if a.getHelp != nil {
			parts = append(parts, container.NewHBox(helpButton(f.ID, a, widget.MediumImportance)))
		}
		return ui.Panel("The fix did not run", theme.NewWarningThemedResource(theme.WarningIcon()), parts...)
	}
	return resultPanel(f, r, a, w)
}

func progressPanel(r *Run, w widgets) fyne.CanvasObject {
	return ui.Panel("Running", theme.MediaPlayIcon(), w.progLine, w.progBar, outputBox(w))
}

// nothingRan says every step was skipped: the programs the fix uses are
// not on this computer, so "It worked" would be a promise nothing kept.
func nothingRan(res *localapi.FixResult) bool {
	for _, s := range res.Steps {
		if s.Status != "skipped" {
			return false
		}
	}
	return len(res.Steps) > 0
}

// outputBox is the run's output, set off like code.
func outputBox(w widgets) fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, w.outScroll)
}

func resultPanel(f localapi.FixInfo, r *Run, a actions, w widgets) fyne.CanvasObject {
	res := r.Result
	ok := res.Outcome == "success"
	var icon fyne.Resource = theme.NewSuccessThemedResource(theme.ConfirmIcon())
	title := PhraseWorked
	if ok && nothingRan(res) {
		title, icon = PhraseNothingRan, theme.InfoIcon()
	}
	if !ok {
		title, icon = PhraseFailed, theme.NewErrorThemedResource(theme.ErrorIcon())
	}
	head := ui.Subheading(title)
	head.Importance = widget.SuccessImportance
	if !ok {
		head.Importance = widget.DangerImportance
	}
	parts := []fyne.CanvasObject{ui.Para(res.Message)}
	if freed := Bytes(res.ReclaimedBytes); res.ReclaimedBytes > 0 && !strings.Contains(res.Message, freed) {
		parts = append(parts, ui.Para("Space freed: "+freed+"."))
	}
	if !ok && res.NextSteps != "" {
		parts = append(parts, ui.Key("What to try next"), ui.Para(res.NextSteps))
	}
	switch {
	case len(r.Lines) > shortOutput:
		parts = append(parts, outputBox(w))
	case len(r.Lines) > 0:
		// A few lines need no scrolling area around them.
		parts = append(parts, monoBlock(r.Lines))
	}
	if a.getHelp != nil {
		imp := widget.LowImportance
		if !ok {
			imp = widget.HighImportance
		}
		parts = append(parts, container.NewHBox(helpButton(f.ID, a, imp)))
	}
	box := container.NewVBox(append([]fyne.CanvasObject{container.NewHBox(widget.NewIcon(icon), head)}, parts...)...)
	return container.NewStack(widget.NewCard("", "", box), stripe(ok))
}

func helpButton(id string, a actions, imp widget.Importance) *widget.Button {
	b := widget.NewButtonWithIcon(ButtonGetHelp, theme.HelpIcon(), func() { a.getHelp(id) })
	b.Importance = imp
	return b
}

// stripe is a thin bar of the result's colour at the card's left edge.
func stripe(ok bool) fyne.CanvasObject {
	c := theme.Color(theme.ColorNameSuccess)
	if !ok {
		c = theme.Color(theme.ColorNameError)
	}
	bar := canvas.NewRectangle(c)
	bar.SetMinSize(fyne.NewSize(4, 0))
	return container.NewBorder(nil, nil, bar, nil)
}

// historyPanel lists the employee's earlier runs, of fix id or of all
// fixes when id is "".
func historyPanel(s State, id string, now time.Time) fyne.CanvasObject {
	var parts []fyne.CanvasObject
	var items []audit.Record
	if s.History != nil {
		for _, rec := range s.History.Items {
			if id == "" || rec.FixID == id {
				items = append(items, rec)
			}
		}
	}
	switch {
	case s.HistoryErr != nil && s.History == nil:
		parts = append(parts, ui.Note("Your earlier fixes could not be read from the Firstline service."))
	case len(items) == 0 && id == "":
		parts = append(parts, ui.Note("Fixes you run are listed here."))
	case len(items) == 0:
		parts = append(parts, ui.Note("You have not run this fix before."))
	}
	titles := map[string]string{}
	if s.List != nil {
		for _, f := range s.List.Items {
			titles[f.ID] = f.Title
		}
	}
	for _, rec := range items[:min(len(items), historyRows)] {
		parts = append(parts, historyLine(rec, titles, id == "", now))
	}
	return ui.Panel(PhraseHistory, theme.HistoryIcon(), parts...)
}

func historyLine(rec audit.Record, titles map[string]string, named bool, now time.Time) fyne.CanvasObject {
	var icon fyne.Resource
	word := ""
	switch rec.Result {
	case audit.ResultSuccess:
		icon, word = theme.NewSuccessThemedResource(theme.ConfirmIcon()), "worked"
	case audit.ResultFailed:
		icon, word = theme.NewErrorThemedResource(theme.ErrorIcon()), "did not work"
	default:
		icon, word = theme.NewWarningThemedResource(theme.WarningIcon()), "not run"
	}
	text := dayTime(rec.Start, now) + " · "
	if named {
		title := titles[rec.FixID]
		if title == "" {
			title = rec.FixID
		}
		text += title + " · "
	}
	text += word
	if rec.ReclaimedBytes > 0 {
		text += " · freed " + Bytes(rec.ReclaimedBytes)
	}
	if rec.Result != audit.ResultSuccess && rec.Reason != "" {
		text += " (" + rec.Reason + ")"
	}
	l := ui.Para(text)
	return container.NewBorder(nil, nil, widget.NewIcon(icon), nil, l)
}

// caption is a one-line note beside a button (a wrapping label would
// shrink to nothing in a row).
func caption(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameCaptionText
	return l
}

func retryButton(a actions) fyne.CanvasObject {
	b := widget.NewButtonWithIcon(ButtonRetry, theme.ViewRefreshIcon(), a.refresh)
	return container.NewHBox(b)
}

// loadTrouble explains a failed load of the catalog.
func loadTrouble(err error, partial bool) string {
	msg := "The fixes could not be read from the Firstline service."
	if errors.Is(err, localapi.ErrUnreachable) {
		msg = "The Firstline service is not answering."
	} else if localapi.IsCode(err, localapi.CodeNotFound) {
		msg = "The Firstline service cannot list fixes yet."
	}
	if partial {
		return msg + " Only the fixes this app runs itself are listed until it is back."
	}
	return msg
}

func warning(msg string) fyne.CanvasObject {
	l := ui.Para(msg)
	l.Importance = widget.WarningImportance
	return container.NewBorder(nil, nil, widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())), nil, l)
}

// Group is the fixes of one problem.
type Group struct {
	Name  string
	Fixes []localapi.FixInfo
}

// Grouped sorts items into groups in the order of names; groups not named
// there follow in the order they appear, and empty groups are left out.
func Grouped(items []localapi.FixInfo, names []string) []Group {
	order := slices.Clone(names)
	for _, it := range items {
		if !slices.Contains(order, it.Group) {
			order = append(order, it.Group)
		}
	}
	var out []Group
	for _, name := range order {
		g := Group{Name: name}
		for _, it := range items {
			if it.Group == name {
				g.Fixes = append(g.Fixes, it)
			}
		}
		if len(g.Fixes) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// Filter keeps the fixes whose title, description or group contain every
// word of query, case-insensitively.
func Filter(items []localapi.FixInfo, query string) []localapi.FixInfo {
	words := strings.Fields(strings.ToLower(query))
	var out []localapi.FixInfo
	for _, it := range items {
		hay := strings.ToLower(it.Title + " " + it.Description + " " + it.Group)
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(hay, w) }) {
			out = append(out, it)
		}
	}
	return out
}

// firstSentence is a description's first sentence, for the list.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// Bytes says a size the way the runner's messages do, in binary units as
// file managers show them: "512 bytes", "3.2 MB".
func Bytes(n int64) string {
	if n < 1024 {
		return plural(int(n), "byte")
	}
	return runner.HumanBytes(n)
}

// duration says a timeout in words: "30 seconds", "5 minutes", "1 hour".
func duration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return plural(int(d.Round(time.Second)/time.Second), "second")
	case d < time.Hour:
		return plural(int(d.Round(time.Minute)/time.Minute), "minute")
	}
	return plural(int(d.Round(time.Hour)/time.Hour), "hour")
}

// dayTime says when: "11:30" today, "yesterday 09:00", "Mon 3 Mar 14:03".
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
	case y1 == y2:
		return t.Format("Mon 2 Jan 15:04")
	}
	return t.Format("2 Jan 2006 15:04")
}
