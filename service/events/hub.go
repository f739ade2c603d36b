// Package events holds the service's current [localapi.State] and wakes
// every watcher when it changes. Watchers always read the latest whole
// state, so a slow client coalesces changes instead of queueing them: memory
// stays bounded no matter how many apps watch or how slowly they read.
package events

import (
	"sync"

	"github.com/firstline-it/firstline/internal/localapi"
)

// Hub is the state broadcaster. The zero value is not usable; use NewHub.
type Hub struct {
	mu      sync.Mutex
	seq     uint64
	state   localapi.State
	changed chan struct{} // closed on the next change, then replaced
}

// NewHub returns a hub holding initial as state number 1.
func NewHub(initial localapi.State) *Hub {
	return &Hub{seq: 1, state: initial, changed: make(chan struct{})}
}

// Snapshot returns the current state, its sequence number, and a channel that
// is closed on the next change.
func (h *Hub) Snapshot() (uint64, localapi.State, <-chan struct{}) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seq, h.state, h.changed
}

// Update applies fn to a copy of the state. Watchers are woken only when the
// result differs, so writers may call Update freely without spamming apps.
// It reports whether the state changed.
func (h *Hub) Update(fn func(*localapi.State)) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	next := h.state
	fn(&next)
	if next == h.state {
		return false
	}
	h.state = next
	h.seq++
	close(h.changed)
	h.changed = make(chan struct{})
	return true
}
