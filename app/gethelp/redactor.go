package gethelp

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// redactor shows the chosen picture large and turns a drag over it into a
// rectangle to black out, in the full picture's own pixels.
type redactor struct {
	widget.BaseWidget
	preview image.Image
	full    image.Point // the full picture's size
	width   float32     // the width it asks for
	onRect  func(image.Rectangle)

	dragging bool
	from, to fyne.Position
}

func newRedactor(preview image.Image, full image.Point, width float32, onRect func(image.Rectangle)) *redactor {
	r := &redactor{preview: preview, full: full, width: width, onRect: onRect}
	r.ExtendBaseWidget(r)
	return r
}

// Dragged follows the pointer; the first event says where the drag began.
func (r *redactor) Dragged(e *fyne.DragEvent) {
	if !r.dragging {
		r.dragging = true
		r.from = e.Position.Subtract(e.Dragged)
	}
	r.to = e.Position
	r.Refresh()
}

// DragEnd blacks out what the drag covered.
func (r *redactor) DragEnd() {
	if !r.dragging {
		return
	}
	r.dragging = false
	rect := toPixels(r.from, r.to, r.Size(), r.full)
	r.Refresh()
	r.onRect(rect)
}

// Cursor tells the employee the picture is for drawing on.
func (r *redactor) Cursor() desktop.Cursor { return desktop.CrosshairCursor }

func (r *redactor) CreateRenderer() fyne.WidgetRenderer {
	img := canvas.NewImageFromImage(r.preview)
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScaleSmooth
	sel := canvas.NewRectangle(color.NRGBA{A: 0x60})
	sel.StrokeColor = theme.Color(theme.ColorNamePrimary)
	sel.StrokeWidth = 2
	sel.Hide()
	border := canvas.NewRectangle(color.Transparent)
	border.StrokeColor = theme.Color(theme.ColorNameSeparator)
	border.StrokeWidth = 1
	return &redactorRenderer{r: r, img: img, sel: sel, border: border}
}

type redactorRenderer struct {
	r           *redactor
	img         *canvas.Image
	sel, border *canvas.Rectangle
}

func (rr *redactorRenderer) Layout(size fyne.Size) {
	rr.img.Resize(size)
	rr.border.Resize(size)
	r := rr.r
	if !r.dragging {
		rr.sel.Hide()
		return
	}
	x0, x1 := min(r.from.X, r.to.X), max(r.from.X, r.to.X)
	y0, y1 := min(r.from.Y, r.to.Y), max(r.from.Y, r.to.Y)
	x0, y0 = max(x0, 0), max(y0, 0)
	x1, y1 = min(x1, size.Width), min(y1, size.Height)
	rr.sel.Move(fyne.NewPos(x0, y0))
	rr.sel.Resize(fyne.NewSize(max(x1-x0, 0), max(y1-y0, 0)))
	rr.sel.Show()
}

func (rr *redactorRenderer) MinSize() fyne.Size {
	r := rr.r
	if r.full.X <= 0 {
		return fyne.NewSize(r.width, r.width/2)
	}
	return fyne.NewSize(r.width, r.width*float32(r.full.Y)/float32(r.full.X))
}

func (rr *redactorRenderer) Refresh() {
	if rr.img.Image != rr.r.preview {
		rr.img.Image = rr.r.preview
		rr.img.Refresh()
	}
	rr.Layout(rr.r.Size())
	rr.sel.Refresh()
}

func (rr *redactorRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{rr.img, rr.border, rr.sel}
}

func (rr *redactorRenderer) Destroy() {}

// toPixels maps a drag from a to b over a widget of the given size, which
// shows a picture of size full scaled to fit and centred, to the
// rectangle of the picture's pixels it covers. It rounds outwards: a pixel
// the drag touched is blacked out, never left half-visible.
func toPixels(a, b fyne.Position, size fyne.Size, full image.Point) image.Rectangle {
	if full.X <= 0 || full.Y <= 0 || size.Width <= 0 || size.Height <= 0 {
		return image.Rectangle{}
	}
	scale := math.Min(float64(size.Width)/float64(full.X), float64(size.Height)/float64(full.Y))
	ox := (float64(size.Width) - float64(full.X)*scale) / 2
	oy := (float64(size.Height) - float64(full.Y)*scale) / 2
	px := func(v float32, off float64) float64 { return (float64(v) - off) / scale }
	x0, x1 := px(min(a.X, b.X), ox), px(max(a.X, b.X), ox)
	y0, y1 := px(min(a.Y, b.Y), oy), px(max(a.Y, b.Y), oy)
	r := image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1)), int(math.Ceil(y1)))
	return r.Intersect(image.Rectangle{Max: full})
}
