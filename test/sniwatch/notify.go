package main

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"
)

// notifier implements org.freedesktop.Notifications (Desktop Notifications
// spec 1.2) and prints every notification it is sent.
type notifier struct {
	conn *dbus.Conn
	mu   sync.Mutex
	last uint32
	got  chan received
}

// received is a notification as the serving loop sees it.
type received struct {
	id         uint32
	hasDefault bool
}

// notification is the "notification" event.
type notification struct {
	Event         string         `json:"event"`
	ID            uint32         `json:"id"`
	Sender        string         `json:"sender"`
	AppName       string         `json:"app_name"`
	ReplacesID    uint32         `json:"replaces_id"`
	AppIcon       string         `json:"app_icon"`
	Summary       string         `json:"summary"`
	Body          string         `json:"body"`
	Urgency       *int64         `json:"urgency"` // 0 low, 1 normal, 2 critical; null if the hint is absent
	Actions       []action       `json:"actions"`
	Hints         map[string]any `json:"hints"`
	ExpireTimeout int32          `json:"expire_timeout"`
}

type action struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// Notify shows (here: prints) a notification and returns its id.
func (n *notifier) Notify(sender dbus.Sender, appName string, replacesID uint32, appIcon, summary, body string,
	actions []string, hints map[string]dbus.Variant, expireTimeout int32) (uint32, *dbus.Error) {
	n.mu.Lock()
	id := replacesID
	if id == 0 {
		n.last++
		id = n.last
	}
	n.mu.Unlock()

	ev := notification{
		Event: "notification", ID: id, Sender: string(sender), AppName: appName, ReplacesID: replacesID,
		AppIcon: appIcon, Summary: summary, Body: body, Actions: []action{}, Hints: map[string]any{},
		ExpireTimeout: expireTimeout,
	}
	for i := 0; i+1 < len(actions); i += 2 {
		ev.Actions = append(ev.Actions, action{Key: actions[i], Label: actions[i+1]})
	}
	for k, v := range hints {
		ev.Hints[k] = plain(v)
	}
	if u, ok := hints["urgency"]; ok {
		if level, ok := asInt(u.Value()); ok {
			ev.Urgency = &level
		}
	}
	out.event(ev)
	r := received{id: id}
	for _, a := range ev.Actions {
		r.hasDefault = r.hasDefault || a.Key == "default"
	}
	select {
	case n.got <- r:
	default:
	}
	return id, nil
}

// GetCapabilities lists the optional spec features this server supports.
func (n *notifier) GetCapabilities() ([]string, *dbus.Error) {
	return []string{"actions", "body"}, nil
}

// GetServerInformation identifies the server.
func (n *notifier) GetServerInformation() (name, vendor, version, specVersion string, err *dbus.Error) {
	return "sniwatch", "sniwatch", "1.0", "1.2", nil
}

// CloseNotification closes a notification; reason 3 means "closed by a call
// to CloseNotification".
func (n *notifier) CloseNotification(id uint32) *dbus.Error {
	out.event(map[string]any{"event": "close_notification", "id": id})
	_ = n.conn.Emit(notifyPath, notifyIface+".NotificationClosed", id, uint32(3))
	return nil
}

// asInt accepts the integer types senders use for the urgency hint (spec: byte).
func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case uint8:
		return int64(x), true
	case int32:
		return int64(x), true
	case uint32:
		return int64(x), true
	case int64:
		return x, true
	}
	return 0, false
}

var notifyIntrospection = introspect.Interface{
	Name: notifyIface,
	Methods: []introspect.Method{
		{Name: "Notify", Args: []introspect.Arg{
			{Name: "app_name", Type: "s", Direction: "in"}, {Name: "replaces_id", Type: "u", Direction: "in"},
			{Name: "app_icon", Type: "s", Direction: "in"}, {Name: "summary", Type: "s", Direction: "in"},
			{Name: "body", Type: "s", Direction: "in"}, {Name: "actions", Type: "as", Direction: "in"},
			{Name: "hints", Type: "a{sv}", Direction: "in"}, {Name: "expire_timeout", Type: "i", Direction: "in"},
			{Name: "id", Type: "u", Direction: "out"},
		}},
		{Name: "GetCapabilities", Args: []introspect.Arg{{Name: "capabilities", Type: "as", Direction: "out"}}},
		{Name: "GetServerInformation", Args: []introspect.Arg{
			{Name: "name", Type: "s", Direction: "out"}, {Name: "vendor", Type: "s", Direction: "out"},
			{Name: "version", Type: "s", Direction: "out"}, {Name: "spec_version", Type: "s", Direction: "out"},
		}},
		{Name: "CloseNotification", Args: []introspect.Arg{{Name: "id", Type: "u", Direction: "in"}}},
	},
	Signals: []introspect.Signal{
		{Name: "NotificationClosed", Args: []introspect.Arg{{Name: "id", Type: "u"}, {Name: "reason", Type: "u"}}},
		{Name: "ActionInvoked", Args: []introspect.Arg{{Name: "id", Type: "u"}, {Name: "action_key", Type: "s"}}},
	},
}

// runNotifications serves org.freedesktop.Notifications until --timeout, a
// signal, or --count notifications.
func runNotifications(cfg config) error {
	conn, err := connect()
	if err != nil {
		return err
	}
	defer conn.Close()

	n := &notifier{conn: conn, got: make(chan received, 64)}
	if err := conn.Export(n, notifyPath, notifyIface); err != nil {
		return fail(exitDBus, "exporting notification server: %v", err)
	}
	node := &introspect.Node{Name: notifyPath, Interfaces: []introspect.Interface{introspect.IntrospectData, notifyIntrospection}}
	if err := conn.Export(introspect.NewIntrospectable(node), notifyPath, "org.freedesktop.DBus.Introspectable"); err != nil {
		return fail(exitDBus, "exporting introspection: %v", err)
	}
	if err := own(conn, notifyName); err != nil {
		return err
	}
	out.event(map[string]any{"event": "serving", "name": notifyName})

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.timeout)
		defer cancel()
	}
	count := 0
	for cfg.count == 0 || count < cfg.count {
		select {
		case r := <-n.got:
			count++
			if cfg.clickNotifications && r.hasDefault {
				// As a person would, a moment after it shows: the sender
				// learns the id only when Notify has returned.
				time.Sleep(200 * time.Millisecond)
				if err := conn.Emit(notifyPath, notifyIface+".ActionInvoked", r.id, "default"); err != nil {
					return fail(exitDBus, "emitting ActionInvoked: %v", err)
				}
				out.event(map[string]any{"event": "clicked", "id": r.id})
			}
		case <-ctx.Done():
			if count < cfg.count {
				return fail(exitExpect, "only %d of %d notifications arrived", count, cfg.count)
			}
			return nil
		}
	}
	return nil
}
