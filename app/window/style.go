package window

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The building blocks every page uses, so all pages share one look.

func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	return l
}

func subheading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func para(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// note is secondary text: technical details, fine print.
func note(text string) *widget.Label {
	l := para(text)
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// commandBlock shows a command to run, set off like code, with a button
// that copies it exactly.
func commandBlock(cmd string, clip fyne.Clipboard) fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	copyCmd := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { clip.SetContent(cmd) })
	copyCmd.Importance = widget.LowImportance
	return container.NewStack(bg, container.NewBorder(nil, nil, nil, copyCmd, copyable(cmd, true)))
}

// copyable is a value the employee may need to read out or paste: a phone
// number, a command.
func copyable(text string, mono bool) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: mono})
	l.Selectable = true
	return l
}

// hyperlink opens u; without one the text stays copyable.
func hyperlink(text string, u *url.URL) fyne.CanvasObject {
	if u == nil {
		return copyable(text, false)
	}
	return widget.NewHyperlink(text, u)
}

// panel groups related lines under a title.
func panel(title string, icon fyne.Resource, parts ...fyne.CanvasObject) fyne.CanvasObject {
	head := fyne.CanvasObject(subheading(title))
	if icon != nil {
		head = container.NewHBox(widget.NewIcon(icon), head)
	}
	return widget.NewCard("", "", container.NewVBox(append([]fyne.CanvasObject{head}, parts...)...))
}

// page lays out a page: heading, then its parts, scrolling when the window
// is small.
func page(title string, parts ...fyne.CanvasObject) fyne.CanvasObject {
	body := container.NewVBox(append([]fyne.CanvasObject{heading(title)}, parts...)...)
	return container.NewVScroll(container.NewPadded(body))
}

// form lays out label/value rows.
func form(rows ...fyne.CanvasObject) fyne.CanvasObject {
	return container.New(layout.NewFormLayout(), rows...)
}

func key(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func toneIcon(t tone) fyne.Resource {
	switch t {
	case toneOK:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case toneProblem:
		return theme.NewErrorThemedResource(theme.WarningIcon())
	}
	return theme.ViewRefreshIcon()
}
