package report

import (
	"strings"
	"testing"
	"time"
)

func TestOverallAndPhrase(t *testing.T) {
	t0 := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	dest := func(name string, st DeliveryState, offline bool, lastErr string) Destination {
		return Destination{Name: name, State: st, Offline: offline, LastError: lastErr, NextAttempt: t0}
	}
	tests := []struct {
		name    string
		state   State
		overall Overall
		phrase  string
		due     bool
	}{
		{"not routed yet", State{}, OverallSaved, PhraseSaved, true},
		{"queued", State{Destinations: []Destination{dest("email", Queued, false, "")}}, OverallSaved, PhraseSaved, true},
		{"sending", State{Destinations: []Destination{dest("email", Sending, false, "")}}, OverallSaved, PhraseSaved, true},
		{"server error", State{Destinations: []Destination{dest("email", FailedTransient, false, "503")}}, OverallSaved, PhraseSaved, true},
		{"offline", State{Destinations: []Destination{dest("email", FailedTransient, true, "no route")}}, OverallOffline, PhraseOffline, true},
		{"sent", State{Destinations: []Destination{dest("email", Delivered, false, "")}}, OverallSent, PhraseSent, false},
		{"one of two sent", State{Destinations: []Destination{dest("email", Delivered, false, ""), dest("jira", Queued, false, "")}}, OverallSaved, PhraseSaved, true},
		{"stuck wins over sent", State{Destinations: []Destination{dest("email", Delivered, false, ""), dest("jira", NeedsAttention, false, "the helpdesk refused the login")}},
			OverallNeedsAttention, "Needs attention: the helpdesk refused the login", false},
		{"stuck without a message", State{Destinations: []Destination{dest("jira", NeedsAttention, false, "")}}, OverallNeedsAttention, "Needs attention: IT has", false},
		{"broken", State{Broken: "the saved copy was damaged", Destinations: []Destination{dest("email", Queued, false, "")}},
			OverallNeedsAttention, "Needs attention: the saved copy was damaged", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.state.Overall(); got != tt.overall {
				t.Errorf("Overall() = %s, want %s", got, tt.overall)
			}
			if got := tt.state.Phrase(); !strings.HasPrefix(got, tt.phrase) {
				t.Errorf("Phrase() = %q, want prefix %q", got, tt.phrase)
			}
			if _, due := tt.state.Due(); due != tt.due {
				t.Errorf("Due() = %v, want %v", due, tt.due)
			}
		})
	}
}

func TestDueIsTheEarliestPendingAttempt(t *testing.T) {
	t0 := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	s := State{Destinations: []Destination{
		{Name: "a", State: Delivered, NextAttempt: t0},
		{Name: "b", State: FailedTransient, NextAttempt: t0.Add(time.Hour)},
		{Name: "c", State: FailedTransient, NextAttempt: t0.Add(time.Minute)},
		{Name: "d", State: NeedsAttention, NextAttempt: t0.Add(time.Second)},
	}}
	if next, due := s.Due(); !due || !next.Equal(t0.Add(time.Minute)) {
		t.Errorf("Due() = %v, %v; want %v", next, due, t0.Add(time.Minute))
	}
}

func TestRetry(t *testing.T) {
	s := State{Destinations: []Destination{
		{Name: "a", State: Delivered},
		{Name: "b", State: NeedsAttention, NextAttempt: time.Now().Add(time.Hour)},
		{Name: "c", State: FailedTransient, NextAttempt: time.Now().Add(time.Hour)},
	}}
	if !s.Retry() {
		t.Fatal("Retry reported no change")
	}
	for _, d := range s.Destinations[1:] {
		if d.State != Queued || !d.NextAttempt.IsZero() {
			t.Errorf("%s: %s at %v, want queued now", d.Name, d.State, d.NextAttempt)
		}
	}
	if s.Destinations[0].State != Delivered {
		t.Error("Retry touched a delivered destination")
	}
	if s.Retry() {
		t.Error("second Retry reported a change")
	}
}

func TestNormalize(t *testing.T) {
	s := State{Destinations: []Destination{{
		Name:      "zendesk",
		LastError: "HTTP 500:\n<html>\r\n  " + strings.Repeat("x", 1000),
		Attempts:  -1,
	}}}
	s.Normalize()
	d := s.Destinations[0]
	if strings.ContainsAny(d.LastError, "\r\n") || !strings.HasPrefix(d.LastError, "HTTP 500: <html> x") {
		t.Errorf("LastError = %.60q", d.LastError)
	}
	if n := len([]rune(d.LastError)); n != MaxErrorChars {
		t.Errorf("LastError has %d characters, want %d", n, MaxErrorChars)
	}
	if d.Attempts != 0 {
		t.Errorf("Attempts = %d", d.Attempts)
	}
}

func TestRecordCheck(t *testing.T) {
	s := validSubmission()
	r := NewReport(s, Owner{UID: "1000", Name: "ann"}, s.CreatedAt.Add(time.Second))
	r.State.Destinations = []Destination{{Name: "email", State: Queued}}
	if err := r.Validate(DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	rec := r.Record()
	if err := rec.Check(); err != nil {
		t.Fatalf("Check of a fresh record: %v", err)
	}
	if rec.Attachments[0].Size != 3 || rec.Size != int64(len(s.Text))+3 || rec.Title != s.Text {
		t.Errorf("record: %+v", rec)
	}
	breaks := map[string]func(*Record){
		"reference": func(r *Record) { r.Reference = "FL-00000" },
		"owner":     func(r *Record) { r.Owner.UID = "" },
		"received":  func(r *Record) { r.ReceivedAt = time.Time{} },
		"severity":  func(r *Record) { r.Severity = "meh" },
		"size":      func(r *Record) { r.Size = -1 },
		"state":     func(r *Record) { r.State.Destinations[0].State = "lost" },
		"dest name": func(r *Record) { r.State.Destinations[0].Name = "" },
	}
	for name, brk := range breaks {
		bad := rec.Clone()
		brk(&bad)
		if bad.Check() == nil {
			t.Errorf("%s: Check accepted a broken record", name)
		}
	}
	if rec.Check() != nil {
		t.Error("Clone shares state with the original")
	}
}
