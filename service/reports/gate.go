package reports

import "time"

// gate remembers that a destination failed for a reason that is not the
// report's (the network, a 5xx, a 429): until it opens, the other reports
// waiting for that destination are not sent there but recorded as failed
// with the same error and the same time to try again. A helpdesk that is
// down, or a laptop that is offline, then costs one request per backoff
// step instead of one per report in the queue, and when the time comes
// the queue goes out oldest first.
type gate struct {
	until   time.Time
	err     string
	offline bool
}

// gatedError is the failure recorded for a report that was held back by a
// closed gate. It is transient.
type gatedError struct{ g gate }

func (e *gatedError) Error() string { return e.g.err }

// closedGate returns dest's gate if it is closed at now.
func (p *Pipeline) closedGate(dest string, now time.Time) (gate, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	g, ok := p.gates[dest]
	if !ok || !g.until.After(now) {
		return gate{}, false
	}
	return g, true
}

// closeGate holds dest back until until, unless it is held longer already.
func (p *Pipeline) closeGate(dest string, g gate) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if old, ok := p.gates[dest]; !ok || g.until.After(old.until) {
		p.gates[dest] = g
	}
}

// openGate lets reports go to dest again: it just accepted one.
func (p *Pipeline) openGate(dest string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.gates, dest)
}
