package api

import (
	"net/http"

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
}

// routeTable is the whole API surface: one place to review what a local
// user can reach and with which permission.
func (s *Server) routeTable() map[string]route {
	t := map[string]route{
		localapi.PathStatus: {method: http.MethodGet, access: anyUser, handle: s.status},
		localapi.PathWatch:  {method: http.MethodGet, access: anyUser, handle: s.watch},
	}
	if s.opts.Diagnostics != nil {
		// Any user: it is their computer, and what leaves the service is
		// redacted as IT configured. The Diagnostics implementation
		// shares expensive work between callers.
		t[localapi.PathSysInfo] = route{method: http.MethodGet, access: anyUser, handle: s.sysinfo}
		t[localapi.PathHistory] = route{method: http.MethodGet, access: anyUser, handle: s.history}
		t[localapi.PathChart] = route{method: http.MethodGet, access: anyUser, handle: s.chart}
		t[localapi.PathProbes] = route{method: http.MethodPost, access: anyUser, handle: s.probes}
	}
	return t
}

// capabilities lists what this server offers.
func (s *Server) capabilities() []localapi.Capability {
	caps := []localapi.Capability{localapi.CapStatus, localapi.CapWatch}
	if s.opts.Diagnostics != nil {
		caps = append(caps, localapi.CapSysInfo)
	}
	return caps
}
