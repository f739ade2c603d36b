package netconf

import "context"

// DNSConfig returns the resolver configuration in use. macOS: the default
// resolvers of `scutil --dns`, or etc/resolv.conf if scutil fails.
func DNSConfig(ctx context.Context, env Env) (DNS, error) {
	return macDNS(ctx, env)
}
