package netconf

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
)

// DefaultGateways returns the next hops of the default routes, preferred
// first. Linux: proc/net/route and proc/net/ipv6_route under env.Root. A
// machine without a default route returns an empty list and no error; if
// one table cannot be read, the routes of the other come with the error.
func DefaultGateways(ctx context.Context, env Env) ([]Gateway, error) {
	v4, err4 := env.readFile("/proc/net/route")
	v6, err6 := env.readFile("/proc/net/ipv6_route")
	// A kernel built without IPv6 has no ipv6_route; that is no failure.
	if errors.Is(err6, fs.ErrNotExist) {
		err6 = nil
	}
	gws := sortRoutes(append(parseProcRoute(v4), parseProcIPv6Route(v6)...))
	if err := errors.Join(err4, err6); err != nil {
		return gws, fmt.Errorf("reading the routing table: %w", err)
	}
	return gws, nil
}
