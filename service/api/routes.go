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
	return map[string]route{
		localapi.PathStatus: {method: http.MethodGet, access: anyUser, handle: s.status},
		localapi.PathWatch:  {method: http.MethodGet, access: anyUser, handle: s.watch},
	}
}
