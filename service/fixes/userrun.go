package fixes

import (
	"errors"
	"fmt"
	"time"

	core "github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/audit"
	"github.com/firstline-it/firstline/internal/fixes/runner"
	"github.com/firstline-it/firstline/internal/localapi"
)

// ErrBadRecord is wrapped by errors for a user run whose result does not
// make sense (an unknown outcome); nothing was recorded.
var ErrBadRecord = errors.New("the run record is not valid")

// Bounds of a recorded user run. The app sends what its runner produced,
// which fits easily; anything larger comes from somewhere else and is cut
// rather than stored whole in a file only root may prune.
const (
	maxRecordSteps = 32
	maxRecordText  = 256
	maxRecordAge   = 24 * time.Hour
)

// RecordUserRun appends a user fix the app ran to the audit log, as run by
// caller (the kernel's identity, never the body's). The id must be a user
// fix of the catalog for this OS, and the parameters valid for it; anything
// else is refused with a *runner.RefusedError and the refusal is audited,
// as the runner does for runs. Recording is rate limited per user like
// runs are, so a loop cannot fill the log.
func (s *Service) RecordUserRun(caller runner.Caller, run localapi.FixUserRun) error {
	now := s.opts.Now()
	id := run.Result.FixID
	refuse := func(code runner.Code, format string, args ...any) error {
		e := &runner.RefusedError{Code: code, FixID: audit.Shorten(id, 64), Reason: fmt.Sprintf(format, args...)}
		s.log.Warn("refused a user fix record", "fix", e.FixID, "uid", caller.UID, "code", string(code), "reason", e.Reason)
		rec := audit.Record{
			UID: caller.UID, User: caller.Name, Runner: string(core.RunsAsUser), FixID: e.FixID,
			Params: audit.SentParams(run.Params), Start: now, End: now, Result: audit.ResultRefused,
			Code: string(code), Reason: e.Reason,
		}
		if err := s.audit.Append(rec); err != nil {
			return errors.Join(e, fmt.Errorf("auditing a refused user fix record: %w", err))
		}
		return e
	}
	if d := s.records.Allow(caller.UID); !d.OK {
		return refuse(runner.CodeRateLimited, "too many fixes recorded in a short time; try again in %s", d.Wait.Round(time.Second))
	}
	fix, err := s.catalog.Lookup(id)
	switch {
	case errors.Is(err, core.ErrDisabled):
		return refuse(runner.CodeDisabled, "IT has turned this fix off")
	case err != nil:
		return refuse(runner.CodeUnknownFix, "there is no such fix")
	case fix.RunsAs != core.RunsAsUser:
		return refuse(runner.CodeWrongRunner, "this is a %s fix; only user fixes are recorded for the app", fix.RunsAs)
	case !fix.AppliesTo(s.opts.Platform.GOOS):
		return refuse(runner.CodeWrongOS, "this fix is not for %s", s.opts.Platform.GOOS)
	}
	values, err := fix.Values(run.Params)
	if err != nil {
		return refuse(runner.CodeBadParams, "%s", err.Error())
	}
	rec, err := userRecord(caller, &fix, values, run.Result, now)
	if err != nil {
		return err
	}
	if err := s.audit.Append(rec); err != nil {
		return fmt.Errorf("recording user fix %s: %w", fix.ID, err)
	}
	s.log.Info("user fix recorded", "fix", fix.ID, "uid", caller.UID, "result", rec.Result)
	return nil
}

// userRecord builds the audit record of a user run, bounding what the app
// sent: times near now, a known outcome, a few steps with short texts.
func userRecord(caller runner.Caller, fix *core.Fix, values core.Values, res localapi.FixResult, now time.Time) (audit.Record, error) {
	if res.Outcome != audit.ResultSuccess && res.Outcome != audit.ResultFailed {
		return audit.Record{}, fmt.Errorf("%w: outcome %q is neither success nor failed", ErrBadRecord, audit.Shorten(res.Outcome, 16))
	}
	start, end := res.Start, res.End
	if start.IsZero() || start.After(now) || now.Sub(start) > maxRecordAge {
		start = now
	}
	if end.Before(start) || end.After(now) {
		end = now
	}
	rec := audit.Record{
		UID: caller.UID, User: caller.Name, Runner: string(core.RunsAsUser), FixID: fix.ID,
		Params: values.Map(), Start: start, End: end, Result: res.Outcome,
		ReclaimedBytes: max(res.ReclaimedBytes, 0),
	}
	if len(rec.Params) == 0 {
		rec.Params = nil
	}
	if res.Outcome == audit.ResultFailed {
		rec.Reason = audit.Shorten(res.Message, maxRecordText)
		if res.FailedStep > 0 && res.FailedStep <= len(fix.Steps) {
			rec.FailedStep = res.FailedStep
		}
	}
	for i, st := range res.Steps {
		if i == maxRecordSteps {
			break
		}
		step := audit.Step{N: i + 1, Kind: audit.Shorten(st.Kind, 32), Status: stepStatus(st.Status),
			Error: audit.Shorten(st.Error, maxRecordText)}
		if st.Exit != nil {
			exit := *st.Exit
			step.Exit = &exit
		}
		rec.Steps = append(rec.Steps, step)
	}
	return rec, nil
}

// stepStatus keeps the statuses a runner produces and marks the rest.
func stepStatus(s string) string {
	switch runner.StepStatus(s) {
	case runner.StepOK, runner.StepFailed, runner.StepSkipped:
		return s
	}
	return "unknown"
}
