package netconf

// Parsers and the order of sources for macOS. They are plain Go, without an
// OS suffix, so the tests on Linux exercise them with recorded outputs; the
// _darwin.go files only call them.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// Commands read on macOS, by absolute path: the service's PATH is not to be
// trusted.
const (
	macRoute   = "/sbin/route"
	macNetstat = "/usr/sbin/netstat"
	macScutil  = "/usr/sbin/scutil"
)

// macGateways asks the routing socket through route(8) for the IPv4 and
// IPv6 default routes, and falls back to netstat -rn when route gives
// nothing (it fails outright when there is no default route).
func macGateways(ctx context.Context, env Env) ([]Gateway, error) {
	var routes []route
	var errs []error
	for i, args := range [][]string{{"-n", "get", "default"}, {"-n", "get", "-inet6", "default"}} {
		out, err := env.run(ctx, macRoute, args...)
		if err != nil {
			// "not in table" is the answer when there is no default route.
			if !strings.Contains(err.Error(), "not in table") {
				errs = append(errs, err)
			}
			continue
		}
		if r, ok := parseRouteGet(out); ok {
			r.v6, r.metric = i == 1, int64(i)
			routes = append(routes, r)
		}
	}
	if len(routes) > 0 {
		return sortRoutes(routes), nil
	}
	out, err := env.run(ctx, macNetstat, "-rn")
	if err != nil {
		return nil, fmt.Errorf("reading the routing table: %w", errors.Join(append(errs, err)...))
	}
	return sortRoutes(parseNetstatRn(out)), nil
}

// parseRouteGet reads `route -n get default`:
//
//	   route to: default
//	destination: default
//	    gateway: 192.168.1.1
//	  interface: en0
//	      flags: <UP,GATEWAY,DONE,STATIC,PRCLONING,GLOBAL>
//
// A default route bound to an interface without a router (some VPNs) has
// no gateway line, or names a link instead of an address: that is no
// gateway to probe.
func parseRouteGet(out []byte) (route, bool) {
	var gw, iface string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "gateway":
			gw = strings.TrimSpace(v)
		case "interface":
			iface = strings.TrimSpace(v)
		}
	}
	a, err := netip.ParseAddr(gw)
	if err != nil || a.IsUnspecified() {
		return route{}, false
	}
	return route{gw: Gateway{Address: gatewayAddr(a, iface), Interface: iface}}, true
}

// parseNetstatRn reads the "default" rows of `netstat -rn` (macOS, BSD):
//
//	Internet:
//	Destination        Gateway            Flags               Netif Expire
//	default            192.168.1.1        UGScg                 en0
//
// The columns differ between releases (older ones have Refs and Use), so
// the interface is found by the header's "Netif" column. Rows flagged I are
// scoped to their interface (a VPN's utun has one for itself) and are not
// what ordinary traffic uses. Rows are in the table's order, which the
// kernel sorts by preference; that order is kept.
func parseNetstatRn(out []byte) []route {
	var routes []route
	netif, flagsCol := -1, -1
	v6 := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 0:
			continue
		case f[0] == "Internet:":
			v6 = false
			continue
		case f[0] == "Internet6:":
			v6 = true
			continue
		case f[0] == "Destination":
			netif, flagsCol = indexOf(f, "Netif"), indexOf(f, "Flags")
			continue
		case f[0] != "default" || len(f) < 2:
			continue
		}
		if flagsCol > 0 && flagsCol < len(f) && strings.Contains(f[flagsCol], "I") {
			continue
		}
		a, err := netip.ParseAddr(f[1])
		if err != nil || a.IsUnspecified() {
			continue // "link#4": an interface route, no router
		}
		iface := ""
		if netif > 0 && netif < len(f) {
			iface = f[netif]
		}
		if iface == "" && a.Zone() != "" {
			iface = a.Zone()
		}
		routes = append(routes, route{
			gw:     Gateway{Address: gatewayAddr(a, iface), Interface: iface},
			metric: int64(len(routes)),
			v6:     v6 || a.Is6(),
		})
	}
	return routes
}

func indexOf(f []string, s string) int {
	for i, v := range f {
		if v == s {
			return i
		}
	}
	return -1
}

// macDNS reads the resolver configuration from `scutil --dns`. The
// /etc/resolv.conf of a Mac is informational and lags behind; it is read
// only when scutil fails.
func macDNS(ctx context.Context, env Env) (DNS, error) {
	out, err := env.run(ctx, macScutil, "--dns")
	if err == nil {
		d := parseScutilDNS(out)
		d.Source = "scutil --dns"
		return d, nil
	}
	d, ferr := resolvConfDNS(ctx, env)
	if ferr != nil {
		return DNS{}, fmt.Errorf("reading the DNS configuration: %w", errors.Join(err, ferr))
	}
	d.Note = "scutil failed, so this is /etc/resolv.conf, which may lag behind: " + err.Error()
	return d, nil
}

// parseScutilDNS reads `scutil --dns`: resolvers of the first section ("DNS
// configuration") that have no "domain" are the ones used for ordinary
// names, in order; resolvers for a domain (split DNS of a VPN, mDNS for
// "local", reverse zones) and the section "for scoped queries" are not.
//
//	resolver #1
//	  search domain[0] : corp.example.com
//	  nameserver[0] : 10.0.0.53
//	  if_index : 6 (en0)
func parseScutilDNS(out []byte) DNS {
	var d DNS
	type resolver struct {
		servers, search []string
		domain          bool
	}
	var cur *resolver
	flush := func() {
		if cur != nil && !cur.domain {
			for _, s := range cur.servers {
				d.Servers = addServer(d.Servers, s)
			}
			for _, s := range cur.search {
				d.Search = addDomain(d.Search, s)
			}
		}
		cur = nil
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "DNS configuration (") || strings.HasPrefix(line, "DNS configuration("):
			flush()
			return d
		case strings.HasPrefix(line, "resolver #"):
			flush()
			cur = &resolver{}
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok || cur == nil {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case strings.HasPrefix(k, "nameserver["):
			cur.servers = append(cur.servers, v)
		case strings.HasPrefix(k, "search domain["):
			cur.search = append(cur.search, v)
		case k == "domain":
			cur.domain = true
		}
	}
	flush()
	return d
}
