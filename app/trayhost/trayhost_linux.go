package trayhost

import (
	"context"
	"fmt"

	"github.com/godbus/dbus/v5"
)

// watcherName is the bus name a StatusNotifierItem host owns; Fyne's tray
// (fyne.io/systray) registers with it.
const watcherName = "org.kde.StatusNotifierWatcher"

func available(ctx context.Context) (bool, error) {
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return true, fmt.Errorf("connecting to the session bus: %w", err)
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return true, fmt.Errorf("authenticating on the session bus: %w", err)
	}
	if err := conn.Hello(); err != nil {
		return true, fmt.Errorf("greeting the session bus: %w", err)
	}
	var has bool
	call := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, watcherName)
	if err := call.Store(&has); err != nil {
		return true, fmt.Errorf("asking the bus for %s: %w", watcherName, err)
	}
	return has, nil
}
