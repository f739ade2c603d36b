package report

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DeliveryState is how far a report got to one destination.
type DeliveryState string

// Delivery states. A destination starts queued, goes to sending for the
// length of an attempt, and ends delivered or needs-attention; an attempt
// that may work later (a timeout, a 5xx, no network) leaves it
// failed-transient until its NextAttempt.
const (
	Queued          DeliveryState = "queued"
	Sending         DeliveryState = "sending"
	Delivered       DeliveryState = "delivered"
	FailedTransient DeliveryState = "failed-transient"
	NeedsAttention  DeliveryState = "needs-attention"
)

// DeliveryStates lists the valid states.
func DeliveryStates() []DeliveryState {
	return []DeliveryState{Queued, Sending, Delivered, FailedTransient, NeedsAttention}
}

// pending reports whether the delivery loop still has work to do for a
// destination in this state. Sending counts: a report found "sending"
// after a restart was interrupted mid-attempt, and delivery is at least
// once.
func (s DeliveryState) pending() bool {
	return s == Queued || s == Sending || s == FailedTransient
}

// Destination is the delivery state of a report at one helpdesk backend.
type Destination struct {
	// Name is the backend as configured ("email", "zendesk").
	Name  string        `json:"name"`
	State DeliveryState `json:"state"`
	// Attempts counts attempts made, successful or not.
	Attempts int `json:"attempts"`
	// NextAttempt is when to try again; zero means as soon as possible.
	NextAttempt time.Time `json:"next_attempt,omitzero"`
	// LastAttempt is when the last attempt ended.
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	// LastError says why the last attempt failed, for the employee and
	// IT. It must never carry a credential; it is cut to MaxErrorChars.
	LastError string `json:"last_error,omitempty"`
	// Offline is set when the last attempt failed because this machine
	// has no network (no route, no DNS), rather than because the
	// helpdesk failed: the employee is then told "Will send when you're
	// back online".
	Offline bool `json:"offline,omitempty"`
	// TicketID and TicketURL identify what the helpdesk made of the
	// report, once delivered.
	TicketID  string `json:"ticket_id,omitempty"`
	TicketURL string `json:"ticket_url,omitempty"`
	// RemoteStatus is the helpdesk's own status of the ticket ("open",
	// "solved"), when the backend can tell.
	RemoteStatus string `json:"remote_status,omitempty"`
	// DeliveredAt is when the helpdesk accepted the report.
	DeliveredAt time.Time `json:"delivered_at,omitzero"`
}

// State is the delivery state of a report: one entry per destination.
type State struct {
	// Destinations is empty until the service routes the report.
	Destinations []Destination `json:"destinations,omitempty"`
	// Broken is set when the report itself can no longer be delivered:
	// its saved content was found damaged. It says what happened.
	Broken string `json:"broken,omitempty"`
}

// Overall is the one state an employee sees for a report.
type Overall string

// Overall states, each with a phrase for the employee (Phrase).
const (
	// OverallSaved: durable on this machine and on its way.
	OverallSaved Overall = "saved"
	// OverallSent: every destination has it.
	OverallSent Overall = "sent"
	// OverallOffline: waiting for the network to come back.
	OverallOffline Overall = "offline"
	// OverallNeedsAttention: stuck until someone acts (a refused
	// request, bad credentials, a damaged file).
	OverallNeedsAttention Overall = "needs-attention"
)

// Phrases the app shows, in the words.
const (
	PhraseSaved          = "Saved — sending to IT"
	PhraseSent           = "Sent"
	PhraseOffline        = "Will send when you're back online"
	PhraseNeedsAttention = "Needs attention"
)

// Overall folds the destinations into one state. Anything stuck wins over
// anything sent: an employee whose report reached e-mail but not the
// ticket system should know something is wrong, and IT sees which
// destination in the spool list. A report not yet routed is saved.
func (s State) Overall() Overall {
	if s.Broken != "" {
		return OverallNeedsAttention
	}
	delivered, offline := 0, false
	for _, d := range s.Destinations {
		switch {
		case d.State == NeedsAttention:
			return OverallNeedsAttention
		case d.State == Delivered:
			delivered++
		case d.Offline:
			offline = true
		}
	}
	switch {
	case len(s.Destinations) > 0 && delivered == len(s.Destinations):
		return OverallSent
	case offline:
		return OverallOffline
	}
	return OverallSaved
}

// Phrase is what the employee reads: one of the Phrase constants, with the
// reason after "Needs attention: ".
func (s State) Phrase() string {
	switch s.Overall() {
	case OverallSent:
		return PhraseSent
	case OverallOffline:
		return PhraseOffline
	case OverallNeedsAttention:
		return PhraseNeedsAttention + ": " + s.attentionReason()
	}
	return PhraseSaved
}

func (s State) attentionReason() string {
	if s.Broken != "" {
		return s.Broken
	}
	for _, d := range s.Destinations {
		if d.State == NeedsAttention && d.LastError != "" {
			return d.LastError
		}
	}
	return "IT has to look at this report before it can be sent"
}

// Due returns when the delivery loop should next work on the report, and
// false when there is nothing to do (all delivered, stuck or broken). A
// report with no destinations yet is due at once, to be routed.
func (s State) Due() (time.Time, bool) {
	if s.Broken != "" {
		return time.Time{}, false
	}
	if len(s.Destinations) == 0 {
		return time.Time{}, true
	}
	var next time.Time
	due := false
	for _, d := range s.Destinations {
		if !d.State.pending() {
			continue
		}
		if !due || d.NextAttempt.Before(next) {
			next = d.NextAttempt
		}
		due = true
	}
	return next, due
}

// Retry puts every destination that is stuck or waiting back in the queue
// for an attempt now: what "firstline-service spool retry" does after IT
// fixed the cause. It reports whether anything changed. A broken report
// stays broken: there is nothing left to send.
func (s *State) Retry() bool {
	changed := false
	for i := range s.Destinations {
		d := &s.Destinations[i]
		if d.State == NeedsAttention || d.State == FailedTransient {
			d.State, d.NextAttempt = Queued, time.Time{}
			changed = true
		}
	}
	return changed
}

// Destination returns the named destination, or nil.
func (s *State) Destination(name string) *Destination {
	for i := range s.Destinations {
		if s.Destinations[i].Name == name {
			return &s.Destinations[i]
		}
	}
	return nil
}

// Clone returns a copy that shares nothing with s.
func (s State) Clone() State {
	s.Destinations = append([]Destination(nil), s.Destinations...)
	return s
}

// Limits on what a state may hold, so that a backend quoting a whole HTTP
// error page does not bloat a file rewritten on every attempt.
const (
	MaxErrorChars = 500
	maxTextChars  = 2048 // names, ticket ids and URLs, remote status
)

// Normalize cuts free text to its limits and makes LastError a single
// line. UpdateState in the spool calls it, so backends need not.
func (s *State) Normalize() {
	s.Broken = oneLine(s.Broken, MaxErrorChars)
	for i := range s.Destinations {
		d := &s.Destinations[i]
		d.LastError = oneLine(d.LastError, MaxErrorChars)
		d.Name = oneLine(d.Name, maxTextChars)
		d.TicketID = oneLine(d.TicketID, maxTextChars)
		d.TicketURL = oneLine(d.TicketURL, maxTextChars)
		d.RemoteStatus = oneLine(d.RemoteStatus, maxTextChars)
		d.Attempts = max(d.Attempts, 0)
	}
}

// oneLine replaces control characters with spaces, squeezes runs of white
// space and cuts s to n characters.
func oneLine(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
