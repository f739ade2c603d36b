// Package audit is the append-only log of fix runs: one JSON line per run
// or refusal, written with an fsync before Append returns, in a file only
// the service can read, rotated at a size bound. `firstline-service audit`
// and the employee's history in the app read it back through [Read].
package audit

import "time"

// Record is one run of a fix, or one refused request.
type Record struct {
	// Time is when the record was written.
	Time time.Time `json:"time"`
	// UID is the caller's numeric uid (Unix) or SID (Windows), as the
	// kernel reported it; User is the account name resolved from it.
	UID  string `json:"uid"`
	User string `json:"user,omitempty"`
	// Runner is which runner handled it: "system" (the service) or
	// "user" (the tray app).
	Runner string `json:"runner"`
	FixID  string `json:"fix"`
	// Params are the parameters as validated, or for a refusal as sent
	// (shortened, so a hostile megabyte does not land in the log).
	Params map[string]string `json:"params,omitempty"`
	Start  time.Time         `json:"start"`
	End    time.Time         `json:"end"`
	// Result is ResultSuccess, ResultFailed or ResultRefused.
	Result string `json:"result"`
	// Code is the refusal code ("rate-limited", "bad-params"), empty for
	// runs.
	Code string `json:"code,omitempty"`
	// Reason says why the run failed or the request was refused.
	Reason string `json:"reason,omitempty"`
	// FailedStep is the 1-based step that failed, 0 when none did.
	FailedStep int `json:"failed_step,omitempty"`
	// ReclaimedBytes is what file clean-up steps freed.
	ReclaimedBytes int64  `json:"reclaimed_bytes,omitempty"`
	Steps          []Step `json:"steps,omitempty"`
}

// Step is the outcome of one step.
type Step struct {
	N    int    `json:"n"`
	Kind string `json:"kind"`
	// Status is "ok", "failed" or "skipped".
	Status string `json:"status"`
	// Exit is the exit code of the step's last command; absent for steps
	// that run no program, -1 for a program killed (timeout).
	Exit  *int   `json:"exit,omitempty"`
	Error string `json:"error,omitempty"`
}

// The results of a record.
const (
	ResultSuccess = "success"
	ResultFailed  = "failed"
	ResultRefused = "refused"
)
