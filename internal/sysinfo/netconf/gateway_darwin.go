package netconf

import "context"

// DefaultGateways returns the next hops of the default routes, preferred
// first. macOS: `route -n get default` for IPv4 and IPv6, falling back to
// `netstat -rn`.
func DefaultGateways(ctx context.Context, env Env) ([]Gateway, error) {
	return macGateways(ctx, env)
}
