package gethelp

import (
	"errors"
	"fmt"
	"image"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/firstline-it/firstline/app/gethelp/screen"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/sysinfo"
)

// State is everything the page shows.
type State struct {
	// Key identifies the report from the moment the form opened, so a
	// retry or a hand-over from this computer reuses it.
	Key    report.Key
	Opened time.Time
	Form   Form

	Snapshot    *sysinfo.Snapshot
	SnapshotErr error
	Chart       []byte // PNG
	ChartErr    error
	Loading     bool
	LoadedAt    time.Time
	// Logs are the ends of the log files IT attaches to every report.
	Logs []localapi.LogExcerpt

	Shot ShotState

	// Problem says why Send refused.
	Problem string
	// FileProblem says why a file was not attached.
	FileProblem string
	Sending     bool
	// SendErr is why the last Send failed without the report being kept.
	SendErr error
	// Result is set once the report was sent or kept.
	Result *Outcome

	chartThumb  image.Image
	shownMethod report.CallbackMethod
	leftResult  bool // the employee left the result: the next Show starts afresh
	following   bool // a ReportsChanged lookup is under way
}

// Form is what the employee entered.
type Form struct {
	Text     string
	Category string // an id from Options.Categories; "" for none
	Severity report.Severity
	Callback report.Callback
	// SkipSummary and SkipChart are set when the employee unticked them:
	// both go with the report unless they say otherwise.
	SkipSummary bool
	SkipChart   bool
	// SkipLogs names the log excerpts the employee unticked.
	SkipLogs []string
	Files    []File
}

// File is a file the employee attached.
type File struct {
	// Name is what IT sees: the file's own name, made safe.
	Name string
	// Path is where it was read from, for the draft.
	Path string
	// Type is its MIME type.
	Type string
	Data []byte
}

// ShotState is the screenshot part of the form.
type ShotState struct {
	// Shots are the pictures taken when the form opened, one per monitor.
	Shots []screen.Shot
	Err   error
	// Capturing is set while pictures are being taken.
	Capturing bool
	TakenAt   time.Time
	// Include is the employee's opt-in; off until they tick it.
	Include bool
	// Chosen is the monitor to send.
	Chosen int
	// BlackOuts are the rectangles blacked out, in the chosen picture's
	// pixels, in the order drawn (Undo takes the last away).
	BlackOuts []image.Rectangle

	thumbs   []image.Image
	preview  *image.RGBA // the chosen picture with its black-outs
	retaking bool        // the employee asked for a new screenshot
}

// Category is one of IT's problem categories.
type Category struct {
	ID    string
	Label string
}

// DefaultCategories is the list the form offers until the service sends
// IT's.
func DefaultCategories() []Category {
	return categoriesOf(report.DefaultCategories())
}

func categoriesOf(list []report.Category) []Category {
	out := make([]Category, len(list))
	for i, c := range list {
		out[i] = Category{ID: c.ID, Label: c.Label}
	}
	return out
}

// CategoryLabel is the label of the category id in cats, or id itself
// when IT's list no longer has it.
func CategoryLabel(cats []Category, id string) string {
	for _, c := range cats {
		if c.ID == id {
			return c.Label
		}
	}
	return id
}

// severityLabels are the answers to "How bad is it?", most urgent first.
var severityLabels = []struct {
	sev   report.Severity
	label string
}{
	{report.SeverityBlocked, "I can't work"},
	{report.SeveritySlowed, "I can work, but it slows me down"},
	{report.SeverityQuestion, "I have a question"},
}

// SeverityLabel is how the form words a severity.
func SeverityLabel(s report.Severity) string {
	for _, l := range severityLabels {
		if l.sev == s {
			return l.label
		}
	}
	return string(s)
}

// callbackLabels are the answers to "How should IT get back to you?".
var callbackLabels = []struct {
	method report.CallbackMethod
	label  string
	// ask is the placeholder of the number field; "" hides it.
	ask string
}{
	{report.CallbackNone, "Any way is fine", ""},
	{report.CallbackPhone, "Call me", "Your phone number"},
	{report.CallbackEmail, "Email me", "Your email address, if not your usual one"},
	{report.CallbackChat, "Send me a chat message", "Your chat name (Teams, Slack, …)"},
}

// fields are the form's inputs. They live as long as the page, so typing
// never loses the cursor to a re-render.
type fields struct {
	text     *widget.Entry
	category *widget.Select
	severity *widget.RadioGroup
	callback *widget.Select
	number   *widget.Entry
	when     *widget.Entry
	cats     []Category
}

func newFields(cats []Category, changed func()) *fields {
	f := &fields{cats: cats}
	f.text = widget.NewMultiLineEntry()
	f.text.Wrapping = fyne.TextWrapWord
	f.text.SetMinRowsVisible(5)
	f.text.SetPlaceHolder("For example: Outlook keeps asking for my password since this morning.")
	f.text.OnChanged = func(string) { changed() }

	var labels []string
	for _, c := range cats {
		labels = append(labels, c.Label)
	}
	f.category = widget.NewSelect(labels, func(string) { changed() })
	f.category.PlaceHolder = "Choose what it is about (optional)"

	var sevs []string
	for _, s := range severityLabels {
		sevs = append(sevs, s.label)
	}
	f.severity = widget.NewRadioGroup(sevs, func(string) { changed() })

	var methods []string
	for _, c := range callbackLabels {
		methods = append(methods, c.label)
	}
	f.callback = widget.NewSelect(methods, nil)
	f.callback.SetSelectedIndex(0)
	f.callback.OnChanged = func(string) { changed() }
	f.number = widget.NewEntry()
	f.number.OnChanged = func(string) { changed() }
	f.when = widget.NewEntry()
	f.when.SetPlaceHolder("When suits you? For example: after 2 pm (optional)")
	f.when.OnChanged = func(string) { changed() }
	return f
}

// setCategories replaces the category choices, keeping the one chosen
// when the new list has it.
func (f *fields) setCategories(cats []Category) {
	chosen := ""
	if i := f.category.SelectedIndex(); i >= 0 && i < len(f.cats) {
		chosen = f.cats[i].ID
	}
	f.cats = cats
	labels := make([]string, len(cats))
	for i, c := range cats {
		labels[i] = c.Label
	}
	f.category.SetOptions(labels)
	f.category.ClearSelected()
	for i, c := range cats {
		if c.ID == chosen {
			f.category.SetSelectedIndex(i)
		}
	}
}

// read returns form with the inputs' values; files and ticks stay.
func (f *fields) read(form Form) Form {
	form.Text = f.text.Text
	form.Category = ""
	if i := f.category.SelectedIndex(); i >= 0 && i < len(f.cats) {
		form.Category = f.cats[i].ID
	}
	form.Severity = ""
	for _, s := range severityLabels {
		if s.label == f.severity.Selected {
			form.Severity = s.sev
		}
	}
	form.Callback = report.Callback{Method: report.CallbackNone}
	if i := f.callback.SelectedIndex(); i >= 0 && i < len(callbackLabels) {
		form.Callback.Method = callbackLabels[i].method
	}
	if form.Callback.Method != report.CallbackNone {
		form.Callback.Number = strings.TrimSpace(f.number.Text)
		form.Callback.When = strings.TrimSpace(f.when.Text)
	}
	return form
}

// write puts form's values into the inputs.
func (f *fields) write(form Form) {
	f.text.SetText(form.Text)
	f.category.ClearSelected()
	for i, c := range f.cats {
		if c.ID == form.Category {
			f.category.SetSelectedIndex(i)
		}
	}
	sev := ""
	for _, s := range severityLabels {
		if s.sev == form.Severity {
			sev = s.label
		}
	}
	f.severity.SetSelected(sev)
	f.callback.SetSelectedIndex(0)
	for i, c := range callbackLabels {
		if c.method == form.Callback.Method {
			f.callback.SetSelectedIndex(i)
		}
	}
	f.number.SetText(form.Callback.Number)
	f.when.SetText(form.Callback.When)
}

// syncFields fills the inputs from the state without marking the form
// edited.
func (p *Page) syncFields() {
	p.syncing = true
	defer func() { p.syncing = false }()
	p.f.write(p.state.Form)
}

// askFor is the number field's placeholder for a callback method.
func askFor(m report.CallbackMethod) string {
	for _, c := range callbackLabels {
		if c.method == m {
			return c.ask
		}
	}
	return ""
}

// check returns why the form cannot be sent yet, in the employee's words,
// or "".
func (p *Page) check() string {
	form, l := p.state.Form, p.opts.Limits
	switch {
	case strings.TrimSpace(form.Text) == "":
		return "Please describe the problem in a few words: what were you doing, and what happened?"
	case utf8.RuneCountInString(form.Text) > l.TextChars:
		return fmt.Sprintf("Your description is %d characters long; IT takes at most %d. Please shorten it, or attach the rest as a file.",
			utf8.RuneCountInString(form.Text), l.TextChars)
	case strings.ContainsRune(form.Text, 0):
		return "Your description contains a character that cannot be sent. Please type it again rather than pasting it."
	case form.Severity == "":
		return "Please choose how much the problem stops your work."
	}
	cb := form.Callback
	switch {
	case (cb.Method == report.CallbackPhone || cb.Method == report.CallbackChat) && cb.Number == "":
		return "Please say where IT can reach you: " + strings.ToLower(askFor(cb.Method)) + "."
	case utf8.RuneCountInString(cb.Number) > l.CallbackChars || utf8.RuneCountInString(cb.When) > l.CallbackChars:
		return fmt.Sprintf("Please keep how to reach you under %d characters.", l.CallbackChars)
	case strings.IndexFunc(cb.Number+cb.When, unicode.IsControl) >= 0:
		return "How to reach you must fit on one line."
	}
	return ""
}

// errBadChart: the service sent a chart that is not a picture.
var errBadChart = errors.New("the chart could not be read")
