package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// menuNode is one com.canonical.dbusmenu layout entry.
type menuNode struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []menuNode
}

// rawLayout is the wire form (ia{sv}av) of a layout entry.
type rawLayout struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []dbus.Variant
}

// node converts the wire form, whose children are nested variants, into a tree.
func (r rawLayout) node() (menuNode, error) {
	n := menuNode{ID: r.ID, Props: r.Props}
	for _, v := range r.Children {
		var child rawLayout
		if err := v.Store(&child); err != nil {
			return n, fmt.Errorf("menu entry %d: bad child: %v", r.ID, err)
		}
		c, err := child.node()
		if err != nil {
			return n, err
		}
		n.Children = append(n.Children, c)
	}
	return n, nil
}

// str returns a string property, or def when it is absent (the spec's default).
func (n menuNode) str(key, def string) string {
	if s, ok := n.Props[key].Value().(string); ok {
		return s
	}
	return def
}

// boolean returns a bool property, or def when it is absent.
func (n menuNode) boolean(key string, def bool) bool {
	if b, ok := n.Props[key].Value().(bool); ok {
		return b
	}
	return def
}

func (n menuNode) label() string     { return n.str("label", "") }
func (n menuNode) enabled() bool     { return n.boolean("enabled", true) }
func (n menuNode) visible() bool     { return n.boolean("visible", true) }
func (n menuNode) isSeparator() bool { return n.str("type", "standard") == "separator" }

// toggleState is -1 (indeterminate, the spec's default), 0 off or 1 on.
func (n menuNode) toggleState() int64 {
	switch v := n.Props["toggle-state"].Value().(type) {
	case int32:
		return int64(v)
	case int64:
		return v
	case uint32:
		return int64(v)
	}
	return -1
}

// stripMnemonic turns a dbusmenu label such as "_File" or "A__B" into what is
// shown ("File", "A_B").
func stripMnemonic(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' {
			if i+1 < len(s) && s[i+1] == '_' {
				b.WriteByte('_')
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// find returns the first item, depth first, whose label (raw or as shown)
// equals label.
func (n *menuNode) find(label string) *menuNode {
	for i := range n.Children {
		c := &n.Children[i]
		if !c.isSeparator() && (c.label() == label || stripMnemonic(c.label()) == label) {
			return c
		}
		if f := c.find(label); f != nil {
			return f
		}
	}
	return nil
}

// missing returns the labels that no item has.
func (n *menuNode) missing(labels []string) []string {
	var miss []string
	for _, l := range labels {
		if n.find(l) == nil {
			miss = append(miss, l)
		}
	}
	return miss
}

// labels lists every item label, depth first.
func (n menuNode) labels() []string {
	ls := []string{}
	for _, c := range n.Children {
		if !c.isSeparator() {
			ls = append(ls, c.label())
		}
		ls = append(ls, c.labels()...)
	}
	return ls
}

// tree renders the menu as indented text, one item per line.
func (n menuNode) tree(indent string) string {
	var b strings.Builder
	for _, c := range n.Children {
		if c.isSeparator() {
			fmt.Fprintf(&b, "%sid=%d separator visible=%t\n", indent, c.ID, c.visible())
			continue
		}
		fmt.Fprintf(&b, "%sid=%d label=%q enabled=%t visible=%t toggle-state=%d", indent, c.ID, c.label(), c.enabled(), c.visible(), c.toggleState())
		if t := c.str("toggle-type", ""); t != "" {
			fmt.Fprintf(&b, " toggle-type=%s", t)
		}
		if len(c.Children) > 0 || c.str("children-display", "") == "submenu" {
			fmt.Fprintf(&b, " children=%d", len(c.Children))
		}
		b.WriteString("\n")
		b.WriteString(c.tree(indent + "  "))
	}
	return b.String()
}

// menuClient talks com.canonical.dbusmenu to one item's menu object.
type menuClient struct {
	obj  dbus.BusObject
	path dbus.ObjectPath
}

// layout fetches the whole tree, as a host does before showing the menu.
func (m menuClient) layout() (uint32, menuNode, error) {
	_ = m.obj.Call(menuIface+".AboutToShow", 0, int32(0)).Err // optional for items; errors ignored
	var rev uint32
	var raw rawLayout
	err := m.obj.Call(menuIface+".GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &raw)
	if err != nil {
		return 0, menuNode{}, fail(exitDBus, "GetLayout on %s: %v", m.path, err)
	}
	root, err := raw.node()
	if err != nil {
		return 0, menuNode{}, fail(exitDBus, "GetLayout on %s: %v", m.path, err)
	}
	return rev, root, nil
}

// settled reads the layout until two reads settlePoll apart agree, the menu
// is not empty and has all the wanted labels, or until deadline, and returns
// the last read. Apps may register before filling their menu, and Fyne
// rebuilds a refreshed menu after announcing LayoutUpdated.
func (m menuClient) settled(deadline time.Time, want ...string) (uint32, menuNode, error) {
	rev, root, err := m.layout()
	for err == nil && time.Now().Before(deadline) {
		time.Sleep(settlePoll)
		prev := root.tree("")
		rev, root, err = m.layout()
		if err == nil && root.tree("") == prev && len(root.Children) > 0 && len(root.missing(want)) == 0 {
			break
		}
	}
	return rev, root, err
}

// click sends the "clicked" event for the first item labelled label, using
// the current layout (ids change when an app rebuilds its menu). It waits
// until deadline for the label to appear.
func (m menuClient) click(label string, deadline time.Time) error {
	_, root, err := m.settled(deadline, label)
	if err != nil {
		return err
	}
	item := root.find(label)
	if item == nil {
		return fail(exitExpect, "cannot click %q: no such menu item (menu has %q)", label, root.labels())
	}
	if !item.enabled() || !item.visible() {
		return fail(exitExpect, "cannot click %q: item is disabled or hidden", label)
	}
	ts := uint32(time.Now().Unix())
	if err := m.obj.Call(menuIface+".Event", 0, item.ID, "clicked", dbus.MakeVariant(""), ts).Err; err != nil {
		return fail(exitDBus, "Event(%d, \"clicked\") on %s: %v", item.ID, m.path, err)
	}
	out.event(map[string]any{"event": "clicked", "label": label, "menu_id": item.ID})
	return nil
}

// menuEvent is printed whenever a menu is (re-)read after a change.
type menuEvent struct {
	Event    string   `json:"event"`
	Revision uint32   `json:"revision"`
	Labels   []string `json:"labels"`
}

// printMenu prints a "menu" event and, with dump, the tree.
func (m menuClient) printMenu(rev uint32, root menuNode, dump bool) {
	out.event(menuEvent{Event: "menu", Revision: rev, Labels: root.labels()})
	if dump {
		out.text(fmt.Sprintf("menu %s revision %d\n%s", m.path, rev, root.tree("  ")))
	}
}
