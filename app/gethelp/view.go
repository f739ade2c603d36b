package gethelp

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/firstline-it/firstline/app/gethelp/screen"
	"github.com/firstline-it/firstline/app/ui"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/sysinfo"
)

// attachActions are what the buttons about the attachments do; a nil one
// hides its button.
type attachActions struct {
	skipSummary, skipChart func(bool)
	skipLog                func(name string, skip bool)
	reload                 func()
	addFile                func()
	removeFile             func(int)
	include                func(bool)
	choose                 func(int)
	blackOut               func(image.Rectangle)
	undo                   func()
	retake                 func()
	limits                 report.Limits
}

// resultActions are what the buttons under a sent report do.
type resultActions struct {
	copy        func(string)
	another     func()
	openReports func() // nil hides the button
}

// Widths of what the page shows, for the usual window.
const (
	redactorWidth = 560
	chartThumbW   = 420
)

// formPage lays out the form around its inputs and the boxes the page
// fills from its state.
func formPage(f *fields, details, attached, sendBox *fyne.Container) fyne.CanvasObject {
	problem := ui.Panel("Your problem", nil,
		ui.Key("What's wrong?"),
		f.text,
		ui.Form(
			ui.Key("What is it about?"), f.category,
			ui.Key("How bad is it?"), f.severity,
			ui.Key("How should IT get back to you?"), container.NewVBox(f.callback, details),
		),
	)
	return ui.Page("Get help",
		ui.Para("Tell IT what is wrong, in your own words. Below you see everything that goes with your report before you send it."),
		problem,
		ui.Panel("What IT will receive", nil, attached),
		sendBox,
	)
}

// detailsView asks for a phone number or chat name when the employee
// wants to be contacted that way.
func detailsView(m report.CallbackMethod, f *fields) []fyne.CanvasObject {
	ask := askFor(m)
	if ask == "" {
		return nil
	}
	f.number.SetPlaceHolder(ask)
	return []fyne.CanvasObject{f.number, f.when}
}

// attachedView lists everything that goes with the report.
func attachedView(s State, a attachActions) []fyne.CanvasObject {
	parts := []fyne.CanvasObject{
		ui.Para("Everything listed here goes to IT with your report, and nothing else. Untick what you would rather not send."),
		widget.NewSeparator(),
	}
	parts = append(parts, summaryView(s, a)...)
	parts = append(parts, widget.NewSeparator())
	parts = append(parts, chartView(s, a)...)
	parts = append(parts, widget.NewSeparator())
	if len(s.Logs) > 0 {
		parts = append(parts, logsView(s, a)...)
		parts = append(parts, widget.NewSeparator())
	}
	parts = append(parts, filesView(s, a)...)
	parts = append(parts, widget.NewSeparator())
	parts = append(parts, shotView(s, a)...)
	return parts
}

func summaryView(s State, a attachActions) []fyne.CanvasObject {
	check := widget.NewCheck("Summary of this computer", func(on bool) { a.skipSummary(!on) })
	check.SetChecked(!s.Form.SkipSummary)
	switch {
	case s.Snapshot == nil && s.Loading:
		return []fyne.CanvasObject{check, ui.Note("Collecting details about this computer…"), widget.NewProgressBarInfinite()}
	case s.Snapshot == nil:
		check.Disable()
		msg := "Details about this computer could not be collected"
		if s.SnapshotErr != nil {
			msg += ": " + friendlyErr(s.SnapshotErr)
		}
		retry := widget.NewButtonWithIcon("Try again", theme.ViewRefreshIcon(), a.reload)
		return []fyne.CanvasObject{check, ui.Note(msg + " Your report can be sent without them."), container.NewHBox(retry)}
	}
	if s.Form.SkipSummary {
		return []fyne.CanvasObject{check, ui.Note("Not sent. IT may ask you about this computer instead.")}
	}
	sum := widget.NewLabelWithStyle(strings.TrimRight(s.Snapshot.Summary(), "\n"), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	sum.Wrapping = fyne.TextWrapWord
	detail := widget.NewLabelWithStyle(s.Snapshot.Detail(), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	detail.Wrapping = fyne.TextWrapWord
	parts := []fyne.CanvasObject{check, indent(sum), indent(widget.NewAccordion(widget.NewAccordionItem("Every detail", detail)))}
	if len(s.Snapshot.Redacted) > 0 {
		parts = append(parts, indent(ui.Note("Left out on purpose: "+redactedText(s.Snapshot.Redacted)+".")))
	}
	return parts
}

func chartView(s State, a attachActions) []fyne.CanvasObject {
	check := widget.NewCheck("Activity in the last hour", func(on bool) { a.skipChart(!on) })
	check.SetChecked(!s.Form.SkipChart)
	switch {
	case s.chartThumb == nil && s.Loading:
		return []fyne.CanvasObject{check, ui.Note("Drawing the chart…")}
	case s.chartThumb == nil:
		check.Disable()
		msg := "The chart could not be drawn"
		if s.ChartErr != nil {
			msg += ": " + friendlyErr(s.ChartErr)
		}
		return []fyne.CanvasObject{check, ui.Note(msg)}
	case s.Form.SkipChart:
		return []fyne.CanvasObject{check, ui.Note("Not sent.")}
	}
	return []fyne.CanvasObject{check,
		indent(fixedImage(s.chartThumb, chartThumbW)),
		indent(ui.Note("How busy the processor, memory, disk and network were, so IT can see when the trouble started."))}
}

// logsView shows each log excerpt IT attaches, with the lines that go.
func logsView(s State, a attachActions) []fyne.CanvasObject {
	var parts []fyne.CanvasObject
	for _, l := range s.Logs {
		name := l.Name
		check := widget.NewCheck("Log: "+name, func(on bool) { a.skipLog(name, !on) })
		skipped := slices.Contains(s.Form.SkipLogs, name)
		check.SetChecked(!skipped)
		switch {
		case l.Error != "":
			check.Disable()
			parts = append(parts, check, indent(ui.Note("Not attached: the file could not be read.")))
		case skipped:
			parts = append(parts, check, indent(ui.Note("Not sent.")))
		default:
			text := widget.NewLabelWithStyle(l.Text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
			text.Wrapping = fyne.TextWrapWord
			n := strings.Count(l.Text, "\n") + 1
			parts = append(parts, check, indent(widget.NewAccordion(widget.NewAccordionItem(fmt.Sprintf("The last %d lines", n), text))))
		}
	}
	return parts
}

func filesView(s State, a attachActions) []fyne.CanvasObject {
	parts := []fyne.CanvasObject{ui.Key("Your files")}
	if len(s.Form.Files) == 0 {
		parts = append(parts, indent(ui.Note("None yet. Add an error message you saved, a document that will not open, or a photo of the screen.")))
	}
	for i, f := range s.Form.Files {
		name := widget.NewLabel(f.Name)
		name.Truncation = fyne.TextTruncateEllipsis
		kind := ui.Note(TypeLabel(f.Type) + " · " + sizeText(int64(len(f.Data))))
		kind.Wrapping = fyne.TextWrapOff
		remove := widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), func() { a.removeFile(i) })
		remove.Importance = widget.LowImportance
		row := container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), container.NewHBox(kind, remove), name)
		parts = append(parts, indent(row))
	}
	if s.FileProblem != "" {
		parts = append(parts, indent(warning(s.FileProblem)))
	}
	if a.addFile != nil {
		add := widget.NewButtonWithIcon("Add a file…", theme.ContentAddIcon(), a.addFile)
		parts = append(parts, indent(beside(add, fmt.Sprintf("Up to %s each.", sizeText(a.limits.AttachmentBytes)))))
	}
	return parts
}

func shotView(s State, a attachActions) []fyne.CanvasObject {
	sh := s.Shot
	check := widget.NewCheck("A screenshot of my screen", a.include)
	check.SetChecked(sh.Include)
	var retake fyne.CanvasObject = layout.NewSpacer()
	if a.retake != nil {
		btn := widget.NewButtonWithIcon("Take a new screenshot", theme.MediaPhotoIcon(), a.retake)
		btn.Importance = widget.LowImportance
		retake = btn
	}
	switch {
	case sh.Capturing:
		check.Disable()
		return []fyne.CanvasObject{check, indent(ui.Note("Taking a screenshot…"))}
	case len(sh.Shots) == 0:
		check.Disable()
		msg := "No screenshot was taken. It is taken when you open Get help from the Firstline icon, before this window covers your screen."
		if sh.Err != nil {
			msg = "No screenshot could be taken: " + friendlyErr(sh.Err)
		}
		return []fyne.CanvasObject{check, indent(ui.Note(msg)), indent(container.NewHBox(retake))}
	case !sh.Include:
		return []fyne.CanvasObject{check, indent(ui.Note(fmt.Sprintf(
			"A picture of your screen was taken at %s, when you opened this form. It is only sent if you tick the box, and you can black out anything private first.",
			sh.TakenAt.Format("15:04")))), indent(container.NewHBox(retake))}
	}
	parts := []fyne.CanvasObject{check}
	if len(sh.Shots) > 1 {
		var picks []fyne.CanvasObject
		for i, shot := range sh.Shots {
			picks = append(picks, pickButton(shot.Name, sh.thumbs[i], i == sh.Chosen, func() { a.choose(i) }))
		}
		parts = append(parts, indent(ui.Note("Choose the screen that shows the problem:")), indent(container.NewHBox(picks...)))
	}
	chosen := sh.Shots[sh.Chosen].Image.Bounds().Size()
	undo := widget.NewButtonWithIcon("Undo", theme.ContentUndoIcon(), a.undo)
	if len(sh.BlackOuts) == 0 {
		undo.Disable()
	}
	parts = append(parts,
		indent(ui.Para("Drag across anything private, such as an email or a password, to black it out. What you see here is exactly what IT gets.")),
		indent(container.NewHBox(newRedactor(sh.preview, chosen, redactorWidth, a.blackOut))),
		indent(beside(container.NewHBox(undo, retake), blackOutCount(len(sh.BlackOuts)))),
	)
	return parts
}

func blackOutCount(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return "1 area blacked out"
	}
	return fmt.Sprintf("%d areas blacked out", n)
}

// pickButton is one monitor's thumbnail; the chosen one is marked.
func pickButton(name string, thumb image.Image, chosen bool, pick func()) fyne.CanvasObject {
	img := fixedImage(thumb, thumbW*3/4)
	label := name
	if chosen {
		label = "✓ " + name
	}
	btn := widget.NewButton(label, pick)
	if chosen {
		btn.Importance = widget.HighImportance
	}
	return container.NewVBox(img, btn)
}

// sendView is the Send button with what stops it.
func sendView(s State, send func()) []fyne.CanvasObject {
	var parts []fyne.CanvasObject
	if s.Problem != "" {
		parts = append(parts, warning(s.Problem))
	}
	if s.SendErr != nil {
		parts = append(parts, warning("Your report could not be sent, and could not be saved on this computer either. "+
			"Please try again, or call IT. Details for IT: "+s.SendErr.Error()))
	}
	btn := widget.NewButtonWithIcon("Send to IT", theme.MailSendIcon(), send)
	btn.Importance = widget.HighImportance
	if s.Sending {
		btn.Disable()
		return append(parts, beside(btn, "Sending…"))
	}
	return append(parts, beside(btn, "You get a reference to quote as soon as you send."))
}

// beside puts a note to the right of o, wrapping in the width left.
func beside(o fyne.CanvasObject, note string) fyne.CanvasObject {
	return container.NewBorder(nil, nil, o, nil, container.NewVBox(layout.NewSpacer(), ui.Note(note), layout.NewSpacer()))
}

// resultView is what the employee sees once the report is sent or kept.
func resultView(s State, a resultActions) fyne.CanvasObject {
	r := s.Result
	title, icon := "Your report is with IT", fyne.Resource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	switch {
	case r.Local:
		title, icon = "Your report is saved on this computer", theme.NewWarningThemedResource(theme.HistoryIcon())
	case r.Record.State.Overall() == report.OverallNeedsAttention:
		title, icon = "Your report needs attention", theme.NewErrorThemedResource(theme.WarningIcon())
	}
	ref := canvas.NewText(string(r.Reference), theme.Color(theme.ColorNameForeground))
	ref.TextSize = 40
	ref.TextStyle = fyne.TextStyle{Monospace: true}
	copyRef := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { a.copy(string(r.Reference)) })
	phrase := widget.NewLabelWithStyle(r.Phrase, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	phrase.Wrapping = fyne.TextWrapWord
	another := widget.NewButtonWithIcon("Report another problem", theme.ContentAddIcon(), a.another)
	buttons := container.NewHBox(another)
	if a.openReports != nil {
		see := widget.NewButtonWithIcon("See my reports", theme.HistoryIcon(), a.openReports)
		see.Importance = widget.HighImportance
		buttons.Objects = append([]fyne.CanvasObject{see}, buttons.Objects...)
	}
	return ui.Page("Get help",
		container.NewHBox(widget.NewIcon(icon), ui.Subheading(title)),
		ui.Panel("Your reference", nil,
			container.NewHBox(ref, container.NewCenter(copyRef)),
			ui.Para("Quote it when you talk to IT about this problem. You find it again under My reports.")),
		ui.Panel("Where it stands", nil, phrase, ui.Para(r.Why)),
		buttons,
	)
}

// warning is a message the employee must act on.
func warning(msg string) fyne.CanvasObject {
	l := ui.Para(msg)
	l.Importance = widget.DangerImportance
	return container.NewBorder(nil, nil, widget.NewIcon(theme.NewErrorThemedResource(theme.WarningIcon())), nil, l)
}

// indent sets a part off under its tick box.
func indent(o fyne.CanvasObject) fyne.CanvasObject {
	gap := canvas.NewRectangle(color.Transparent)
	gap.SetMinSize(fyne.NewSize(theme.Padding()*6, 0))
	return container.NewBorder(nil, nil, gap, nil, o)
}

// fixedImage shows img at width, keeping its proportions.
func fixedImage(img image.Image, width float32) fyne.CanvasObject {
	c := canvas.NewImageFromImage(img)
	c.FillMode = canvas.ImageFillContain
	c.ScaleMode = canvas.ImageScaleSmooth
	b := img.Bounds()
	c.SetMinSize(fyne.NewSize(width, width*float32(b.Dy())/float32(max(b.Dx(), 1))))
	return container.NewHBox(c)
}

// decodeThumb turns the service's chart into the thumbnail shown.
func decodeThumb(data []byte, err error) image.Image {
	if err != nil || data == nil {
		return nil
	}
	img, derr := png.Decode(bytes.NewReader(data))
	if derr != nil {
		return nil
	}
	return screen.Thumbnail(img, chartThumbW*2, chartThumbW)
}

// redactedText names the redaction rules the way an employee understands
// them.
func redactedText(rules []string) string {
	words := map[string]string{
		string(sysinfo.RuleHomePaths):   "your user name in file paths",
		string(sysinfo.RuleSerials):     "serial numbers",
		string(sysinfo.RuleMACs):        "hardware addresses",
		string(sysinfo.RuleWiFiSSID):    "Wi-Fi network names",
		string(sysinfo.RuleCmdline):     "program arguments",
		string(sysinfo.RuleEnvironment): "settings that may hold passwords",
	}
	var out []string
	for _, r := range rules {
		if w, ok := words[r]; ok {
			out = append(out, w)
		}
	}
	return strings.Join(out, ", ")
}

// friendlyErr keeps an error to what an employee can use; the log has the
// rest.
func friendlyErr(err error) string {
	var le *localapi.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, localapi.ErrUnreachable):
		return "the Firstline service is not answering."
	case errors.As(err, &le) && le.Code == localapi.CodeNotFound:
		return "the Firstline service cannot do this yet."
	}
	msg := err.Error()
	if len(msg) > 160 {
		msg = msg[:159] + "…"
	}
	return msg
}
