package tray

import (
	"testing"

	"fyne.io/fyne/v2"

	"github.com/firstline-it/firstline/app/link"
	"github.com/firstline-it/firstline/app/nav"
)

// countingHost records what the controller hands the tray.
type countingHost struct {
	menus []*fyne.Menu
	icons []fyne.Resource
}

func (h *countingHost) SetSystemTrayMenu(m *fyne.Menu)    { h.menus = append(h.menus, m) }
func (h *countingHost) SetSystemTrayIcon(r fyne.Resource) { h.icons = append(h.icons, r) }

func TestControllerTouchesTheHostOnlyOnChange(t *testing.T) {
	h := &countingHost{}
	c := NewController(h, Actions{Open: func(nav.Section) {}, Quit: func() {}})

	steps := []struct {
		state        State
		menus, icons int
		lastIcon     string
	}{
		{State{Service: link.Connecting}, 1, 1, "firstline-tray-normal.png"},
		{State{Service: link.Connecting}, 1, 1, "firstline-tray-normal.png"}, // repeat: nothing
		{State{Service: link.Up}, 2, 1, "firstline-tray-normal.png"},         // new status line, same icon
		{State{Service: link.Up, Notices: 2}, 3, 2, "firstline-tray-attention.png"},
		{State{Service: link.Up, Notices: 3}, 4, 2, "firstline-tray-attention.png"}, // label only
		{State{Service: link.Up, Notices: 3}, 4, 2, "firstline-tray-attention.png"},
		{State{Service: link.Down}, 5, 3, "firstline-tray-offline.png"},
	}
	for i, st := range steps {
		c.Apply(st.state)
		if len(h.menus) != st.menus || len(h.icons) != st.icons {
			t.Fatalf("step %d (%+v): %d menus, %d icons; want %d, %d",
				i, st.state, len(h.menus), len(h.icons), st.menus, st.icons)
		}
		if got := h.icons[len(h.icons)-1].Name(); got != st.lastIcon {
			t.Fatalf("step %d: icon %q, want %q", i, got, st.lastIcon)
		}
		if c.State() != st.state {
			t.Fatalf("step %d: State() = %+v, want %+v", i, c.State(), st.state)
		}
	}
}

func TestIconResourceIsThePNG(t *testing.T) {
	r := IconResource(Icon(State{}))
	if c := r.Content(); len(c) < 8 || string(c[1:4]) != "PNG" {
		t.Errorf("tray icon %q is not a PNG", r.Name())
	}
}
