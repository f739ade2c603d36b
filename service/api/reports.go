package api

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/report/spool"
)

// Reports is what the report routes need from the service's pipeline
// (service/reports). Its errors are told apart with errors.Is against the
// spool's: spool.ErrKeyInUse, spool.ErrFull, spool.ErrNotFound; a
// *report.FieldError is a submission it refused.
type Reports interface {
	// Limits are those submissions are decoded with.
	Limits() report.Limits
	// Submit stores s as who's report and returns once it is durable.
	Submit(ctx context.Context, who localapi.Identity, s report.Submission) (localapi.SubmitResult, error)
	// List returns uid's reports newest first, everybody's for "".
	List(uid string) []report.Record
	// Get returns any report's record: the caller checks the owner.
	Get(key report.Key) (report.Record, error)
	// Retry queues a report for an attempt now.
	Retry(ctx context.Context, key report.Key) (report.Record, error)
	// Counts are uid's pending reports and those needing attention.
	Counts(uid string) localapi.ReportSummary
}

// maxSubmits bounds the submissions being decoded at once. Each holds its
// body (up to Limits.MaxRequestBytes, tens of MiB) and its decoded
// content in memory, so a user looping on large submissions must wait
// for a slot rather than exhaust the service's memory.
const maxSubmits = 4

// noSuchReport is the one answer for a key that does not exist and for
// another user's: the two must be indistinguishable.
const noSuchReport = "no such report"

// submitReport stores a report from the caller: POST /v1/reports with a
// report.Submission. The answer (201, localapi.SubmitResult) is sent only
// once the report is durable.
func (s *Server) submitReport(w http.ResponseWriter, r *http.Request, id localapi.Identity) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			s.refuse(w, r, &id, localapi.CodeBadRequest, "send the report as application/json")
			return
		}
	}
	select {
	case s.submits <- struct{}{}:
		defer func() { <-s.submits }()
	case <-r.Context().Done():
		return
	}
	sub, err := report.DecodeSubmission(r.Body, s.opts.Reports.Limits())
	if err == nil {
		var res localapi.SubmitResult
		if res, err = s.opts.Reports.Submit(r.Context(), id, sub); err == nil {
			writeJSON(w, http.StatusCreated, res)
			return
		}
	}
	s.refuseReport(w, r, id, err)
}

// refuseReport answers a submission that was not stored, naming the field
// at fault where there is one.
func (s *Server) refuseReport(w http.ResponseWriter, r *http.Request, id localapi.Identity, err error) {
	var fe *report.FieldError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.refuse(w, r, &id, localapi.CodeBodyTooLarge, fmt.Sprintf("the report is larger than %d bytes", tooBig.Limit))
	case errors.Is(err, report.ErrTooLarge):
		s.refuse(w, r, &id, localapi.CodeBodyTooLarge, err.Error())
	case errors.As(err, &fe):
		s.refuse(w, r, &id, localapi.CodeBadRequest, fe.Error())
	case errors.Is(err, spool.ErrKeyInUse):
		// Nothing more: whose report it is, or what, is not the
		// caller's business.
		s.refuse(w, r, &id, localapi.CodeKeyInUse, "this report key is already used by another report; send it with a new key")
	case errors.Is(err, spool.ErrFull):
		s.refuse(w, r, &id, localapi.CodeSpoolFull, err.Error())
	case errors.Is(err, spool.ErrClosed):
		s.refuse(w, r, &id, localapi.CodeShuttingDown, "the service is stopping; the report was not saved, send it again in a moment")
	case r.Context().Err() != nil:
		// The client left; nobody is listening for an answer.
	default:
		s.log.Error("saving a report", "uid", id.UID, "pid", id.PID, "err", err)
		s.refuse(w, r, &id, localapi.CodeInternal, "the report could not be saved")
	}
}

// listReports answers GET /v1/reports: the caller's reports, newest
// first; ?key=K one of them (any report for an administrator); ?all=1
// everybody's (administrators only).
func (s *Server) listReports(w http.ResponseWriter, r *http.Request, id localapi.Identity) {
	q := r.URL.Query()
	if q.Has("key") {
		key, err := report.ParseKey(q.Get("key"))
		if err != nil {
			s.refuse(w, r, &id, localapi.CodeBadRequest, "key: "+err.Error())
			return
		}
		rec, err := s.opts.Reports.Get(key)
		if err != nil || (rec.Owner.UID != id.UID && !id.Admin) {
			s.refuse(w, r, &id, localapi.CodeNotFound, noSuchReport)
			return
		}
		writeJSON(w, http.StatusOK, []report.Record{rec})
		return
	}
	uid := id.UID
	switch q.Get("all") {
	case "", "0", "false":
	case "1", "true":
		if !id.Admin {
			s.refuse(w, r, &id, localapi.CodePermissionDenied, "listing every user's reports needs an administrator")
			return
		}
		uid = ""
	default:
		s.refuse(w, r, &id, localapi.CodeBadRequest, "all must be 1 or 0")
		return
	}
	recs := s.opts.Reports.List(uid)
	if recs == nil {
		recs = []report.Record{}
	}
	writeJSON(w, http.StatusOK, recs)
}

// retryReport answers POST /v1/reports/retry?key=K (administrators): the
// report is queued for an attempt now and its record returned.
func (s *Server) retryReport(w http.ResponseWriter, r *http.Request, id localapi.Identity) {
	key, err := report.ParseKey(r.URL.Query().Get("key"))
	if err != nil {
		s.refuse(w, r, &id, localapi.CodeBadRequest, "key: "+err.Error())
		return
	}
	rec, err := s.opts.Reports.Retry(r.Context(), key)
	switch {
	case errors.Is(err, spool.ErrNotFound):
		s.refuse(w, r, &id, localapi.CodeNotFound, noSuchReport)
		return
	case err != nil:
		s.log.Error("retrying a report", "key", key, "uid", id.UID, "err", err)
		s.refuse(w, r, &id, localapi.CodeInternal, "the report could not be queued again")
		return
	}
	s.log.Info("report retry requested", "key", key, "reference", rec.Reference, "uid", id.UID, "username", id.Username)
	writeJSON(w, http.StatusOK, rec)
}

// ReportSetup is what the Get help form offers besides the employee's
// words.
type ReportSetup interface {
	ReportSetup(ctx context.Context) localapi.ReportSetup
}

func (s *Server) reportSetup(w http.ResponseWriter, r *http.Request, _ localapi.Identity) {
	writeJSON(w, http.StatusOK, s.opts.ReportSetup.ReportSetup(r.Context()))
}
