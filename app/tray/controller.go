package tray

import (
	"fyne.io/fyne/v2"

	"github.com/firstline-it/firstline/assets"
)

// Host is the part of a desktop Fyne app that owns the tray;
// desktop.App satisfies it.
type Host interface {
	SetSystemTrayMenu(*fyne.Menu)
	SetSystemTrayIcon(fyne.Resource)
}

// Controller keeps the tray in step with a [State]. It is not safe for
// concurrent use: call it on the UI goroutine (inside fyne.Do from others).
type Controller struct {
	host Host
	act  Actions

	applied bool
	last    State
	icon    assets.TrayVariant
}

// NewController returns a controller that has not touched host yet; the
// first [Controller.Apply] sets both the menu and the icon.
func NewController(host Host, act Actions) *Controller {
	return &Controller{host: host, act: act}
}

// Apply shows s, calling the host only for what differs from what it shows
// already.
func (c *Controller) Apply(s State) {
	if c.applied && s == c.last {
		return
	}
	first := !c.applied
	c.applied, c.last = true, s
	c.host.SetSystemTrayMenu(Menu(s, c.act))
	if v := Icon(s); first || v != c.icon {
		c.icon = v
		c.host.SetSystemTrayIcon(IconResource(v))
	}
}

// State is the state last applied.
func (c *Controller) State() State { return c.last }

// IconResource wraps the tray PNG of v as a Fyne resource. The name differs
// per variant because some hosts cache icons by name.
func IconResource(v assets.TrayVariant) fyne.Resource {
	return fyne.NewStaticResource("firstline-tray-"+v.String()+".png", assets.TrayPNG(v))
}
