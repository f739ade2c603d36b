package localapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/firstline-it/firstline/internal/report"
)

// ReportSetup answers GET /v1/reports/setup: IT's choices for the form.
type ReportSetup struct {
	// Categories are the form's "What is it about?" choices.
	Categories []report.Category `json:"categories"`
	// Logs are the ends of the log files IT attaches to every report,
	// redacted like the system summary; the employee sees and may untick
	// each before sending.
	Logs []LogExcerpt `json:"logs,omitempty"`
}

// LogExcerpt is the last lines of one log file.
type LogExcerpt struct {
	Name string `json:"name"`
	Text string `json:"text"`
	// Error says why the file could not be read; Text is empty then.
	Error string `json:"error,omitempty"`
}

// ReportSetup asks what the Get help form offers and attaches.
func (c *Client) ReportSetup(ctx context.Context) (*ReportSetup, error) {
	var out ReportSetup
	if err := c.getJSON(ctx, PathReportSetup, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// SubmitResult answers POST /v1/reports.
type SubmitResult struct {
	Record report.Record `json:"record"`
	// Existing is true when the service already had this key: a handover
	// from the app's own spool that was sent before, never a duplicate.
	Existing bool `json:"existing,omitempty"`
}

// SubmitReport hands a report to the service. It returns once the report
// is durable in the service's spool, with the reference the employee can
// quote. Submitting the same key again returns the stored report.
func (c *Client) SubmitReport(ctx context.Context, s *report.Submission) (*SubmitResult, error) {
	body, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encoding the report: %w", err)
	}
	resp, err := c.do(ctx, http.MethodPost, PathReports, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out SubmitResult
	if err := decodeJSON(resp.Body, &out); err != nil {
		return nil, fmt.Errorf("decoding %s response: %w", PathReports, err)
	}
	return &out, nil
}

// Reports lists the caller's reports, newest first; all lists every
// user's (administrators only).
func (c *Client) Reports(ctx context.Context, all bool) ([]report.Record, error) {
	path := PathReports
	if all {
		path += "?all=1"
	}
	var out []report.Record
	if err := c.getJSON(ctx, path, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Report reads one of the caller's reports (any report for an
// administrator).
func (c *Client) Report(ctx context.Context, key report.Key) (*report.Record, error) {
	var out []report.Record
	if err := c.getJSON(ctx, PathReports+"?key="+url.QueryEscape(key.String()), &out); err != nil {
		return nil, err
	}
	if len(out) != 1 {
		return nil, &Error{Status: http.StatusNotFound, Code: CodeNotFound, Message: "no such report"}
	}
	return &out[0], nil
}

// RetryReport sends a report again now (administrators).
func (c *Client) RetryReport(ctx context.Context, key report.Key) (*report.Record, error) {
	resp, err := c.do(ctx, http.MethodPost, PathReportRetry+"?key="+url.QueryEscape(key.String()), nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out report.Record
	if err := decodeJSON(resp.Body, &out); err != nil {
		return nil, fmt.Errorf("decoding %s response: %w", PathReportRetry, err)
	}
	return &out, nil
}
