//go:build !linux && !windows && !darwin

package netconf

import (
	"context"
	"errors"
	"net/netip"
)

// On the BSDs and the rest, the service is not shipped; these keep the
// package building and say plainly that nothing was read.

// DefaultGateways is not implemented on this OS.
func DefaultGateways(ctx context.Context, env Env) ([]Gateway, error) {
	return nil, errors.ErrUnsupported
}

// DNSConfig reads etc/resolv.conf, which every Unix has.
func DNSConfig(ctx context.Context, env Env) (DNS, error) {
	return resolvConfDNS(ctx, env)
}

// WiFiStatus is not implemented on this OS.
func WiFiStatus(ctx context.Context, env Env) ([]WiFi, error) {
	return nil, errors.ErrUnsupported
}

// Neighbor is not implemented on this OS.
func Neighbor(ctx context.Context, env Env, addr netip.Addr) (string, error) {
	return "", errors.ErrUnsupported
}
