package reports

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/report/spool"
)

// process works on one report the walk at found due: it brings its state
// in line with the route, delivers it to each destination the chain says
// to try, including those a failure engages on the way, and archives it
// once one of them has it.
func (p *Pipeline) process(ctx context.Context, key report.Key, at time.Time) {
	rec, err := p.spool.Get(key)
	if err != nil || !rec.ArchivedAt.IsZero() || rec.State.Broken != "" {
		return
	}
	if dest := deliveredTo(rec.State); dest != "" {
		p.finish(ctx, rec, dest) // delivered, then interrupted before the archive
		return
	}
	if rec, err = p.settle(ctx, rec, at); err != nil {
		p.log.ErrorContext(ctx, "cannot update a report's route", "key", key, "reference", rec.Reference, "err", err)
		p.holdBack(key)
		return
	}
	if len(p.opts.Chain.Plan(chainStates(rec.State), at).Attempt) == 0 {
		return
	}
	rep, err := p.spool.Load(ctx, key)
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return
	case errors.Is(err, spool.ErrDamaged):
		p.log.ErrorContext(ctx, "a report's saved content is damaged; it was moved to quarantine and needs attention",
			"key", key, "reference", rec.Reference, "owner", rec.Owner.UID, "err", err)
		p.refresh(key)
		return
	default:
		p.log.ErrorContext(ctx, "cannot read a report's content; trying again later", "key", key,
			"reference", rec.Reference, "retry_in", holdOff, "err", err)
		p.holdBack(key)
		return
	}
	msg := Message(&rep, p.opts.Hostname)
	tried := map[string]bool{}
	for {
		var todo []string
		for _, dest := range p.opts.Chain.Plan(chainStates(rec.State), at).Attempt {
			if !tried[dest] {
				todo = append(todo, dest)
			}
		}
		if len(todo) == 0 {
			return
		}
		if rec, err = p.engage(ctx, rec, todo); err != nil {
			p.log.ErrorContext(ctx, "cannot record a report's next destination", "key", key, "reference", rec.Reference, "err", err)
			p.holdBack(key)
			return
		}
		for _, dest := range todo {
			tried[dest] = true
			var delivered bool
			rec, delivered = p.attempt(ctx, rec, dest, &msg, at)
			if delivered {
				p.finish(ctx, rec, dest)
				return
			}
			if ctx.Err() != nil {
				return
			}
		}
	}
}

// engage records dests as queued where the report has no state for them
// yet (a fallback the last failure engaged), before they are tried: were
// the service to stop now, the report would still be due for them.
func (p *Pipeline) engage(ctx context.Context, rec report.Record, dests []string) (report.Record, error) {
	var missing []string
	for _, dest := range dests {
		if rec.State.Destination(dest) == nil {
			missing = append(missing, dest)
		}
	}
	if len(missing) == 0 || len(rec.State.Destinations) == 0 {
		// The first destination of a new report needs no record: a
		// report without any is due anyway.
		return rec, nil
	}
	out, err := p.spool.UpdateState(ctx, rec.Key, func(st *report.State) error {
		for _, dest := range missing {
			if st.Destination(dest) == nil {
				st.Destinations = append(st.Destinations, report.Destination{Name: dest, State: report.Queued})
			}
		}
		return nil
	})
	if err != nil {
		return rec, err
	}
	p.log.InfoContext(ctx, "report falling back to the next destination", "key", rec.Key, "reference", rec.Reference, "destinations", missing)
	return out, nil
}

// settle drops the destinations the route no longer has for a report that
// is not delivered: ones IT took out of the route, and queued ones the
// chain would not try yet (fallback_after was raised). Without this the
// spool would keep the report due for destinations nobody tries.
func (p *Pipeline) settle(ctx context.Context, rec report.Record, at time.Time) (report.Record, error) {
	plan := p.opts.Chain.Plan(chainStates(rec.State), at)
	stale := func(d report.Destination) bool {
		i := slices.IndexFunc(plan.Steps, func(s delivery.Step) bool { return s.Destination == d.Name })
		return i < 0 || plan.Steps[i].Action == delivery.Idle
	}
	if !slices.ContainsFunc(rec.State.Destinations, stale) {
		return rec, nil
	}
	out, err := p.spool.UpdateState(ctx, rec.Key, func(st *report.State) error {
		st.Destinations = slices.DeleteFunc(st.Destinations, func(d report.Destination) bool {
			return d.State != report.Delivered && stale(d)
		})
		return nil
	})
	if err != nil {
		return rec, err
	}
	p.log.InfoContext(ctx, "report re-routed after a change of delivery.route", "key", rec.Key,
		"reference", rec.Reference, "route", routeNames(p.opts.Chain))
	p.track(out)
	return out, nil
}

// attempt delivers msg to dest, or records it as held back when dest was
// failing for other reports at the walk's time at, and writes the
// outcome. It reports whether dest accepted the report. A delivery cut
// short because the service is stopping is no attempt: nothing is
// recorded.
func (p *Pipeline) attempt(ctx context.Context, rec report.Record, dest string, msg *delivery.Message, at time.Time) (report.Record, bool) {
	before := chainStates(rec.State)[dest]
	start := p.opts.Now()
	var receipt delivery.Receipt
	var err error
	g, gated := p.closedGate(dest, at)
	if gated {
		err = &gatedError{g}
	} else {
		receipt, err = p.deliver(ctx, dest, msg)
		if err != nil && (ctx.Err() != nil || delivery.IsCanceled(err)) {
			return rec, false
		}
	}
	end := p.opts.Now()
	after := before.Record(end, receipt, err, p.opts.Backoff, p.opts.Rand)
	offline := err != nil && isOffline(err)
	if gated {
		after.NextAttempt, offline = g.until, g.offline
	}
	// The outcome is recorded even when the service is stopping: a
	// delivery that happened must not be made again for want of a line
	// on disk.
	out, werr := p.spool.UpdateState(context.WithoutCancel(ctx), rec.Key, func(st *report.State) error {
		recordOutcome(st, dest, after, offline)
		return nil
	})
	if werr != nil {
		p.log.ErrorContext(ctx, "cannot record a delivery attempt", "key", rec.Key, "reference", rec.Reference,
			"destination", dest, "delivered", err == nil, "err", werr)
		p.holdBack(rec.Key)
		return rec, false
	}
	p.track(out)
	switch {
	case err == nil:
		p.openGate(dest)
	case !gated && !delivery.IsPermanent(err):
		p.closeGate(dest, gate{until: after.NextAttempt, err: after.LastError, offline: offline})
	}
	p.logAttempt(ctx, out, dest, err, gated, end.Sub(start), after)
	return out, err == nil
}

// deliver makes one attempt with the per-attempt time limit.
func (p *Pipeline) deliver(ctx context.Context, dest string, msg *delivery.Message) (delivery.Receipt, error) {
	actx, cancel := context.WithTimeout(ctx, p.opts.AttemptTimeout)
	defer cancel()
	receipt, err := p.backends[dest].Deliver(actx, *msg)
	if err != nil && ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		err = delivery.Transient(fmt.Errorf("%s: no answer within %s", dest, p.opts.AttemptTimeout), 0)
	}
	return receipt, err
}

// recordOutcome folds an attempt's outcome (after, from
// delivery.State.Record) into the report's state for dest.
func recordOutcome(st *report.State, dest string, after delivery.State, offline bool) {
	d := st.Destination(dest)
	if d == nil {
		st.Destinations = append(st.Destinations, report.Destination{Name: dest})
		d = &st.Destinations[len(st.Destinations)-1]
	}
	d.Attempts++
	d.LastAttempt, d.NextAttempt, d.LastError = after.LastAttempt, after.NextAttempt, after.LastError
	d.Offline = false
	switch {
	case after.Delivered:
		d.State = report.Delivered
		d.DeliveredAt = after.LastAttempt
		d.TicketID, d.TicketURL, d.RemoteStatus = after.Receipt.TicketID, after.Receipt.TicketURL, after.Receipt.Status
	case after.NeedsAttention:
		d.State = report.NeedsAttention
	default:
		d.State, d.Offline = report.FailedTransient, offline
	}
}

// chainStates is the chain's view of a report's destinations.
func chainStates(st report.State) map[string]delivery.State {
	out := make(map[string]delivery.State, len(st.Destinations))
	for _, d := range st.Destinations {
		s := delivery.State{LastAttempt: d.LastAttempt, LastError: d.LastError}
		switch d.State {
		case report.Delivered:
			s.Delivered = true
			s.Receipt = delivery.Receipt{TicketID: d.TicketID, TicketURL: d.TicketURL, Status: d.RemoteStatus}
		case report.NeedsAttention:
			s.NeedsAttention, s.Failures = true, d.Attempts
		default:
			// Queued, failed-transient, and sending (an attempt a crash
			// cut short: due again).
			s.Failures, s.NextAttempt = d.Attempts, d.NextAttempt
		}
		out[d.Name] = s
	}
	return out
}

// deliveredTo names a destination that has the report.
func deliveredTo(st report.State) string {
	for _, d := range st.Destinations {
		if d.State == report.Delivered {
			return d.Name
		}
	}
	return ""
}

// finish ends a delivered report's journey: the destinations that did not
// get it are dropped (the chain is done: the first to accept it ends it
// for all) and the content is archived. Like the outcome, this is written
// even when the service is stopping.
func (p *Pipeline) finish(ctx context.Context, rec report.Record, dest string) {
	ctx = context.WithoutCancel(ctx)
	if len(rec.State.Destinations) > 1 {
		out, err := p.spool.UpdateState(ctx, rec.Key, func(st *report.State) error {
			st.Destinations = slices.DeleteFunc(st.Destinations, func(d report.Destination) bool {
				return d.State != report.Delivered
			})
			return nil
		})
		if err != nil {
			p.log.ErrorContext(ctx, "cannot record a delivered report", "key", rec.Key, "reference", rec.Reference, "err", err)
			p.holdBack(rec.Key)
			return
		}
		rec = out
	}
	if err := p.spool.Archive(ctx, rec.Key); err != nil {
		p.log.ErrorContext(ctx, "cannot archive a delivered report", "key", rec.Key, "reference", rec.Reference, "err", err)
		p.holdBack(rec.Key)
		return
	}
	p.refresh(rec.Key)
	d := rec.State.Destination(dest)
	p.log.InfoContext(ctx, "report delivered", "key", rec.Key, "reference", rec.Reference, "owner", rec.Owner.UID,
		"destination", dest, "ticket_id", d.TicketID, "attempts", d.Attempts,
		"after", p.opts.Now().Sub(rec.ReceivedAt).Round(time.Millisecond))
}

// logAttempt logs an attempt's outcome: a failure with when it is tried
// next, so that the backoff can be followed in the log. Backends keep
// secrets out of their errors. Reports held back by a failing destination
// are logged at debug level: the attempt that failed was logged already.
func (p *Pipeline) logAttempt(ctx context.Context, rec report.Record, dest string, err error, gated bool, took time.Duration, after delivery.State) {
	d := rec.State.Destination(dest)
	attrs := []any{"key", rec.Key, "reference", rec.Reference, "destination", dest, "attempt", d.Attempts}
	switch {
	case err == nil:
		p.log.InfoContext(ctx, "delivery attempt succeeded", append(attrs, "outcome", "delivered",
			"ticket_id", d.TicketID, "took", took.Round(time.Millisecond))...)
	case delivery.IsPermanent(err):
		p.log.ErrorContext(ctx, "delivery refused; the report needs attention (firstline-service spool retry after fixing the cause)",
			append(attrs, "outcome", "needs-attention", "err", d.LastError)...)
	default:
		level, msg := slog.LevelWarn, "delivery attempt failed; will retry"
		if gated {
			level, msg = slog.LevelDebug, "delivery held back: the destination is failing for another report"
		}
		retryIn := after.NextAttempt.Sub(after.LastAttempt).Round(time.Millisecond)
		p.log.Log(ctx, level, msg, append(attrs, "outcome", "retry", "retry_at", after.NextAttempt.Format(time.RFC3339Nano),
			"retry_in", retryIn, "offline", d.Offline, "err", d.LastError)...)
	}
}
