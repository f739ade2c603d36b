package reports

import (
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
)

// class is what a report counts as in a user's summary.
type class uint8

const (
	uncounted class = iota // delivered, archived
	pending                // saved or offline: on its way
	attention              // needs attention
)

// tracked is a counted report: its owner and class.
type tracked struct {
	uid   string
	class class
}

func classify(rec report.Record) class {
	if !rec.ArchivedAt.IsZero() {
		return uncounted
	}
	switch rec.State.Overall() {
	case report.OverallNeedsAttention:
		return attention
	case report.OverallSent:
		return uncounted
	}
	return pending
}

// track updates the counts for rec's current state and publishes the new
// totals. Each change of one report moves its owner's counts and the
// totals by the same amount, and is published on its own, so the hub
// wakes the watchers exactly when some user's counts changed. Reports that
// count for nothing are not kept, so the map holds only the backlog.
func (p *Pipeline) track(rec report.Record) {
	p.mu.Lock()
	defer p.mu.Unlock()
	old := p.classes[rec.Key]
	now := tracked{uid: rec.Owner.UID, class: classify(rec)}
	if old == now || old.class == uncounted && now.class == uncounted {
		return
	}
	p.shift(old, -1)
	p.shift(now, +1)
	if now.class == uncounted {
		delete(p.classes, rec.Key)
	} else {
		p.classes[rec.Key] = now
	}
	if p.opts.Hub != nil {
		total := p.total
		p.opts.Hub.Update(func(s *localapi.State) { s.Reports = total })
	}
}

// shift adds d to the counts of t. Call with p.mu held.
func (p *Pipeline) shift(t tracked, d int) {
	if t.class == uncounted {
		return
	}
	c := p.counts[t.uid]
	switch t.class {
	case pending:
		c.Pending += d
		p.total.Pending += d
	case attention:
		c.NeedsAttention += d
		p.total.NeedsAttention += d
	}
	if c == (localapi.ReportSummary{}) {
		delete(p.counts, t.uid)
	} else {
		p.counts[t.uid] = c
	}
}

// Counts returns uid's reports that are on their way and that need
// attention, for the watch stream.
func (p *Pipeline) Counts(uid string) localapi.ReportSummary {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts[uid]
}

// refresh re-reads key's record (after the spool may have changed it on
// its own, such as marking damaged content) and tracks it.
func (p *Pipeline) refresh(key report.Key) {
	rec, err := p.spool.Get(key)
	if err != nil {
		rec = report.Record{Key: key} // gone: counts for nothing
		p.mu.Lock()
		rec.Owner.UID = p.classes[key].uid
		p.mu.Unlock()
		rec.ArchivedAt = p.opts.Now()
	}
	p.track(rec)
}
