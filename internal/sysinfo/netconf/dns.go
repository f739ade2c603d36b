package netconf

import (
	"context"
	"net/netip"
	"slices"
	"strings"
)

// DNS is the resolver configuration in use.
type DNS struct {
	// Servers are the name servers queried, in order of preference.
	Servers []string `json:"servers,omitempty"`
	// Search are the domains appended to short names.
	Search []string `json:"search,omitempty"`
	// Source says where Servers come from: a file ("/etc/resolv.conf") or
	// the API or command read ("scutil --dns").
	Source string `json:"source,omitempty"`
	// Manager is what wrote the configuration, when it says so:
	// "systemd-resolved", "NetworkManager", "resolvconf".
	Manager string `json:"manager,omitempty"`
	// Note explains anything a reader could misread, such as a local stub
	// resolver standing in front of the real servers.
	Note string `json:"note,omitempty"`
}

// DNSServers returns the DNS servers and search domains in use. It is
// DNSConfig without the explanations.
func DNSServers(ctx context.Context, env Env) (servers []string, search []string, err error) {
	d, err := DNSConfig(ctx, env)
	return d.Servers, d.Search, err
}

// addServer appends a name server address if it is a valid IP address (a
// zone is kept) and not yet listed.
func addServer(list []string, s string) []string {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return list
	}
	s = a.Unmap().String()
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// addDomain appends a search domain, without its trailing dots, unless it is
// the root or already listed.
func addDomain(list []string, d string) []string {
	d = strings.TrimRight(strings.TrimSpace(d), ".")
	// A name with blanks inside is no domain: a garbled or foreign line.
	if d == "" || strings.ContainsAny(d, " \t\n\r") || slices.Contains(list, d) {
		return list
	}
	return append(list, d)
}
