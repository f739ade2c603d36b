package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/fixes/runner"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/service/fixes"
)

// Fixes is what the fix and health routes need from the service's fixes
// (service/fixes). Every call carries the caller as the kernel reported
// it; refusals are *runner.RefusedError.
type Fixes interface {
	// List is the catalog; CatalogProblems only for admin.
	List(admin bool) localapi.FixList
	// Plan is the dry run of a system fix.
	Plan(caller runner.Caller, id string, params map[string]string) (*localapi.FixPlan, error)
	// Run runs a system fix, reporting progress while ctx lasts; the run
	// goes on when ctx ends.
	Run(ctx context.Context, caller runner.Caller, id string, params map[string]string,
		progress func(localapi.FixProgress)) (*localapi.FixResult, error)
	// History is uid's runs, or everybody's with all.
	History(uid string, all bool) (*localapi.FixHistory, error)
	// RecordUserRun audits a user fix the app ran.
	RecordUserRun(caller runner.Caller, run localapi.FixUserRun) error
	// Health runs the named checks, every enabled one for none; an unknown
	// name is an error wrapping fixes.ErrUnknownCheck.
	Health(ctx context.Context, names ...string) (*localapi.HealthReport, error)
}

// Body limits of the fix routes. A run request is an id and a few short
// parameters; a user run carries its result, step output included.
const (
	maxFixRunBody     = 16 << 10
	maxFixUserRunBody = 1 << 20
)

func callerOf(id localapi.Identity) runner.Caller {
	return runner.Caller{UID: id.UID, Name: id.Username}
}

// listFixes answers GET /v1/fixes.
func (s *Server) listFixes(w http.ResponseWriter, _ *http.Request, id localapi.Identity) {
	writeJSON(w, http.StatusOK, s.opts.Fixes.List(id.Admin))
}

// planFix answers GET /v1/fixes/plan?id=ID&p.NAME=VALUE: the dry run.
func (s *Server) planFix(w http.ResponseWriter, r *http.Request, id localapi.Identity) {
	params, msg := queryParams(r)
	if msg != "" {
		s.refuse(w, r, &id, localapi.CodeFixBadParams, msg)
		return
	}
	plan, err := s.opts.Fixes.Plan(callerOf(id), r.URL.Query().Get("id"), params)
	if err != nil {
		s.refuseFix(w, r, id, err)
		return
	}
	writeJSON(w, http.StatusOK, plan)
}

// queryParams reads the p.NAME=VALUE parameters of a plan request. A
// name given twice is refused: which one counts would be a guess.
func queryParams(r *http.Request) (map[string]string, string) {
	params := map[string]string{}
	for key, vals := range r.URL.Query() {
		name, ok := strings.CutPrefix(key, "p.")
		if !ok {
			continue
		}
		if len(vals) != 1 {
			return nil, fmt.Sprintf("parameter %q is given %d times", capString(name, 32), len(vals))
		}
		params[name] = vals[0]
	}
	return params, ""
}

// runFix answers POST /v1/fixes/run?id=ID with a FixRunRequest body. A
// refusal is an ordinary JSON error; a run streams newline-delimited
// FixEvents, each flushed as it happens, ending with the result. The run
// goes on if the client hangs up, and is audited either way.
func (s *Server) runFix(w http.ResponseWriter, r *http.Request, id localapi.Identity) {
	var req localapi.FixRunRequest
	if err := decodeOptionalJSON(r.Body, &req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.refuse(w, r, &id, localapi.CodeBodyTooLarge, fmt.Sprintf("request body is larger than %d bytes", tooBig.Limit))
			return
		}
		s.refuse(w, r, &id, localapi.CodeBadRequest, "the body must be a JSON run request: "+capString(err.Error(), 120))
		return
	}
	// A long fix outlives the request timeouts; lift both (a read
	// deadline would end the request's context) and bound each write
	// instead, as the watch stream does.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})

	ctx, cancel := context.WithCancel(r.Context())
	var stopWatch sync.WaitGroup
	stopWatch.Go(func() {
		select {
		case <-s.stopping: // the server stops following; the run goes on
			cancel()
		case <-ctx.Done():
		}
	})
	defer stopWatch.Wait()
	defer cancel()

	enc := json.NewEncoder(w)
	streaming, broken := false, false
	send := func(ev localapi.FixEvent) {
		if broken {
			return
		}
		if !streaming {
			w.Header().Set("Content-Type", "application/x-ndjson")
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			w.WriteHeader(http.StatusOK)
			streaming = true
		}
		_ = rc.SetWriteDeadline(time.Now().Add(s.opts.RequestTimeout))
		if enc.Encode(ev) != nil || rc.Flush() != nil {
			// A client that stopped reading is treated as gone.
			broken = true
			cancel()
		}
	}
	res, err := s.opts.Fixes.Run(ctx, callerOf(id), r.URL.Query().Get("id"), req.Params, func(p localapi.FixProgress) {
		send(localapi.FixEvent{Type: localapi.FixEventProgress, Progress: &p})
	})
	switch {
	case err == nil:
		send(localapi.FixEvent{Type: localapi.FixEventResult, Result: res})
	case ctx.Err() != nil:
		// Nobody is listening; the run goes on and lands in the audit log.
	case streaming:
		// Headers are out: the client sees the stream end without a
		// result. Not reachable today (refusals come before progress).
		s.log.Error("a fix run failed mid-stream", "uid", id.UID, "err", err)
	default:
		s.refuseFix(w, r, id, err)
	}
}

// decodeOptionalJSON decodes one JSON value from body into v; an empty
// body leaves v as it is. Trailing data is refused.
func decodeOptionalJSON(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// refuseFix answers a refused fix request with the code the app knows, and
// logs it with the server's other refusals (the runner has audited it).
func (s *Server) refuseFix(w http.ResponseWriter, r *http.Request, id localapi.Identity, err error) {
	var re *runner.RefusedError
	switch {
	case errors.As(err, &re):
		s.refuse(w, r, &id, fixCode(re.Code), re.Reason)
	case errors.Is(err, fixes.ErrClosed):
		s.refuse(w, r, &id, localapi.CodeShuttingDown, "the service is stopping; try again in a moment")
	case errors.Is(err, fixes.ErrBadRecord):
		s.refuse(w, r, &id, localapi.CodeBadRequest, capString(err.Error(), 200))
	default:
		s.log.Error("a fix request failed", "uid", id.UID, "path", r.URL.Path, "err", err)
		s.refuse(w, r, &id, localapi.CodeInternal, "the fix service failed; see the service log")
	}
}

// fixCode maps the runner's refusal codes to the wire's.
func fixCode(c runner.Code) localapi.Code {
	switch c {
	case runner.CodeUnknownFix:
		return localapi.CodeFixUnknown
	case runner.CodeDisabled:
		return localapi.CodeFixDisabled
	case runner.CodeWrongRunner:
		return localapi.CodeFixWrongRunner
	case runner.CodeBadParams:
		return localapi.CodeFixBadParams
	case runner.CodeBusy:
		return localapi.CodeFixBusy
	case runner.CodeRateLimited:
		return localapi.CodeRateLimited
	default: // wrong OS, a program missing, a fix IT defined badly
		return localapi.CodeFixUnavailable
	}
}

// fixHistory answers GET /v1/fixes/history: the caller's runs; ?all=1
// everybody's (administrators only).
func (s *Server) fixHistory(w http.ResponseWriter, r *http.Request, id localapi.Identity) {
	all := false
	switch r.URL.Query().Get("all") {
	case "", "0", "false":
	case "1", "true":
		if !id.Admin {
			s.refuse(w, r, &id, localapi.CodePermissionDenied, "every user's fix history needs an administrator")
			return
		}
		all = true
	default:
		s.refuse(w, r, &id, localapi.CodeBadRequest, "all must be 1 or 0")
		return
	}
	h, err := s.opts.Fixes.History(id.UID, all)
	if err != nil {
		s.refuseFix(w, r, id, err)
		return
	}
	writeJSON(w, http.StatusOK, h)
}

// recordUserRun answers POST /v1/fixes/user-run: a user fix the app ran,
// recorded under the caller's kernel identity.
func (s *Server) recordUserRun(w http.ResponseWriter, r *http.Request, id localapi.Identity) {
	var run localapi.FixUserRun
	if err := decodeOptionalJSON(r.Body, &run); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.refuse(w, r, &id, localapi.CodeBodyTooLarge, fmt.Sprintf("request body is larger than %d bytes", tooBig.Limit))
			return
		}
		s.refuse(w, r, &id, localapi.CodeBadRequest, "the body must be a JSON user run: "+capString(err.Error(), 120))
		return
	}
	if err := s.opts.Fixes.RecordUserRun(callerOf(id), run); err != nil {
		s.refuseFix(w, r, id, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// healthReport answers GET /v1/health?name=N...: the checks on a recent
// measurement.
func (s *Server) healthReport(w http.ResponseWriter, r *http.Request, id localapi.Identity) {
	names := r.URL.Query()["name"]
	if len(names) > 32 {
		s.refuse(w, r, &id, localapi.CodeBadRequest, "too many check names")
		return
	}
	rep, err := s.opts.Fixes.Health(r.Context(), names...)
	switch {
	case errors.Is(err, fixes.ErrUnknownCheck):
		s.refuse(w, r, &id, localapi.CodeBadRequest, capString(err.Error(), 200))
	case err != nil && r.Context().Err() != nil:
		// The client left.
	case err != nil:
		s.log.Error("running health checks", "uid", id.UID, "err", err)
		s.refuse(w, r, &id, localapi.CodeInternal, "the health checks failed")
	default:
		writeJSON(w, http.StatusOK, rep)
	}
}
