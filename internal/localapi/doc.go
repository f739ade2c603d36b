// Package localapi is the one contract between the tray app and the service:
// the request and response types, the stable error codes, the event stream,
// and the typed client both the app and the service's CLI use.
//
// The transport is HTTP/1.1 with JSON bodies over a local socket (a Unix
// socket on Linux and macOS, a named pipe on Windows; see package transport).
// It is never exposed on TCP: a browser must never be able to reach it, so
// the server also refuses any request that carries Origin or Referer or a
// Host other than [Host].
package localapi

import "time"

// Host is the only Host header the server accepts. It is not a resolvable
// name, so no web page can address the service through DNS rebinding.
const Host = "local-firstline.sock"

// Paths of the version 1 API. A path's version changes only when its
// contract breaks; new fields are added without a version change.
const (
	PathStatus = "/v1/status"
	PathWatch  = "/v1/watch"
	// PathSysInfo is the system snapshot: ?sections=host,network picks
	// sections, ?format=text returns the summary and detail as text.
	PathSysInfo = "/v1/sysinfo"
	// PathHistory is the metrics history of the last hour.
	PathHistory = "/v1/metrics"
	// PathChart is the history drawn as a PNG: ?width=&height=.
	PathChart = "/v1/metrics/chart.png"
	// PathProbes runs the connectivity probes (POST: it causes traffic).
	PathProbes = "/v1/probes"
	// PathReports: POST submits a report (body: report.Submission), GET
	// lists the caller's reports (?key= one report; ?all=1 every user's,
	// administrators only).
	PathReports = "/v1/reports"
	// PathReportRetry: POST ?key= sends a report again now, clearing a
	// needs-attention state (administrators).
	PathReportRetry = "/v1/reports/retry"
	// PathReportSetup: GET is what the Get help form offers and attaches
	// besides the employee's words (ReportSetup).
	PathReportSetup = "/v1/reports/setup"
	// PathNotices: GET is the caller's notices (NoticeView).
	PathNotices = "/v1/notices"
	// PathNoticeAction: POST ?id=&action=seen|ack|dismiss|metoo records
	// what the caller did with a notice and answers their NoticeView.
	PathNoticeAction = "/v1/notices/action"
	// PathNoticeCheck: POST asks for a poll of the feed now (the service
	// ignores checks that come moments after a poll).
	PathNoticeCheck = "/v1/notices/check"
	// PathNoticeStatus: GET is what this machine accepted and refused
	// (NoticeStatus).
	PathNoticeStatus = "/v1/notices/status"
)

// KeepAliveInterval is how often the watch stream sends a keep-alive when
// nothing else happened. It is deliberately slow: idle desktops must cost
// nothing.
const KeepAliveInterval = 30 * time.Second
