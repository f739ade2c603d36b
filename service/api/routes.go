package api

import (
	"net/http"
	"sort"
	"strings"

	"github.com/firstline-it/firstline/internal/localapi"
)

// access is what a caller must be to use a route.
type access int

const (
	// anyUser: any local user the kernel identified; the handler scopes
	// what it returns to that user.
	anyUser access = iota
	// adminOnly: root or an elevated Administrator.
	adminOnly
)

type route struct {
	method string
	access access
	handle func(http.ResponseWriter, *http.Request, localapi.Identity)
	// maxBody overrides the server's body cap for this route (a report
	// with a screenshot is far larger than any other request); 0 keeps it.
	maxBody int64
}

// methods is the routes of one path, by method.
type methods map[string]route

// allow lists the methods of a path for the Allow header.
func (m methods) allow() string {
	var names []string
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// routeTable is the whole API surface: one place to review what a local
// user can reach and with which permission.
func (s *Server) routeTable() map[string]methods {
	t := map[string]methods{}
	add := func(path string, r route) {
		if t[path] == nil {
			t[path] = methods{}
		}
		t[path][r.method] = r
	}
	add(localapi.PathStatus, route{method: http.MethodGet, access: anyUser, handle: s.status})
	add(localapi.PathWatch, route{method: http.MethodGet, access: anyUser, handle: s.watch})
	if s.opts.Diagnostics != nil {
		// Any user: it is their computer, and what leaves the service is
		// redacted as IT configured. The Diagnostics implementation
		// shares expensive work between callers.
		add(localapi.PathSysInfo, route{method: http.MethodGet, access: anyUser, handle: s.sysinfo})
		add(localapi.PathHistory, route{method: http.MethodGet, access: anyUser, handle: s.history})
		add(localapi.PathChart, route{method: http.MethodGet, access: anyUser, handle: s.chart})
		add(localapi.PathProbes, route{method: http.MethodPost, access: anyUser, handle: s.probes})
	}
	if s.opts.Reports != nil {
		// Any user may submit and list: the handlers scope what they
		// return to the caller, and only administrators see every
		// user's reports (?all=1) or retry one.
		add(localapi.PathReports, route{method: http.MethodPost, access: anyUser, handle: s.submitReport,
			maxBody: s.opts.Reports.Limits().MaxRequestBytes()})
		add(localapi.PathReports, route{method: http.MethodGet, access: anyUser, handle: s.listReports})
		add(localapi.PathReportRetry, route{method: http.MethodPost, access: adminOnly, handle: s.retryReport})
		if s.opts.ReportSetup != nil {
			add(localapi.PathReportSetup, route{method: http.MethodGet, access: anyUser, handle: s.reportSetup})
		}
	}
	if s.opts.Notices != nil {
		// Any user: each sees and changes their own state only, keyed by
		// the uid the kernel reported.
		add(localapi.PathNotices, route{method: http.MethodGet, access: anyUser, handle: s.listNotices})
		add(localapi.PathNoticeAction, route{method: http.MethodPost, access: anyUser, handle: s.noticeAction})
		add(localapi.PathNoticeCheck, route{method: http.MethodPost, access: anyUser, handle: s.checkNotices})
		add(localapi.PathNoticeStatus, route{method: http.MethodGet, access: anyUser, handle: s.noticeStatus})
	}
	if s.opts.Fixes != nil {
		// Any user: a fix is a catalog id with validated parameters, run
		// under the caller's kernel identity, rate limited and audited.
		// Only administrators see IT's refused catalog files (the list
		// leaves them out for others) or every user's history (?all=1).
		add(localapi.PathFixes, route{method: http.MethodGet, access: anyUser, handle: s.listFixes})
		add(localapi.PathFixPlan, route{method: http.MethodGet, access: anyUser, handle: s.planFix})
		add(localapi.PathFixRun, route{method: http.MethodPost, access: anyUser, handle: s.runFix, maxBody: maxFixRunBody})
		add(localapi.PathFixHistory, route{method: http.MethodGet, access: anyUser, handle: s.fixHistory})
		add(localapi.PathFixUserRun, route{method: http.MethodPost, access: anyUser, handle: s.recordUserRun,
			maxBody: maxFixUserRunBody})
		add(localapi.PathHealth, route{method: http.MethodGet, access: anyUser, handle: s.healthReport})
	}
	return t
}

// capabilities lists what this server offers.
func (s *Server) capabilities() []localapi.Capability {
	caps := []localapi.Capability{localapi.CapStatus, localapi.CapWatch}
	if s.opts.Diagnostics != nil {
		caps = append(caps, localapi.CapSysInfo)
	}
	if s.opts.Reports != nil {
		caps = append(caps, localapi.CapReports)
	}
	if s.opts.Notices != nil {
		caps = append(caps, localapi.CapNotices)
	}
	if s.opts.Fixes != nil {
		caps = append(caps, localapi.CapFixes)
	}
	return caps
}
