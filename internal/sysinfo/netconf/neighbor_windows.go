package netconf

import (
	"context"
	"errors"
	"net/netip"
	"os/exec"
	"path/filepath"
)

// Neighbor returns the hardware address the system holds for addr in its
// ARP table, or "" without an error when it has no complete entry. Windows:
// `arp -a ADDR`, which exits with a failure status (and a translated "No ARP
// Entries Found.") when there is no entry.
func Neighbor(ctx context.Context, env Env, addr netip.Addr) (string, error) {
	out, err := env.run(ctx, filepath.Join(systemDir(), "ARP.EXE"), "-a", addr.WithZone("").String())
	if hw := parseArpA(out, addr); hw != "" {
		return hw, nil
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return "", err
	}
	return "", nil
}
