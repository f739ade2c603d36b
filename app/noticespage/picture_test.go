package noticespage

import (
	"image/png"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/firstline-it/firstline/internal/localapi"
)

// TestPicture renders the page with every kind of notice and, when
// NOTICES_PNG names a file, saves the picture there for a person to look
// at. It always checks the page draws at a usual window size.
func TestPicture(t *testing.T) {
	items := sample()
	items[0].Dismissed = now // the coffee machine goes to Dismissed
	items[1].Body = "All printers on floors 2 and 3 are switched off for a firmware update. " +
		"Print what you need before 11:00, or use the printer by the kitchen on floor 1."
	items = append(items, localapi.NoticeItem{ID: "vpn", Severity: "warning", Title: "VPN slow for home workers",
		Body: "Our provider is working on it.", Created: now.Add(-30 * time.Minute), Incident: true, MeToo: now, Seen: now})
	items = append(items, localapi.NoticeItem{ID: "wiki", Severity: "info", Title: "New wiki address",
		Body: "The wiki moved.", Created: now.Add(-26 * time.Hour), Seen: now,
		Links: []localapi.NoticeLink{{Title: "Wiki", URL: "https://wiki.example.com/", Clickable: true}}})
	src := &fakeSource{items: items}
	p, q := newPage(t, src, nil)
	p.Refresh()
	q.drain(t, 1)
	p.ToggleDismissed()

	w := test.NewWindow(p.Object())
	defer w.Close()
	w.Resize(fyne.NewSize(670, 1500))
	// A second pass, as a real window's, lets wrapped text settle on
	// its width.
	w.Content().Refresh()
	w.Resize(fyne.NewSize(671, 1500))
	w.Resize(fyne.NewSize(670, 1500))
	img := w.Canvas().Capture()
	if b := img.Bounds(); b.Dx() < 600 {
		t.Fatalf("picture %v", b)
	}
	path := os.Getenv("NOTICES_PNG")
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
