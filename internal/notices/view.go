package notices

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Item is one notice as one employee sees it.
type Item struct {
	Notice Notice
	// Links are the notice's links, each clickable or plain text.
	Links []RenderedLink
	// Record is what the employee did with it.
	Record Record
}

// Unread reports whether the employee has not seen the notice yet.
func (it *Item) Unread() bool { return it.Record.Seen.IsZero() }

// View is what one employee's desktop shows.
type View struct {
	// Items are the active notices for this machine that the employee has
	// not dismissed: critical first, then warning, then info; newest first
	// within a severity.
	Items []Item
	// Dismissed are the active notices the employee dismissed, same order.
	Dismissed []Item
	// Unread counts Items not seen yet: the tray's "Notices (2)".
	Unread int
	// Critical counts critical Items not acknowledged: these must be seen
	// and stay on top until acknowledged or expired.
	Critical int
}

// ComputeView builds an employee's view at now from the notices in force
// (the feed's and the drop folder's, merged with Merge), this machine, the
// employee's state and the link allow-list. Expired notices and notices
// for other machines are left out.
func ComputeView(notices []Notice, m Machine, user UserState, allow AllowList, now time.Time) View {
	var v View
	for i := range notices {
		n := &notices[i]
		if !n.Active(now) || !Applies(n, m) {
			continue
		}
		it := Item{Notice: *n, Links: RenderLinks(n, allow), Record: user.Notices[n.ID]}
		if !it.Record.Dismissed.IsZero() {
			v.Dismissed = append(v.Dismissed, it)
			continue
		}
		if it.Unread() {
			v.Unread++
		}
		if n.Severity == SeverityCritical && it.Record.Acked.IsZero() {
			v.Critical++
		}
		v.Items = append(v.Items, it)
	}
	slices.SortFunc(v.Items, compareItems)
	slices.SortFunc(v.Dismissed, compareItems)
	return v
}

func compareItems(a, b Item) int {
	if d := b.Notice.Severity.rank() - a.Notice.Severity.rank(); d != 0 {
		return d
	}
	if c := b.Notice.Created.Compare(a.Notice.Created); c != 0 {
		return c
	}
	return strings.Compare(a.Notice.ID, b.Notice.ID)
}

// Merge combines notice lists (the feed's, the drop folder's) into one,
// one notice per ID: where an ID appears twice, the notice created later
// wins, and on a tie the earlier list.
func Merge(lists ...[]Notice) []Notice {
	var out []Notice
	at := map[string]int{}
	for _, list := range lists {
		for _, n := range list {
			i, dup := at[n.ID]
			switch {
			case !dup:
				at[n.ID] = len(out)
				out = append(out, n)
			case n.Created.After(out[i].Created):
				out[i] = n
			}
		}
	}
	return out
}

// ErrActionRefused is wrapped by CheckAction's errors.
var ErrActionRefused = errors.New("action not allowed on this notice")

// CheckAction says whether an employee may do action on n, given what they
// already did (r), so the service can refuse a request the UI should not
// have made:
//
//   - acknowledging is for notices that ask for it, and for critical ones;
//   - "me too" is for incidents;
//   - a critical notice cannot be dismissed (it stays until acknowledged
//     or expired), nor can one that asks for acknowledgement before it is
//     acknowledged;
//   - nothing can be done to an expired notice.
func CheckAction(n *Notice, r Record, action Action, now time.Time) error {
	refused := func(why string) error { return fmt.Errorf("%w: %s", ErrActionRefused, why) }
	if !n.Active(now) {
		return refused("the notice has expired")
	}
	switch action {
	case ActionSeen:
	case ActionAck:
		if !n.RequireAck && n.Severity != SeverityCritical {
			return refused("the notice does not ask for acknowledgement")
		}
	case ActionMeToo:
		if !n.Incident {
			return refused("the notice is not an incident")
		}
	case ActionDismiss:
		if n.Severity == SeverityCritical {
			return refused("a critical notice stays until it is acknowledged or expires")
		}
		if n.RequireAck && r.Acked.IsZero() {
			return refused("acknowledge the notice first")
		}
	default:
		return refused(fmt.Sprintf("unknown action %q", action))
	}
	return nil
}
