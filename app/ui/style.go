// Package ui holds the building blocks every page of the app uses, so all
// pages share one look: headings, paragraphs, panels, copyable values.
package ui

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

func Heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	return l
}

func Subheading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func Para(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// Note is secondary text: technical details, fine print.
func Note(text string) *widget.Label {
	l := Para(text)
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// CommandBlock shows a command to run, set off like code, with a button
// that copies it exactly.
func CommandBlock(cmd string, clip fyne.Clipboard) fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	copyCmd := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { clip.SetContent(cmd) })
	copyCmd.Importance = widget.LowImportance
	return container.NewStack(bg, container.NewBorder(nil, nil, nil, copyCmd, Copyable(cmd, true)))
}

// Copyable is a value the employee may need to read out or paste: a phone
// number, a command.
func Copyable(text string, mono bool) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: mono})
	l.Selectable = true
	return l
}

// Hyperlink opens u; without one the text stays copyable.
func Hyperlink(text string, u *url.URL) fyne.CanvasObject {
	if u == nil {
		return Copyable(text, false)
	}
	return widget.NewHyperlink(text, u)
}

// Panel groups related lines under a title.
func Panel(title string, icon fyne.Resource, parts ...fyne.CanvasObject) fyne.CanvasObject {
	head := fyne.CanvasObject(Subheading(title))
	if icon != nil {
		head = container.NewHBox(widget.NewIcon(icon), head)
	}
	return widget.NewCard("", "", container.NewVBox(append([]fyne.CanvasObject{head}, parts...)...))
}

// Page lays out a page: heading, then its parts, scrolling when the window
// is small.
func Page(title string, parts ...fyne.CanvasObject) fyne.CanvasObject {
	body := container.NewVBox(append([]fyne.CanvasObject{Heading(title)}, parts...)...)
	return container.NewVScroll(container.NewPadded(body))
}

// Form lays out label/value rows.
func Form(rows ...fyne.CanvasObject) fyne.CanvasObject {
	return container.New(layout.NewFormLayout(), rows...)
}

func Key(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}
