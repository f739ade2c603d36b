package netconf

import (
	"context"
	"fmt"
	"net/netip"
)

// Neighbor returns the hardware address the system holds for addr in its
// ARP table, or "" without an error when it has no complete entry. Linux:
// proc/net/arp under env.Root. IPv6 neighbours are not in that file and are
// never found.
func Neighbor(ctx context.Context, env Env, addr netip.Addr) (string, error) {
	data, err := env.readFile("/proc/net/arp")
	if err != nil {
		return "", fmt.Errorf("reading the ARP table: %w", err)
	}
	return parseProcARP(data, addr), nil
}
