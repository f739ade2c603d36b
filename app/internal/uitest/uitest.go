// Package uitest reads what a Fyne object tree says, for tests that assert
// on a page's words and widgets rather than on pixels or layout.
package uitest

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Objects returns o and everything under it, in tree order. It follows
// containers and the content of cards, scrolls and splits, not widget
// renderers, so a wrapped label comes back as one widget.
func Objects(o fyne.CanvasObject) []fyne.CanvasObject {
	if o == nil {
		return nil
	}
	out := []fyne.CanvasObject{o}
	switch w := o.(type) {
	case *widget.Card:
		out = append(out, Objects(w.Content)...)
	case *container.Scroll:
		out = append(out, Objects(w.Content)...)
	case *container.Split:
		out = append(out, Objects(w.Leading)...)
		out = append(out, Objects(w.Trailing)...)
	case *fyne.Container:
		for _, c := range w.Objects {
			out = append(out, Objects(c)...)
		}
	}
	return out
}

// Find returns the objects of type T under o.
func Find[T fyne.CanvasObject](o fyne.CanvasObject) []T {
	var out []T
	for _, x := range Objects(o) {
		if t, ok := x.(T); ok {
			out = append(out, t)
		}
	}
	return out
}

// Texts returns the words of every label, link, button, card title and
// canvas text under o, in tree order.
func Texts(o fyne.CanvasObject) []string {
	var out []string
	for _, x := range Objects(o) {
		var s string
		switch w := x.(type) {
		case *widget.Label:
			s = w.Text
		case *widget.Hyperlink:
			s = w.Text
		case *widget.Button:
			s = w.Text
		case *widget.RichText:
			s = w.String()
		case *canvas.Text:
			s = w.Text
		case *widget.Card:
			s = strings.TrimSpace(w.Title + " " + w.Subtitle)
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Has reports whether some text under o contains sub.
func Has(o fyne.CanvasObject, sub string) bool {
	for _, s := range Texts(o) {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
