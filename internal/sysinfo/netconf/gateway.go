package netconf

import (
	"cmp"
	"net/netip"
	"slices"
)

// Gateway is a default route's next hop.
type Gateway struct {
	// Address is the router's IP address. An IPv6 link-local address
	// carries its zone ("fe80::1%wlan0"), without which it cannot be
	// reached.
	Address string `json:"address"`
	// Interface is the interface the route leaves through, when known.
	Interface string `json:"interface,omitempty"`
}

// route is a default route found by a parser, before sorting.
type route struct {
	gw     Gateway
	metric int64
	v6     bool
}

// gatewayAddr formats a next hop, adding the interface as zone where the
// address needs one to be reachable.
func gatewayAddr(a netip.Addr, iface string) string {
	a = a.Unmap()
	if a.Is6() && a.Zone() == "" && iface != "" && (a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast()) {
		a = a.WithZone(iface)
	}
	return a.String()
}

// sortRoutes orders default routes the way the system prefers them: IPv4
// first (a probe of the gateway is most telling there), then by metric,
// and drops duplicates, keeping the first.
func sortRoutes(rs []route) []Gateway {
	slices.SortStableFunc(rs, func(a, b route) int {
		if a.v6 != b.v6 {
			if a.v6 {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.metric, b.metric)
	})
	out := make([]Gateway, 0, len(rs))
	for _, r := range rs {
		if !slices.Contains(out, r.gw) {
			out = append(out, r.gw)
		}
	}
	return out
}
