package reports

import (
	"context"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/report/spool"
)

// Bounds of the status read-back: a helpdesk is asked about at most
// maxReadBack tickets per round, each within readBackTimeout, so a slow
// one cannot hold the round up for long nor be flooded.
const (
	maxReadBack     = 200
	readBackTimeout = 30 * time.Second
	pruneEvery      = time.Hour
)

// housekeep reads helpdesk statuses back every StatusInterval and prunes
// old records every hour, until ctx ends.
func (p *Pipeline) housekeep(ctx context.Context) {
	p.prune(ctx)
	lastPrune := time.Now()
	t := time.NewTicker(p.opts.StatusInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		p.readBack(ctx)
		if time.Since(lastPrune) >= pruneEvery {
			p.finishDelivered(ctx)
			p.prune(ctx)
			lastPrune = time.Now()
		}
	}
}

// readBack asks the destinations that can tell (delivery.StatusReader)
// what became of the tickets of delivered reports, until the ticket is
// closed or the record is pruned, and records changes for "My reports".
func (p *Pipeline) readBack(ctx context.Context) {
	asked := 0
	for rec := range p.spool.All(spool.Filter{}) {
		for _, d := range rec.State.Destinations {
			sr, ok := p.backends[d.Name].(delivery.StatusReader)
			if !ok || d.State != report.Delivered || d.TicketID == "" || closedStatus(d.RemoteStatus) {
				continue
			}
			if asked >= maxReadBack || ctx.Err() != nil {
				return
			}
			asked++
			p.readOne(ctx, rec, d, sr)
		}
	}
}

func (p *Pipeline) readOne(ctx context.Context, rec report.Record, d report.Destination, sr delivery.StatusReader) {
	sctx, cancel := context.WithTimeout(ctx, readBackTimeout)
	status, err := sr.Status(sctx, d.TicketID)
	cancel()
	if err != nil {
		if ctx.Err() == nil {
			p.log.DebugContext(ctx, "cannot read a ticket's status back", "reference", rec.Reference,
				"destination", d.Name, "ticket_id", d.TicketID, "err", err)
		}
		return
	}
	status = delivery.HeaderText(status)
	if status == "" || status == d.RemoteStatus {
		return
	}
	out, err := p.spool.UpdateState(ctx, rec.Key, func(st *report.State) error {
		if cur := st.Destination(d.Name); cur != nil && cur.TicketID == d.TicketID {
			cur.RemoteStatus = status
		}
		return nil
	})
	if err != nil {
		p.log.ErrorContext(ctx, "cannot record a ticket's status", "reference", rec.Reference, "err", err)
		return
	}
	p.track(out)
	p.log.InfoContext(ctx, "helpdesk status changed", "key", rec.Key, "reference", rec.Reference,
		"destination", d.Name, "ticket_id", d.TicketID, "from", d.RemoteStatus, "to", status)
}

// closedStatus reports whether a helpdesk status is final, so the ticket
// need not be asked about again.
func closedStatus(s string) bool {
	switch strings.ToLower(s) {
	case "resolved", "rejected", "deleted", "closed", "solved", "done", "cancelled", "canceled":
		return true
	}
	return false
}

// prune removes the records of reports delivered longer ago than
// keep_delivered.
func (p *Pipeline) prune(ctx context.Context) {
	n, err := p.spool.Prune(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		p.log.ErrorContext(ctx, "cannot remove old report records", "removed", n, "err", err)
	case n > 0:
		p.log.InfoContext(ctx, "removed the records of reports delivered long ago", "removed", n)
	}
}
