package notices

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func ids(items []Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Notice.ID)
	}
	return out
}

func TestComputeViewOrdersCountsAndFilters(t *testing.T) {
	crit := notice("crit", SeverityCritical, t0.Add(-3*time.Hour))
	crit.RequireAck = true
	warnOld := notice("warn-old", SeverityWarning, t0.Add(-2*time.Hour))
	warnNew := notice("warn-new", SeverityWarning, t0.Add(-1*time.Hour))
	infoA := notice("info-a", SeverityInfo, t0)
	infoB := notice("info-b", SeverityInfo, t0) // same time: by id
	expired := notice("expired", SeverityCritical, t0.Add(-5*time.Hour))
	expired.Expires = t0.Add(-time.Second)
	elsewhere := notice("mac-only", SeverityCritical, t0)
	elsewhere.Target.OS = []string{"macos"}
	dismissed := notice("dismissed", SeverityInfo, t0)
	linked := notice("linked", SeverityInfo, t0.Add(-time.Hour))
	linked.Links = []Link{{"Status", "https://status.example.com/"}, {"Phish", "https://status.example.net/"}}

	user := UserState{Notices: map[string]Record{
		"warn-old":  {Seen: t0},
		"info-b":    {Seen: t0},
		"dismissed": {Seen: t0, Dismissed: t0},
	}}
	allow, _ := ParseAllowList([]string{"status.example.com"})
	all := []Notice{infoB, expired, warnOld, linked, crit, elsewhere, infoA, dismissed, warnNew}
	v := ComputeView(all, Machine{OS: "linux", Hostname: "pc"}, user, allow, t0)

	if want := []string{"crit", "warn-new", "warn-old", "info-a", "info-b", "linked"}; !reflect.DeepEqual(ids(v.Items), want) {
		t.Errorf("items = %v, want %v", ids(v.Items), want)
	}
	if want := []string{"dismissed"}; !reflect.DeepEqual(ids(v.Dismissed), want) {
		t.Errorf("dismissed = %v, want %v", ids(v.Dismissed), want)
	}
	if v.Unread != 4 || v.Critical != 1 {
		t.Errorf("unread %d, critical %d; want 4 and 1", v.Unread, v.Critical)
	}
	last := v.Items[len(v.Items)-1]
	if len(last.Links) != 2 || !last.Links[0].Clickable || last.Links[1].Clickable {
		t.Errorf("links = %+v, want the allow-listed one clickable only", last.Links)
	}
	if !v.Items[2].Record.Seen.Equal(t0) || v.Items[1].Record != (Record{}) {
		t.Errorf("records not attached: %+v / %+v", v.Items[2].Record, v.Items[1].Record)
	}

	// Acknowledging the critical notice clears the critical count; it stays
	// on top.
	user.Notices["crit"] = Record{Seen: t0, Acked: t0}
	v = ComputeView(all, Machine{OS: "linux", Hostname: "pc"}, user, allow, t0)
	if v.Critical != 0 || v.Items[0].Notice.ID != "crit" || v.Unread != 3 {
		t.Errorf("after ack: critical %d, first %s, unread %d", v.Critical, v.Items[0].Notice.ID, v.Unread)
	}
}

func TestExpiryWithAFakeClock(t *testing.T) {
	n := notice("maint", SeverityWarning, t0)
	n.Expires = t0.Add(2 * time.Hour)
	forever := notice("forever", SeverityInfo, t0.Add(-24*time.Hour))
	m := Machine{OS: "windows", Hostname: "pc"}
	tests := []struct {
		at   time.Time
		want []string
	}{
		{t0.Add(-time.Hour), []string{"maint", "forever"}}, // clock behind: still shown
		{t0, []string{"maint", "forever"}},
		{t0.Add(2*time.Hour - time.Nanosecond), []string{"maint", "forever"}},
		{t0.Add(2 * time.Hour), []string{"forever"}},
		{t0.Add(1000 * time.Hour), []string{"forever"}},
	}
	for _, tt := range tests {
		v := ComputeView([]Notice{n, forever}, m, UserState{}, AllowList{}, tt.at)
		if !reflect.DeepEqual(ids(v.Items), tt.want) {
			t.Errorf("at %v: %v, want %v", tt.at, ids(v.Items), tt.want)
		}
	}
}

func TestMerge(t *testing.T) {
	feedA := notice("a", SeverityInfo, t0)
	feedB := notice("b", SeverityInfo, t0)
	dropB := notice("b", SeverityCritical, t0.Add(time.Minute)) // newer: wins
	dropA := notice("a", SeverityCritical, t0)                  // same time: the feed's stays
	dropC := notice("c", SeverityInfo, t0)
	got := Merge([]Notice{feedA, feedB}, []Notice{dropB, dropA, dropC})
	want := []Notice{feedA, dropB, dropC}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Merge = %+v\nwant %+v", got, want)
	}
}

func TestCheckAction(t *testing.T) {
	info := notice("info", SeverityInfo, t0)
	ackInfo := notice("ack-info", SeverityInfo, t0)
	ackInfo.RequireAck = true
	crit := notice("crit", SeverityCritical, t0)
	incident := notice("incident", SeverityWarning, t0)
	incident.Incident = true
	expired := notice("expired", SeverityInfo, t0.Add(-2*time.Hour))
	expired.Expires = t0.Add(-time.Hour)
	acked := Record{Seen: t0, Acked: t0}
	tests := []struct {
		n      *Notice
		r      Record
		action Action
		ok     bool
	}{
		{&info, Record{}, ActionSeen, true},
		{&info, Record{}, ActionDismiss, true},
		{&info, Record{}, ActionAck, false},
		{&info, Record{}, ActionMeToo, false},
		{&ackInfo, Record{}, ActionAck, true},
		{&ackInfo, Record{}, ActionDismiss, false},
		{&ackInfo, acked, ActionDismiss, true},
		{&crit, Record{}, ActionAck, true},
		{&crit, acked, ActionDismiss, false},
		{&incident, Record{}, ActionMeToo, true},
		{&incident, Record{}, ActionAck, false},
		{&expired, Record{}, ActionSeen, false},
		{&info, Record{}, Action("delete"), false},
	}
	for _, tt := range tests {
		err := CheckAction(tt.n, tt.r, tt.action, t0)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrActionRefused)) {
			t.Errorf("CheckAction(%s, %s) = %v, want ok=%v", tt.n.ID, tt.action, err, tt.ok)
		}
	}
}
