package notify

import (
	"context"
	"fmt"
	"sync"

	"github.com/godbus/dbus/v5"
)

// The freedesktop notification service.
const (
	busName   = "org.freedesktop.Notifications"
	busPath   = "/org/freedesktop/Notifications"
	busIface  = "org.freedesktop.Notifications"
	appName   = "Firstline"
	actionKey = "default"
)

// DBus sends notifications to org.freedesktop.Notifications on the session
// bus (Linux and BSD desktops). Clicking one calls OnClick.
type DBus struct {
	conn *dbus.Conn
	// Icon is the app icon name or file URI; "" for none.
	Icon string

	mu   sync.Mutex
	sent map[uint32]bool
}

// DialDBus connects to the session bus. The caller owns the connection:
// run [DBus.Listen] for clicks and Close at the end.
func DialDBus(ctx context.Context) (*DBus, error) {
	conn, err := dbus.ConnectSessionBus(dbus.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("connecting to the session bus: %w", err)
	}
	return &DBus{conn: conn, sent: map[uint32]bool{}}, nil
}

// Send shows m and keeps its notification ID for Listen.
func (d *DBus) Send(ctx context.Context, m Message) error {
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(m.Urgency)}
	// -1: the server's default timeout; critical ones stay until closed
	// by the server's own rule for urgency 2.
	call := d.conn.Object(busName, busPath).CallWithContext(ctx, busIface+".Notify", 0,
		appName, uint32(0), d.Icon, m.Summary, m.Body, []string{actionKey, "Open"}, hints, int32(-1))
	var id uint32
	if err := call.Store(&id); err != nil {
		return fmt.Errorf("calling %s.Notify: %w", busIface, err)
	}
	d.mu.Lock()
	d.sent[id] = true
	d.mu.Unlock()
	return nil
}

// Listen calls onClick when the employee clicks one of our notifications,
// until ctx ends.
func (d *DBus) Listen(ctx context.Context, onClick func()) error {
	if err := d.conn.AddMatchSignalContext(ctx,
		dbus.WithMatchObjectPath(busPath), dbus.WithMatchInterface(busIface), dbus.WithMatchMember("ActionInvoked")); err != nil {
		return fmt.Errorf("subscribing to %s.ActionInvoked: %w", busIface, err)
	}
	ch := make(chan *dbus.Signal, 8)
	d.conn.Signal(ch)
	defer d.conn.RemoveSignal(ch)
	for {
		select {
		case <-ctx.Done():
			return nil
		case sig, ok := <-ch:
			if !ok {
				return nil
			}
			if d.clicked(sig) {
				onClick()
			}
		}
	}
}

// clicked reports whether sig is the default action of one of ours.
func (d *DBus) clicked(sig *dbus.Signal) bool {
	if sig.Name != busIface+".ActionInvoked" || len(sig.Body) != 2 {
		return false
	}
	id, ok1 := sig.Body[0].(uint32)
	key, ok2 := sig.Body[1].(string)
	d.mu.Lock()
	defer d.mu.Unlock()
	return ok1 && ok2 && key == actionKey && d.sent[id]
}

// Close ends the connection.
func (d *DBus) Close() error { return d.conn.Close() }
