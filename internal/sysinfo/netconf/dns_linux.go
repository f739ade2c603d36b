package netconf

import "context"

// DNSConfig returns the resolver configuration in use. Linux: etc/resolv.conf
// under env.Root, looking through systemd-resolved's stub to its upstream
// servers.
func DNSConfig(ctx context.Context, env Env) (DNS, error) {
	return resolvConfDNS(ctx, env)
}
