package fixespage

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/internal/localapi"
)

// outputHeight is the height of a run's output area: about eight lines.
const outputHeight = 150

func newWidgets(onSearch func(string)) widgets {
	search := widget.NewEntry()
	search.SetPlaceHolder("Search the fixes, for example: printer, slow, sound")
	search.ActionItem = widget.NewIcon(theme.SearchIcon())
	search.OnChanged = onSearch
	out := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	out.Selectable = true
	out.Wrapping = fyne.TextWrapBreak
	scroll := container.NewVScroll(out)
	scroll.SetMinSize(fyne.NewSize(0, outputHeight))
	// The line wraps: a step's summary can name a long folder, and a
	// label that does not wrap widens the window for good.
	line := widget.NewLabel("")
	line.Wrapping = fyne.TextWrapWord
	return widgets{search: search, progLine: line, progBar: widget.NewProgressBar(), output: out, outScroll: scroll}
}

// buildParams makes the inputs of fix's parameters, filled from in (what
// the employee entered before) or the initial values; set is told every
// change.
func (w *widgets) buildParams(fix localapi.FixInfo, in map[string]string, set func(name, value string)) {
	w.params = w.params[:0]
	for _, p := range fix.Params {
		v, ok := in[p.Name]
		if !ok {
			v = initialValue(p)
		}
		w.params = append(w.params, newParamInput(p, v, set))
	}
}

func newParamInput(p localapi.FixParam, value string, set func(name, value string)) paramInput {
	name := p.Name
	switch p.Kind {
	case "enum":
		s := widget.NewSelect(p.Enum, nil)
		s.SetSelected(value)
		s.OnChanged = func(v string) { set(name, v) }
		return paramInput{param: p, object: s, set: s.SetSelected, enable: enabler(s)}
	case "bool":
		c := widget.NewCheck(paramName(p), nil)
		c.SetChecked(value == "true")
		c.OnChanged = func(on bool) { set(name, boolText(on)) }
		return paramInput{param: p, object: c, set: func(v string) { c.SetChecked(v == "true") }, enable: enabler(c)}
	}
	e := widget.NewEntry()
	e.SetText(value)
	e.OnChanged = func(v string) { set(name, v) }
	return paramInput{param: p, object: e, set: func(v string) {
		if e.Text != v {
			e.SetText(v)
		}
	}, enable: enabler(e)}
}

func boolText(on bool) string {
	if on {
		return "true"
	}
	return "false"
}

// enabler turns a widget's Enable/Disable into one function.
func enabler(d fyne.Disableable) func(bool) {
	return func(on bool) {
		if on {
			d.Enable()
		} else {
			d.Disable()
		}
	}
}

// setParam shows value in the input of name, when it differs.
func (w *widgets) setParam(name, value string) {
	for _, in := range w.params {
		if in.param.Name == name {
			in.set(value)
		}
	}
}

// enableParams allows changing the parameters, or not while the fix runs.
func (w *widgets) enableParams(on bool) {
	for _, in := range w.params {
		in.enable(on)
	}
}

// showProgress shows how far r got and its last lines, the output
// scrolled to the end.
func (w *widgets) showProgress(r *Run) {
	if r == nil {
		r = &Run{}
	}
	w.progLine.SetText(progressLine(r))
	w.progBar.Max = float64(max(r.Steps, 1))
	// A step counts half once it started, so the bar moves as soon as
	// something happens.
	w.progBar.SetValue(min(float64(max(r.Step-1, 0))+0.5, w.progBar.Max))
	if r.Steps == 0 {
		w.progBar.SetValue(0)
	}
	text := strings.Join(r.Lines, "\n")
	if w.output.Text == text {
		return
	}
	w.output.SetText(text)
	w.outScroll.ScrollToBottom()
}

// progressLine is "Step 2 of 4: Restart the print service".
func progressLine(r *Run) string {
	if r.Step == 0 {
		return "Starting…"
	}
	return fmt.Sprintf("Step %d of %d: %s", r.Step, r.Steps, r.Summary)
}
