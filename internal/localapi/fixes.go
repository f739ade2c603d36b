package localapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/firstline-it/firstline/internal/fixes/audit"
)

// Paths of fixes and health checks.
const (
	// PathFixes: GET lists the catalog (FixList): system fixes the service
	// runs and user fixes the app runs, each marked.
	PathFixes = "/v1/fixes"
	// PathFixPlan: GET ?id=&p.NAME=VALUE... is the dry run of a system fix
	// (FixPlan): exactly the steps and commands a run would do.
	PathFixPlan = "/v1/fixes/plan"
	// PathFixRun: POST ?id= with a FixRunRequest body runs a system fix.
	// A refusal is an ordinary error response; otherwise the response is
	// a newline-delimited JSON stream of FixEvent, progress then one
	// result. The run goes on if the caller hangs up: it is recorded in
	// the audit log and the caller's history either way.
	PathFixRun = "/v1/fixes/run"
	// PathFixHistory: GET is the caller's runs and refusals, newest first
	// (FixHistory); ?all=1 every user's (administrators).
	PathFixHistory = "/v1/fixes/history"
	// PathFixUserRun: POST records a user fix the app ran (FixUserRun) in
	// the audit log, under the uid the kernel reports for the caller.
	PathFixUserRun = "/v1/fixes/user-run"
	// PathHealth: GET runs the health checks (HealthReport); ?name= picks
	// checks, repeated.
	PathHealth = "/v1/health"
)

// CapFixes is the capability of the fixes and health routes.
const CapFixes Capability = "fixes"

// Error codes of refused fix requests, one per reason the runner refuses.
const (
	CodeFixUnknown     Code = "fix_unknown"      // 404
	CodeFixDisabled    Code = "fix_disabled"     // 403: IT turned it off
	CodeFixWrongRunner Code = "fix_wrong_runner" // 400: a user fix asked of the service
	CodeFixUnavailable Code = "fix_unavailable"  // 409: wrong OS or program missing
	CodeFixBadParams   Code = "fix_bad_params"   // 400
	CodeFixBusy        Code = "fix_busy"         // 409: this fix is running already
	CodeRateLimited    Code = "rate_limited"     // 429
)

// FixList answers GET /v1/fixes.
type FixList struct {
	// Items are the enabled fixes for this OS, in the app's order of
	// groups, by title within a group.
	Items []FixInfo `json:"items"`
	// Groups are the group names in display order.
	Groups []string `json:"groups"`
	// Disabled are the ids IT turned off.
	Disabled []string `json:"disabled,omitempty"`
	// CatalogProblems say which admin files in fixes.d were refused and
	// why (administrators only; empty for everyone else).
	CatalogProblems []string `json:"catalog_problems,omitempty"`
}

// FixInfo is one fix as the app and `fix list` show it.
type FixInfo struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Group       string `json:"group"`
	// RunsAs is "system" (the service runs it) or "user" (the app does).
	RunsAs         string     `json:"runs_as"`
	Params         []FixParam `json:"params,omitempty"`
	TimeoutSeconds float64    `json:"timeout_seconds"`
	NextSteps      string     `json:"next_steps"`
	// Available is false when a program the fix needs is not installed;
	// such a fix is listed (so IT sees why) but cannot run.
	Available bool `json:"available"`
}

// FixParam is a parameter the caller may choose.
type FixParam struct {
	Name    string   `json:"name"`
	Label   string   `json:"label"`
	Kind    string   `json:"kind"` // enum, int, bool
	Enum    []string `json:"enum,omitempty"`
	Min     int      `json:"min,omitempty"`
	Max     int      `json:"max,omitempty"`
	Default string   `json:"default,omitempty"`
}

// FixPlan answers GET /v1/fixes/plan: the dry run.
type FixPlan struct {
	FixID          string            `json:"fix"`
	Title          string            `json:"title"`
	RunsAs         string            `json:"runs_as"`
	Params         map[string]string `json:"params,omitempty"`
	TimeoutSeconds float64           `json:"timeout_seconds"`
	Steps          []FixPlanStep     `json:"steps"`
}

// FixPlanStep is one step of a dry run.
type FixPlanStep struct {
	N       int    `json:"n"`
	Kind    string `json:"kind"`
	Summary string `json:"summary"`
	// Commands are the programs the step runs, each as a quoted argv
	// line; empty for actions implemented in Go (removing old files,
	// waiting for the network).
	Commands []string `json:"commands,omitempty"`
}

// FixRunRequest is the body of POST /v1/fixes/run.
type FixRunRequest struct {
	Params map[string]string `json:"params,omitempty"`
}

// FixEventType tells what a FixEvent carries.
type FixEventType string

// Fix event types.
const (
	FixEventProgress FixEventType = "progress"
	FixEventResult   FixEventType = "result"
)

// FixEvent is one line of a run's stream.
type FixEvent struct {
	Type     FixEventType `json:"type"`
	Progress *FixProgress `json:"progress,omitempty"`
	Result   *FixResult   `json:"result,omitempty"`
}

// FixProgress is one report while a fix runs: "step 2 of 4: Restart the
// print service", then the step's output line by line, then its status.
type FixProgress struct {
	// Event is "step-started", "output" or "step-done".
	Event   string `json:"event"`
	Step    int    `json:"step"`
	Steps   int    `json:"steps"`
	Summary string `json:"summary,omitempty"`
	Line    string `json:"line,omitempty"`
	Status  string `json:"status,omitempty"`
}

// FixResult is a finished run.
type FixResult struct {
	FixID string `json:"fix"`
	Title string `json:"title"`
	// Outcome is "success" or "failed".
	Outcome    string `json:"outcome"`
	FailedStep int    `json:"failed_step,omitempty"`
	// Message is one line for the employee; NextSteps what to try when
	// the fix failed.
	Message        string          `json:"message"`
	NextSteps      string          `json:"next_steps,omitempty"`
	Steps          []FixStepResult `json:"steps"`
	Planned        int             `json:"planned"`
	ReclaimedBytes int64           `json:"reclaimed_bytes,omitempty"`
	Start          time.Time       `json:"start"`
	End            time.Time       `json:"end"`
	// Log is the whole run as text, for "Still broken? Get help".
	Log string `json:"log"`
}

// FixStepResult is one step of a run.
type FixStepResult struct {
	N       int    `json:"n"`
	Kind    string `json:"kind"`
	Summary string `json:"summary"`
	Status  string `json:"status"` // ok, failed, skipped
	// Exit is the exit code of the step's last program; absent when the
	// step ran none, -1 when the program was killed at the timeout.
	Exit           *int   `json:"exit,omitempty"`
	Error          string `json:"error,omitempty"`
	Output         string `json:"output,omitempty"`
	Truncated      bool   `json:"truncated,omitempty"`
	Removed        int    `json:"removed,omitempty"`
	ReclaimedBytes int64  `json:"reclaimed_bytes,omitempty"`
}

// FixHistory answers GET /v1/fixes/history.
type FixHistory struct {
	Items []audit.Record `json:"items"`
}

// FixUserRun is the body of POST /v1/fixes/user-run: a user fix the app
// ran, for the audit log. The service takes who ran it from the kernel,
// never from the body, and refuses ids that are not user fixes.
type FixUserRun struct {
	Params map[string]string `json:"params,omitempty"`
	Result FixResult         `json:"result"`
}

// HealthReport answers GET /v1/health.
type HealthReport struct {
	Checked time.Time     `json:"checked"`
	Checks  []HealthCheck `json:"checks"`
	// Worst is the most severe status: "ok", "warning", "critical" or
	// "unknown".
	Worst string `json:"worst"`
}

// HealthCheck is one check's verdict.
type HealthCheck struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	// Status is "ok", "warning", "critical" or "unknown"; Code the
	// Nagios exit code of it (0–3).
	Status string `json:"status"`
	Code   int    `json:"code"`
	// Summary is short and technical; Message is for the employee.
	Summary string `json:"summary"`
	Message string `json:"message"`
	// FixID is the fix that would help, "" when none would.
	FixID string `json:"fix,omitempty"`
	// Perf is the performance data in the plugin format
	// ("free_pct=8%;10;5").
	Perf []string `json:"perf,omitempty"`
}

// HealthSummary is the health part of the watch stream's State: the tray
// shows a badge only while something is critical.
type HealthSummary struct {
	Critical int `json:"critical"`
	Warning  int `json:"warning"`
}

// Fixes lists the catalog.
func (c *Client) Fixes(ctx context.Context) (*FixList, error) {
	var out FixList
	if err := c.getJSON(ctx, PathFixes, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// fixQuery is the query of a fix request: its id and its parameters as
// p.NAME=VALUE.
func fixQuery(id string, params map[string]string) string {
	q := url.Values{"id": {id}}
	for k, v := range params {
		q.Set("p."+k, v)
	}
	return q.Encode()
}

// FixPlan is the dry run of the system fix id with params.
func (c *Client) FixPlan(ctx context.Context, id string, params map[string]string) (*FixPlan, error) {
	var out FixPlan
	if err := c.getJSON(ctx, PathFixPlan+"?"+fixQuery(id, params), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RunFix runs the system fix id and calls progress (which may be nil) for
// each progress event, in order. It returns the result, or the refusal as
// an *Error. Cancelling ctx stops following the run, not the run.
func (c *Client) RunFix(ctx context.Context, id string, params map[string]string, progress func(FixProgress)) (*FixResult, error) {
	body, err := json.Marshal(FixRunRequest{Params: params})
	if err != nil {
		return nil, fmt.Errorf("encoding the run request: %w", err)
	}
	resp, err := c.do(ctx, http.MethodPost, PathFixRun+"?"+url.Values{"id": {id}}.Encode(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 4096), maxResponseBytes)
	for sc.Scan() {
		var ev FixEvent
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return nil, fmt.Errorf("decoding the progress of fix %s: %w", id, err)
		}
		switch {
		case ev.Type == FixEventProgress && ev.Progress != nil:
			if progress != nil {
				progress(*ev.Progress)
			}
		case ev.Type == FixEventResult && ev.Result != nil:
			return ev.Result, nil
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the progress of fix %s: %w", id, err)
	}
	return nil, fmt.Errorf("running fix %s: the service closed the stream before the result", id)
}

// FixHistory returns the caller's runs, newest first; all returns every
// user's (administrators only).
func (c *Client) FixHistory(ctx context.Context, all bool) (*FixHistory, error) {
	path := PathFixHistory
	if all {
		path += "?all=1"
	}
	var out FixHistory
	if err := c.getJSON(ctx, path, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RecordUserRun records a user fix the app ran in the service's audit log.
func (c *Client) RecordUserRun(ctx context.Context, run FixUserRun) error {
	body, err := json.Marshal(run)
	if err != nil {
		return fmt.Errorf("encoding the user run: %w", err)
	}
	resp, err := c.do(ctx, http.MethodPost, PathFixUserRun, bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

// Health runs the named health checks, all of them when names is empty.
func (c *Client) Health(ctx context.Context, names ...string) (*HealthReport, error) {
	path := PathHealth
	if len(names) > 0 {
		path += "?" + url.Values{"name": names}.Encode()
	}
	var out HealthReport
	if err := c.getJSON(ctx, path, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
