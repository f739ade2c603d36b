// Package link is what the app knows about the service at one moment:
// whether it answers, the status it last reported and its latest state. The
// transitions are pure functions, so every path from "starting" through
// "connected" to "not running" is tested without a socket or a display.
package link

import (
	"errors"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
)

// State is how the app's link to the service stands.
type State int

const (
	// Connecting: the app has just started and the service has not answered
	// yet.
	Connecting State = iota
	// Up: a watch stream is open.
	Up
	// Down: the service is not running (nothing listens on its socket).
	Down
	// NotResponding: the service is there but the link broke for another
	// reason (it is shutting down, overloaded, or went silent).
	NotResponding
)

// Describe is the state in one line, as the tray menu and the window say it.
func (s State) Describe() string {
	switch s {
	case Up:
		return "Connected to Firstline service"
	case Down:
		return "Firstline service is not running"
	case NotResponding:
		return "Firstline service is not responding"
	}
	return "Connecting to Firstline service…"
}

// String names the state for logs.
func (s State) String() string {
	switch s {
	case Connecting:
		return "connecting"
	case Up:
		return "up"
	case Down:
		return "down"
	case NotResponding:
		return "not responding"
	}
	return "unknown"
}

// Snapshot is everything the app shows that comes from the service. The
// zero value is the state at start: connecting, nothing known yet.
type Snapshot struct {
	State State
	// Err is why the link is not up; nil while connecting or up.
	Err error
	// Retry is when the next connection attempt is made while not up.
	Retry time.Time
	// Status is the last status the service reported. It is kept while the
	// service is away: IT's contact details stay valid and are exactly what
	// the employee needs then.
	Status *localapi.Status
	// Live is the latest state event; nil while not up, because counts from
	// a service that is gone would be stale.
	Live *localapi.State
	// Remembered is IT's contact details from an earlier run of the app,
	// shown when the service has not answered since this one started: the
	// moment the service is down is when the employee needs them most.
	Remembered localapi.Support
}

// WithConnection applies a link change reported by the follower.
func (s Snapshot) WithConnection(c localapi.Connection) Snapshot {
	if c.Connected {
		s.State, s.Err, s.Retry = Up, nil, time.Time{}
		return s
	}
	s.State, s.Err, s.Retry, s.Live = Down, c.Err, c.Retry, nil
	if c.Err != nil && !errors.Is(c.Err, localapi.ErrUnreachable) {
		s.State = NotResponding
	}
	return s
}

// WithEvent applies one event of the watch stream. Only state events change
// anything; unknown types are ignored as the protocol requires.
func (s Snapshot) WithEvent(ev localapi.Event) Snapshot {
	if ev.Type != localapi.EventState || ev.State == nil {
		return s
	}
	live := *ev.State
	s.Live = &live
	s.State, s.Err = Up, nil
	return s
}

// WithStatus records a freshly fetched status.
func (s Snapshot) WithStatus(st *localapi.Status) Snapshot {
	if st != nil {
		s.Status = st
	}
	return s
}

// ServiceVersion is the running service's version, or "" when unknown.
func (s Snapshot) ServiceVersion() string {
	if s.Live != nil && s.Live.ServiceVersion != "" {
		return s.Live.ServiceVersion
	}
	if s.Status != nil {
		return s.Status.Version
	}
	return ""
}

// Support is IT's contact information as last reported, else as remembered
// from an earlier run, else zero.
func (s Snapshot) Support() localapi.Support {
	if s.Status == nil {
		return s.Remembered
	}
	return s.Status.Support
}
