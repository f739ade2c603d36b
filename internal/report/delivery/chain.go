package delivery

import (
	"fmt"
	"time"
)

// Route is one destination of a [Chain].
type Route struct {
	// Destination names a configured backend.
	Destination string `toml:"destination" json:"destination"`
	// FallbackAfter is how many failed attempts of this destination engage
	// the next route of the chain as well (0: only once this destination
	// needs attention). It is ignored on the last route.
	FallbackAfter int `toml:"fallback_after" json:"fallback_after,omitempty"`
}

// Chain is an ordered list of destinations of which one must accept a
// report. The first route is tried from the start; route i+1 joins in once
// route i has failed FallbackAfter times or needs attention, and stays in
// from then on. The first destination to accept the report ends the chain
// for all of them.
type Chain []Route

// maxFallbackAfter bounds fallback_after to something that still means
// "fall back" (a day of the default backoff is about 50 attempts).
const maxFallbackAfter = 1000

// Validate checks that the chain names at least one destination, each once,
// each known (when known is not nil), and that every fallback_after is in
// range. It returns nil or a *config.Error whose keys are relative to the
// chain ("[1].destination"; see [Qualify]).
func (c Chain) Validate(known func(destination string) bool) error {
	var v Problems
	if len(c) == 0 {
		v.Add("", "names no destination; add at least one route")
	}
	seen := make(map[string]int, len(c))
	for i, r := range c {
		key := fmt.Sprintf("[%d].", i)
		switch first, dup := seen[r.Destination]; {
		case r.Destination == "":
			v.Add(key+"destination", "is empty; name a configured destination")
		case dup:
			v.Add(key+"destination", "%q is already route %d; each destination may appear once", r.Destination, first)
		case known != nil && !known(r.Destination):
			v.Add(key+"destination", "%q is not a configured destination", r.Destination)
		}
		seen[r.Destination] = i
		if r.FallbackAfter < 0 || r.FallbackAfter > maxFallbackAfter {
			v.Add(key+"fallback_after", "%d is outside the allowed range 0..%d", r.FallbackAfter, maxFallbackAfter)
		}
	}
	return v.Err()
}

// State is what the spool remembers about one report at one destination.
// The zero value is a destination not tried yet.
type State struct {
	// Failures counts failed attempts since the state was last reset.
	Failures int `json:"failures,omitempty"`
	// NextAttempt is the earliest time for the next attempt after a
	// transient failure.
	NextAttempt time.Time `json:"next_attempt,omitzero"`
	// LastAttempt is when the destination was last tried.
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	// LastError is the last failure, for IT and the employee; backends keep
	// secrets out of their errors.
	LastError string `json:"last_error,omitempty"`
	// NeedsAttention is set by a permanent failure: no further attempts
	// until IT fixes the cause and resets the state.
	NeedsAttention bool `json:"needs_attention,omitempty"`
	// Delivered is set once the destination accepted the report.
	Delivered bool `json:"delivered,omitempty"`
	// Receipt is what the destination answered when it accepted it.
	Receipt Receipt `json:"receipt,omitzero"`
}

// Record returns s updated with the outcome of an attempt made at now:
// delivered (err nil), needs attention (permanent err), or due again
// after b's delay for the new failure count (any other err). A canceled
// attempt (the service stopping) leaves s as it was.
func (s State) Record(now time.Time, receipt Receipt, err error, b Backoff, r Rand) State {
	if err != nil && IsCanceled(err) {
		return s
	}
	s.LastAttempt = now
	s.NextAttempt = time.Time{}
	if err == nil {
		s.Delivered, s.Receipt, s.LastError = true, receipt, ""
		return s
	}
	s.Failures++
	s.LastError = err.Error()
	if IsPermanent(err) {
		s.NeedsAttention = true
		return s
	}
	s.NextAttempt = now.Add(b.Delay(s.Failures, err, r))
	return s
}

// engaged reports whether the destination has been tried already, which
// keeps it in the chain's active set whatever happens before it.
func (s State) engaged() bool {
	return s.Failures > 0 || s.NeedsAttention || s.Delivered
}

// Action is what [Chain.Plan] says to do about one destination.
type Action int

const (
	// Idle: not engaged yet; an earlier destination has not failed enough.
	Idle Action = iota
	// Attempt: try it now.
	Attempt
	// Wait: retry it at Step.At.
	Wait
	// NeedsAttention: it failed permanently; IT must act.
	NeedsAttention
	// Delivered: it accepted the report.
	Delivered
	// Skipped: another destination of the chain accepted the report.
	Skipped
)

var actionNames = [...]string{"idle", "attempt", "wait", "needs-attention", "delivered", "skipped"}

func (a Action) String() string {
	if a >= 0 && int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("Action(%d)", int(a))
}

// MarshalText writes the action's name, for the CLI's JSON output.
func (a Action) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// Step is the decision about one route.
type Step struct {
	Destination string    `json:"destination"`
	Action      Action    `json:"action"`
	At          time.Time `json:"at,omitzero"` // when a Wait is due
}

// Decision is [Chain.Plan]'s answer.
type Decision struct {
	// Steps has one entry per route, in chain order.
	Steps []Step `json:"steps"`
	// Attempt lists the destinations to try now, in chain order.
	Attempt []string `json:"attempt,omitempty"`
	// Wake is the earliest time a waiting destination becomes due; zero
	// when nothing waits.
	Wake time.Time `json:"wake,omitzero"`
	// Delivered names the destination that accepted the report; the chain
	// is done.
	Delivered string `json:"delivered,omitempty"`
	// NeedsAttention is set when the report is not delivered and nothing
	// is left to try without IT: every destination failed permanently.
	NeedsAttention bool `json:"needs_attention,omitempty"`
}

// Done reports whether a destination accepted the report.
func (d Decision) Done() bool { return d.Delivered != "" }

// Plan decides, from the states of a report's destinations at now, which to
// attempt now, which to wait for, and whether the chain is done or stuck.
// A destination missing from states is one not tried yet. Plan is pure:
// the spool persists the states and calls it again after every attempt.
func (c Chain) Plan(states map[string]State, now time.Time) Decision {
	d := Decision{Steps: make([]Step, len(c))}
	for _, r := range c {
		if states[r.Destination].Delivered {
			d.Delivered = r.Destination
			break
		}
	}
	engaged := false
	for i, r := range c {
		s := states[r.Destination]
		engaged = i == 0 || s.engaged() || engaged && c[i-1].triggers(states[c[i-1].Destination])
		step := Step{Destination: r.Destination}
		switch {
		case s.Delivered:
			step.Action = Delivered
		case d.Delivered != "":
			step.Action = Skipped
		case !engaged:
			step.Action = Idle
		case s.NeedsAttention:
			step.Action = NeedsAttention
		case s.NextAttempt.After(now):
			step.Action, step.At = Wait, s.NextAttempt
			if d.Wake.IsZero() || s.NextAttempt.Before(d.Wake) {
				d.Wake = s.NextAttempt
			}
		default:
			step.Action = Attempt
			d.Attempt = append(d.Attempt, r.Destination)
		}
		d.Steps[i] = step
	}
	d.NeedsAttention = !d.Done() && len(d.Attempt) == 0 && d.Wake.IsZero()
	return d
}

// triggers reports whether route r, in state s, engages the route after
// it.
func (r Route) triggers(s State) bool {
	return s.NeedsAttention || r.FallbackAfter > 0 && s.Failures >= r.FallbackAfter
}
