package handover

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/report/spool"
)

// Result is what one hand-over did.
type Result struct {
	// Sent counts reports the service took, or had already.
	Sent int
	// Refused counts reports the service refused for what they are (too
	// large for its limits, say); they stay in the outbox, marked, and
	// are offered again next time in case IT changed the limits.
	Refused int
	// Left counts the reports still in the outbox afterwards.
	Left int
	// Stopped is why the hand-over ended before trying every report: the
	// service went away, is full, or cannot take reports yet. Nil when
	// every report was offered.
	Stopped error
}

// Refused reports whether err from SubmitReport is the service's final
// word on this report: a request it will refuse however often it comes.
// Any other failure (the service is away, full, too old to take reports,
// or the answer was lost) means "keep it and try again": the key makes a
// second try safe.
func Refused(err error) bool {
	var e *localapi.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code {
	case localapi.CodeSpoolFull, localapi.CodeTooManyConnections, localapi.CodeShuttingDown,
		localapi.CodeNotFound, localapi.CodeMethodNotAllowed, localapi.CodeInternal:
		return false
	}
	return e.Status/100 == 4
}

// HandOver offers every report in the outbox to the service, oldest first,
// and removes each one the service has. It stops at the first failure that
// would fail for every report alike (the service is gone or full). Each
// report is logged.
func (o *Outbox) HandOver(ctx context.Context, snd Sender) Result {
	o.handing.Lock()
	defer o.handing.Unlock()
	var res Result
	if _, err := os.Stat(o.dir); errors.Is(err, os.ErrNotExist) {
		return res // nothing was ever kept
	}
	sp, err := o.spool()
	if err != nil {
		res.Stopped = err
		return res
	}
	if _, err := sp.Prune(ctx); err != nil {
		o.log.Warn("clearing handed-over reports from this computer", "err", err)
	}
	for rec := range sp.All(spool.Filter{SkipArchived: true}) {
		if err := ctx.Err(); err != nil {
			res.Stopped = err
			break
		}
		err := o.handOne(ctx, sp, snd, rec)
		switch {
		case err == nil:
			res.Sent++
		case errors.Is(err, errSkipped):
		case Refused(err):
			res.Refused++
		default:
			res.Stopped = err
		}
		if res.Stopped != nil {
			o.log.Info("stopped handing reports over to the service; will try again", "err", err)
			break
		}
	}
	res.Left = len(sp.List(spool.Filter{SkipArchived: true}))
	return res
}

// errSkipped: a report whose content is gone cannot be handed over; its
// record stays so the employee sees it needs attention.
var errSkipped = errors.New("report skipped")

// handOne offers one report and removes it once the service has it.
func (o *Outbox) handOne(ctx context.Context, sp *spool.Spool, snd Sender, rec report.Record) error {
	rep, err := sp.Load(ctx, rec.Key)
	if errors.Is(err, spool.ErrGone) || errors.Is(err, spool.ErrDamaged) {
		o.log.Warn("a report on this computer cannot be handed over: its saved copy is damaged", "reference", rec.Reference, "key", rec.Key, "err", err)
		return errSkipped
	}
	if err != nil {
		return fmt.Errorf("reading report %s from this computer: %w", rec.Reference, err)
	}
	sub := rep.Submission
	sctx, cancel := context.WithTimeout(ctx, sendTimeout)
	got, err := snd.SubmitReport(sctx, &sub)
	cancel()
	if Refused(err) {
		o.log.Warn("the service refused a report from this computer; keeping it", "reference", rec.Reference, "key", rec.Key, "err", err)
		o.markRefused(ctx, sp, rec.Key, err)
		return err
	}
	if err != nil {
		return err
	}
	// The service has it: from here on, losing the local copy loses
	// nothing, while keeping it would only offer it again (harmlessly).
	if err := sp.Remove(context.WithoutCancel(ctx), rec.Key); err != nil {
		o.log.Error("the service has a report but it could not be removed from this computer; it will be offered again", "reference", rec.Reference, "err", err)
	}
	o.log.Info("handed a report over to the service", "reference", got.Record.Reference, "key", rec.Key, "already_there", got.Existing)
	return nil
}

// markRefused records why the service refused a report, for My reports.
func (o *Outbox) markRefused(ctx context.Context, sp *spool.Spool, key report.Key, why error) {
	msg := why.Error()
	var e *localapi.Error
	if errors.As(why, &e) && e.Message != "" {
		msg = e.Message
	}
	now := o.opts.Now()
	_, err := sp.UpdateState(context.WithoutCancel(ctx), key, func(st *report.State) error {
		d := st.Destination(serviceName)
		if d == nil {
			st.Destinations = append(st.Destinations, report.Destination{Name: serviceName})
			d = &st.Destinations[len(st.Destinations)-1]
		}
		d.State, d.LastError, d.LastAttempt = report.NeedsAttention, "the Firstline service refused it: "+msg, now
		d.Attempts++
		return nil
	})
	if err != nil {
		o.log.Error("recording that the service refused a report", "key", key, "err", err)
	}
}

// CourierOptions configure a Courier.
type CourierOptions struct {
	Logger *slog.Logger
	// OnDone is called after every hand-over, from the courier's
	// goroutine.
	OnDone func(Result)
	// RetryAfter is how long the courier waits before trying again while
	// reports are left, besides every Kick (default 5 minutes).
	RetryAfter time.Duration
}

// DefaultRetryAfter is how often a courier with reports left tries again on
// its own: reconnects kick it sooner.
const DefaultRetryAfter = 5 * time.Minute

// Courier hands the outbox over whenever it is kicked (at start and on
// every reconnect), and on its own while reports are left. Run owns its
// one goroutine's work; the caller owns the goroutine.
type Courier struct {
	out  *Outbox
	snd  Sender
	opts CourierOptions
	kick chan struct{}
}

// NewCourier returns a courier for out that sends to snd.
func NewCourier(out *Outbox, snd Sender, opts CourierOptions) *Courier {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = DefaultRetryAfter
	}
	return &Courier{out: out, snd: snd, opts: opts, kick: make(chan struct{}, 1)}
}

// Kick asks for a hand-over soon; kicks while one is pending merge. It
// never blocks.
func (c *Courier) Kick() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Run hands over on every kick until ctx ends.
func (c *Courier) Run(ctx context.Context) {
	retry := time.NewTimer(c.opts.RetryAfter)
	retry.Stop()
	defer retry.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.kick:
		case <-retry.C:
		}
		res := c.out.HandOver(ctx, c.snd)
		if res.Sent > 0 || res.Refused > 0 {
			c.opts.Logger.Info("handed reports over from this computer", "sent", res.Sent, "refused", res.Refused, "left", res.Left)
		}
		if c.opts.OnDone != nil {
			c.opts.OnDone(res)
		}
		if res.Left > 0 && ctx.Err() == nil {
			retry.Reset(c.opts.RetryAfter)
		}
	}
}
