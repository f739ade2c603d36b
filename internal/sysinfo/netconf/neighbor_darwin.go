package netconf

import (
	"context"
	"net/netip"
	"strings"
)

// Neighbor returns the hardware address the system holds for addr in its
// ARP table, or "" without an error when it has no complete entry. macOS:
// `arp -n ADDR`, which exits with an error when there is no entry.
func Neighbor(ctx context.Context, env Env, addr netip.Addr) (string, error) {
	out, err := env.run(ctx, "/usr/sbin/arp", "-n", addr.WithZone("").String())
	if err != nil && strings.Contains(string(out)+err.Error(), "no entry") {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return parseArpN(out, addr), nil
}
