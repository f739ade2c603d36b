// Package handover keeps the reports an employee wrote while the Firstline
// service could not take them, in the employee's own spool, and hands them
// to the service when it is back.
//
// The outbox is the same durable spool the service uses (internal/report/
// spool), in a folder only the employee can read. A report keeps the key
// the form gave it, so handing it over twice (the app crashed after the
// service took it, or the answer was lost) never makes two reports: the
// service answers the second time with Existing set, and the report leaves
// the outbox either way.
package handover

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/report/spool"
)

// Sender is the service as a handover uses it; *localapi.Client satisfies
// it.
type Sender interface {
	SubmitReport(ctx context.Context, s *report.Submission) (*localapi.SubmitResult, error)
}

// owner marks every report in the outbox: the spool wants one, and the
// whole folder belongs to the employee whose home it is in.
const owner = "self"

// Bounds of the outbox: an employee offline for a week writes a handful of
// reports, and a runaway loop must not fill their disk.
const (
	maxReports = 200
	maxBytes   = 512 << 20
)

// sendTimeout bounds one report's hand-over: it is durable on the service's
// side within milliseconds, so this only guards against a hung service.
const sendTimeout = 60 * time.Second

// serviceName names the service where a report's state records its refusal.
const serviceName = "Firstline service"

// Options configure an Outbox.
type Options struct {
	// Logger receives a line per report handed over or kept (default:
	// discard).
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Outbox is the employee's own spool. It opens its folder on first use,
// so an app that never needs it never creates it, and a folder that could
// not be opened once is tried again next time. It is safe for concurrent
// use.
type Outbox struct {
	dir  string
	opts Options
	log  *slog.Logger

	mu sync.Mutex
	sp *spool.Spool

	// handing serialises hand-overs: the app starts one at start and one
	// per reconnect, and two at once would send each report twice.
	handing sync.Mutex
}

// Open returns the outbox in dir (created 0700 on first use).
func Open(dir string, opts Options) *Outbox {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Outbox{dir: dir, opts: opts, log: opts.Logger}
}

// Dir is the outbox's folder.
func (o *Outbox) Dir() string { return o.dir }

// spool opens the folder if it is not open yet.
func (o *Outbox) spool() (*spool.Spool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.sp != nil {
		return o.sp, nil
	}
	// KeepArchived is a moment: My reports gets the employee's reports
	// from the service, so a handed-over record has nothing left to say
	// here, and one a crash left archived is pruned on the next handover.
	sp, err := spool.Open(o.dir, spool.Options{
		MaxBytes: maxBytes, MaxReports: maxReports, Logger: o.log, Now: o.opts.Now,
		KeepArchived: time.Nanosecond,
	})
	if err != nil {
		return nil, fmt.Errorf("opening the folder for unsent reports: %w", err)
	}
	o.sp = sp
	return sp, nil
}

// Close releases the folder.
func (o *Outbox) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.sp == nil {
		return nil
	}
	err := o.sp.Close()
	o.sp = nil
	return err
}

// Save keeps s until it can be handed over, and returns once it is on
// disk. Saving a key the outbox holds already is not an error: the report
// is safe.
func (o *Outbox) Save(ctx context.Context, s report.Submission) (report.Record, error) {
	sp, err := o.spool()
	if err != nil {
		return report.Record{}, err
	}
	r := report.NewReport(s, report.Owner{UID: owner}, o.opts.Now())
	rec, err := sp.Put(ctx, r)
	if errors.Is(err, spool.ErrExists) {
		return rec, nil
	}
	if err != nil {
		return report.Record{}, fmt.Errorf("saving the report on this computer: %w", err)
	}
	o.log.Info("report kept on this computer until the service takes it", "reference", rec.Reference, "key", rec.Key)
	return rec, nil
}

// List returns the reports waiting in the outbox, oldest first. A folder
// that does not exist yet holds none.
func (o *Outbox) List() ([]report.Record, error) {
	if _, err := os.Stat(o.dir); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	sp, err := o.spool()
	if err != nil {
		return nil, err
	}
	return sp.List(spool.Filter{SkipArchived: true}), nil
}
