package main

import (
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"
	"github.com/godbus/dbus/v5/prop"
)

// itemRef locates a registered tray item.
type itemRef struct {
	service string          // bus name as registered
	owner   string          // unique name of that bus name's owner
	path    dbus.ObjectPath // object implementing org.kde.StatusNotifierItem
}

// watcher implements org.kde.StatusNotifierWatcher, the registry that tray
// items announce themselves to and that tray hosts read.
type watcher struct {
	conn       *dbus.Conn
	props      *prop.Properties
	mu         sync.Mutex
	items      []string
	registered chan itemRef
}

// RegisterStatusNotifierItem is called by each tray item. The argument is a
// bus name or, as Fyne's systray sends it, an object path on the caller's own
// connection.
func (w *watcher) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	ref := itemRef{service: string(sender), owner: string(sender), path: defaultItem}
	if strings.HasPrefix(service, "/") {
		ref.path = dbus.ObjectPath(service)
	} else if service != "" {
		ref.service = service
	}
	key := ref.service + string(ref.path)

	w.mu.Lock()
	for _, k := range w.items {
		if k == key {
			w.mu.Unlock()
			return nil // already known; items re-register when a watcher appears
		}
	}
	w.items = append(w.items, key)
	items := append([]string(nil), w.items...)
	w.mu.Unlock()

	w.props.SetMust(watcherIface, "RegisteredStatusNotifierItems", items)
	_ = w.conn.Emit(watcherPath, watcherIface+".StatusNotifierItemRegistered", key)
	select {
	case w.registered <- ref:
	default:
	}
	return nil
}

// RegisterStatusNotifierHost is called by tray hosts; sniwatch is the only one.
func (w *watcher) RegisterStatusNotifierHost(service string) *dbus.Error { return nil }

var watcherIntrospection = introspect.Interface{
	Name: watcherIface,
	Methods: []introspect.Method{
		{Name: "RegisterStatusNotifierItem", Args: []introspect.Arg{{Name: "service", Type: "s", Direction: "in"}}},
		{Name: "RegisterStatusNotifierHost", Args: []introspect.Arg{{Name: "service", Type: "s", Direction: "in"}}},
	},
	Signals: []introspect.Signal{
		{Name: "StatusNotifierItemRegistered", Args: []introspect.Arg{{Type: "s"}}},
		{Name: "StatusNotifierItemUnregistered", Args: []introspect.Arg{{Type: "s"}}},
		{Name: "StatusNotifierHostRegistered"},
	},
}

// startWatcher exports the watcher and takes its well-known name.
func startWatcher(conn *dbus.Conn) (*watcher, error) {
	w := &watcher{conn: conn, registered: make(chan itemRef, 16)}
	if err := conn.Export(w, watcherPath, watcherIface); err != nil {
		return nil, fail(exitDBus, "exporting watcher: %v", err)
	}
	props, err := prop.Export(conn, watcherPath, prop.Map{watcherIface: {
		"RegisteredStatusNotifierItems":  {Value: []string{}, Emit: prop.EmitTrue},
		"IsStatusNotifierHostRegistered": {Value: true, Emit: prop.EmitTrue},
		"ProtocolVersion":                {Value: int32(0), Emit: prop.EmitConst},
	}})
	if err != nil {
		return nil, fail(exitDBus, "exporting watcher properties: %v", err)
	}
	w.props = props
	iface := watcherIntrospection
	iface.Properties = props.Introspection(watcherIface)
	node := &introspect.Node{Name: watcherPath, Interfaces: []introspect.Interface{
		introspect.IntrospectData, prop.IntrospectData, iface,
	}}
	if err := conn.Export(introspect.NewIntrospectable(node), watcherPath, "org.freedesktop.DBus.Introspectable"); err != nil {
		return nil, fail(exitDBus, "exporting introspection: %v", err)
	}
	if err := own(conn, watcherName); err != nil {
		return nil, err
	}
	// Real hosts also own a host name; some items look for one.
	_, _ = conn.RequestName(fmt.Sprintf("org.kde.StatusNotifierHost-%d", os.Getpid()), dbus.NameFlagDoNotQueue)
	return w, nil
}

// ---------------------------------------------------------------------------
// Tray item properties

// pixmap is one entry of an SNI a(iiay) icon property (ARGB32, network order).
type pixmap struct {
	W, H int32
	Pix  []byte
}

// toolTip is the SNI (sa(iiay)ss) tooltip.
type toolTip struct {
	IconName    string   `json:"icon_name"`
	Icons       []pixmap `json:"-"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
}

// itemInfo is the "item" event: the properties a tray host reads.
type itemInfo struct {
	Event       string          `json:"event"`
	Service     string          `json:"service"`
	Path        dbus.ObjectPath `json:"path"`
	ID          string          `json:"id"`
	Title       string          `json:"title"`
	Status      string          `json:"status"`
	Category    string          `json:"category"`
	IconName    string          `json:"icon_name"`
	IconPixmaps []string        `json:"icon_pixmaps"`
	ToolTip     toolTip         `json:"tooltip"`
	Menu        dbus.ObjectPath `json:"menu"`
	ItemIsMenu  bool            `json:"item_is_menu"`
	pixmaps     []pixmap
}

// readItem fetches all org.kde.StatusNotifierItem properties of ref.
func readItem(conn *dbus.Conn, ref itemRef) (itemInfo, error) {
	var all map[string]dbus.Variant
	err := conn.Object(ref.service, ref.path).Call(propsIface+".GetAll", 0, itemIface).Store(&all)
	if err != nil {
		return itemInfo{}, fail(exitDBus, "reading tray item properties from %s%s: %v", ref.service, ref.path, err)
	}
	info := itemInfo{Event: "item", Service: ref.service, Path: ref.path, IconPixmaps: []string{}}
	str := func(name string) string { s, _ := all[name].Value().(string); return s }
	info.ID, info.Title, info.Status = str("Id"), str("Title"), str("Status")
	info.Category, info.IconName = str("Category"), str("IconName")
	info.Menu, _ = all["Menu"].Value().(dbus.ObjectPath)
	info.ItemIsMenu, _ = all["ItemIsMenu"].Value().(bool)
	if v, ok := all["IconPixmap"]; ok && v.Store(&info.pixmaps) == nil {
		info.IconPixmaps = pixmapSizes(info.pixmaps)
	}
	if v, ok := all["ToolTip"]; ok {
		_ = v.Store(&info.ToolTip)
	}
	return info, nil
}

// pixmapSizes renders each pixmap as "WxH"; an empty 0x0 entry means no icon.
func pixmapSizes(ps []pixmap) []string {
	sizes := []string{}
	for _, p := range ps {
		sizes = append(sizes, fmt.Sprintf("%dx%d", p.W, p.H))
	}
	return sizes
}

// hasIcon reports whether a host could draw the item: a themed icon name or
// at least one pixmap whose data matches its size.
func (info itemInfo) hasIcon() bool {
	if info.IconName != "" {
		return true
	}
	for _, p := range info.pixmaps {
		if p.W > 0 && p.H > 0 && len(p.Pix) == int(p.W)*int(p.H)*4 {
			return true
		}
	}
	return false
}

// resolveOwner returns the unique connection name that owns a bus name.
func resolveOwner(conn *dbus.Conn, name string) (string, error) {
	if strings.HasPrefix(name, ":") {
		return name, nil
	}
	var owner string
	err := conn.BusObject().Call("org.freedesktop.DBus.GetNameOwner", 0, name).Store(&owner)
	return owner, err
}
