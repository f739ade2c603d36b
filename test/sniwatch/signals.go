package main

import (
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// subscribe asks the bus for the signals of the item's connection: SNI item
// signals, dbusmenu signals, and its disappearance from the bus.
func subscribe(conn *dbus.Conn, owner string) (chan *dbus.Signal, error) {
	rules := [][]dbus.MatchOption{
		{dbus.WithMatchSender(owner), dbus.WithMatchInterface(itemIface)},
		{dbus.WithMatchSender(owner), dbus.WithMatchInterface(menuIface)},
		{dbus.WithMatchSender("org.freedesktop.DBus"), dbus.WithMatchMember("NameOwnerChanged"), dbus.WithMatchArg(0, owner)},
	}
	for _, r := range rules {
		if err := conn.AddMatchSignal(r...); err != nil {
			return nil, fail(exitDBus, "adding signal match: %v", err)
		}
	}
	ch := make(chan *dbus.Signal, 256)
	conn.Signal(ch)
	return ch, nil
}

// drain discards the signals queued so far.
func drain(ch chan *dbus.Signal) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// watchChanges prints item and menu signals for cfg.waitChange. After each
// menu signal has been quiet for debounceDelay, the menu is re-read and
// printed, and --until labels are checked.
func watchChanges(conn *dbus.Conn, ref itemRef, menu menuClient, signals chan *dbus.Signal, cfg config) error {
	haveAll := func(root menuNode) bool { return len(root.missing(cfg.until)) == 0 }
	if len(cfg.until) > 0 {
		if _, root, err := menu.layout(); err == nil && haveAll(root) {
			out.event(map[string]any{"event": "until_ok", "labels": cfg.until, "already": true})
			return nil
		}
	}

	end := time.After(cfg.waitChange)
	var reread <-chan time.Time
	for {
		select {
		case sig := <-signals:
			if sig == nil {
				return fail(exitDBus, "session bus connection closed")
			}
			gone, menuChanged := printSignal(conn, ref, sig)
			if gone {
				if len(cfg.until) > 0 {
					return fail(exitExpect, "tray item left the bus before the menu showed %q", cfg.until)
				}
				return nil
			}
			if menuChanged {
				reread = time.After(debounceDelay)
			}
		case <-reread:
			rev, root, err := menu.settled(time.Now().Add(settleMax))
			if err != nil {
				return err
			}
			menu.printMenu(rev, root, cfg.dump)
			if len(cfg.until) > 0 && haveAll(root) {
				out.event(map[string]any{"event": "until_ok", "labels": cfg.until})
				return nil
			}
		case <-end:
			if len(cfg.until) > 0 {
				return fail(exitExpect, "menu did not show %q within %s", cfg.until, cfg.waitChange)
			}
			return nil
		}
	}
}

// printSignal prints one signal as a "signal" event. It reports whether the
// item left the bus and whether the menu may have changed.
func printSignal(conn *dbus.Conn, ref itemRef, sig *dbus.Signal) (gone, menuChanged bool) {
	iface, member := splitName(sig.Name)
	ev := map[string]any{"event": "signal", "interface": iface, "signal": member, "path": sig.Path}
	switch {
	case sig.Name == "org.freedesktop.DBus.NameOwnerChanged":
		if len(sig.Body) == 3 && sig.Body[2] == "" {
			out.event(map[string]any{"event": "vanished", "owner": ref.owner})
			return true, false
		}
		return false, false
	case iface == menuIface && member == "LayoutUpdated" && len(sig.Body) == 2:
		ev["revision"], ev["parent"] = sig.Body[0], sig.Body[1]
		menuChanged = true
	case iface == menuIface && member == "ItemsPropertiesUpdated" && len(sig.Body) == 2:
		ev["updated"], ev["removed"] = plain(sig.Body[0]), plain(sig.Body[1])
		menuChanged = true
	case iface == itemIface && member == "NewStatus" && len(sig.Body) == 1:
		ev["status"] = sig.Body[0]
	case iface == itemIface && (member == "NewTitle" || member == "NewIcon" || member == "NewToolTip"):
		// These signals carry no value: read the new state like a host would.
		if info, err := readItem(conn, ref); err == nil {
			ev["title"], ev["icon_name"], ev["icon_pixmaps"], ev["tooltip"] = info.Title, info.IconName, info.IconPixmaps, info.ToolTip
		}
	default:
		ev["args"] = plain(sig.Body)
		menuChanged = iface == menuIface
	}
	out.event(ev)
	return false, menuChanged
}

// splitName splits "a.b.Member" into "a.b" and "Member".
func splitName(name string) (iface, member string) {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return "", name
	}
	return name[:i], name[i+1:]
}
