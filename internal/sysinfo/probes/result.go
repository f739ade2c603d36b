package probes

import (
	"encoding/json"
	"math"
	"time"
)

// Kind is what a result checked.
type Kind string

// The kinds of check.
const (
	KindDNS     Kind = "dns"
	KindGateway Kind = "gateway"
	KindCaptive Kind = "captive"
	KindHTTPS   Kind = "https"
)

// Status is the outcome of one check.
type Status string

// The outcomes.
const (
	StatusOK      Status = "ok"
	StatusSlow    Status = "slow"    // answered, above Options.SlowThreshold
	StatusFailed  Status = "failed"  // a definite failure: refused, TLS error, 5xx, no such name
	StatusTimeout Status = "timeout" // no answer within the budget
	StatusCaptive Status = "captive" // a login page answered instead
	StatusSkipped Status = "skipped"
)

// Result is the outcome of one check.
type Result struct {
	Kind Kind `json:"kind"`
	// Name is what the check is about, for people: the service ("Slack"),
	// the router ("router"), the name resolved.
	Name string `json:"name"`
	// Target is what was contacted: a URL, an address, a host name.
	Target string `json:"target"`
	Status Status `json:"status"`
	// Latency is the time to the answer (to the response headers for
	// HTTP), or to giving up. It is in milliseconds in JSON.
	Latency    time.Duration `json:"-"`
	HTTPStatus int           `json:"http_status,omitempty"`
	// Detail says in plain words what was observed.
	Detail string `json:"detail,omitempty"`
	// Error is the underlying error, for IT.
	Error string `json:"error,omitempty"`
}

// Report is the outcome of a Run.
type Report struct {
	Started time.Time `json:"started"`
	// Duration is the time Run took; in milliseconds in JSON.
	Duration time.Duration `json:"-"`
	Results  []Result      `json:"results"`
	// Verdict is one sentence for the employee.
	Verdict string `json:"verdict"`
}

// Durations travel as milliseconds with microsecond precision: readable
// by people and by any JSON consumer, unlike Go's nanosecond integers.
func millis(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// fromMillis clamps what does not fit a Duration (converting such a float
// to an integer is undefined in Go).
func fromMillis(ms float64) time.Duration {
	ns := math.Round(ms * 1e6)
	switch {
	case ns >= math.MaxInt64:
		return math.MaxInt64
	case ns <= math.MinInt64:
		return math.MinInt64
	case math.IsNaN(ns):
		return 0
	}
	return time.Duration(ns)
}

type resultJSON Result

// MarshalJSON encodes Latency as latency_ms.
func (r Result) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		resultJSON
		LatencyMS float64 `json:"latency_ms"`
	}{resultJSON(r), millis(r.Latency)})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (r *Result) UnmarshalJSON(data []byte) error {
	var v struct {
		resultJSON
		LatencyMS float64 `json:"latency_ms"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*r = Result(v.resultJSON)
	r.Latency = fromMillis(v.LatencyMS)
	return nil
}

type reportJSON Report

// MarshalJSON encodes Duration as duration_ms.
func (r Report) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		reportJSON
		DurationMS float64 `json:"duration_ms"`
	}{reportJSON(r), millis(r.Duration)})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (r *Report) UnmarshalJSON(data []byte) error {
	var v struct {
		reportJSON
		DurationMS float64 `json:"duration_ms"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*r = Report(v.reportJSON)
	r.Duration = fromMillis(v.DurationMS)
	return nil
}
