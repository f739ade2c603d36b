package netconf

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"slices"
	"strings"
)

// resolvConf is what parseResolvConf found in a resolv.conf.
type resolvConf struct {
	servers []string
	search  []string
	manager string
}

// parseResolvConf reads resolv.conf(5) the way glibc does: "nameserver"
// lines in order, "search" and "domain" replacing each other (the last one
// wins), lines starting with # or ; are comments, and unknown keywords
// ("options", "sortlist") are ignored. Comments after a value are dropped
// too, as generated files sometimes have them. The header comment, if it
// names the program that wrote the file, gives the manager.
func parseResolvConf(data []byte) resolvConf {
	var rc resolvConf
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if line[0] == '#' || line[0] == ';' {
			if rc.manager == "" {
				rc.manager = managerOf(line)
			}
			continue
		}
		if i := strings.IndexAny(line, "#;"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "nameserver":
			rc.servers = addServer(rc.servers, f[1])
		case "search", "domain":
			rc.search = nil
			for _, d := range f[1:] {
				rc.search = addDomain(rc.search, d)
			}
		}
	}
	return rc
}

// managerOf recognises the header comments of the usual generators.
func managerOf(comment string) string {
	c := strings.ToLower(comment)
	switch {
	case strings.Contains(c, "systemd-resolved"):
		return "systemd-resolved"
	case strings.Contains(c, "networkmanager"):
		return "NetworkManager"
	case strings.Contains(c, "resolvconf"):
		return "resolvconf"
	case strings.Contains(c, "netconfig"):
		return "netconfig"
	case strings.Contains(c, "dhclient"):
		return "dhclient"
	}
	return ""
}

// isResolvedStub says whether a is systemd-resolved's local stub listener
// (127.0.0.53) or its proxy-only variant (127.0.0.54).
func isResolvedStub(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && (a == netip.AddrFrom4([4]byte{127, 0, 0, 53}) || a == netip.AddrFrom4([4]byte{127, 0, 0, 54}))
}

// Files of the resolver configuration.
const (
	resolvConfPath   = "/etc/resolv.conf"
	resolvedUpstream = "/run/systemd/resolve/resolv.conf"
)

// resolvConfDNS reads etc/resolv.conf under the root. When it points at
// systemd-resolved's stub, the servers that matter are the stub's
// upstreams, which systemd-resolved writes to run/systemd/resolve/
// resolv.conf; those are returned instead, and Note says so.
func resolvConfDNS(_ context.Context, env Env) (DNS, error) {
	data, err := env.readFile(resolvConfPath)
	if err != nil {
		return DNS{}, fmt.Errorf("reading the DNS configuration: %w", err)
	}
	rc := parseResolvConf(data)
	d := DNS{Servers: rc.servers, Search: rc.search, Source: resolvConfPath, Manager: rc.manager}
	if !slices.ContainsFunc(rc.servers, isResolvedStub) {
		return d, nil
	}
	d.Manager = "systemd-resolved"
	stub := strings.Join(slices.DeleteFunc(slices.Clone(rc.servers), func(s string) bool { return !isResolvedStub(s) }), ", ")
	up, err := env.readFile(resolvedUpstream)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			d.Note = fmt.Sprintf("%s is the local systemd-resolved stub; its upstream servers could not be read: %v", stub, err)
		} else {
			d.Note = fmt.Sprintf("%s is the local systemd-resolved stub; %s is missing, so its upstream servers are unknown", stub, resolvedUpstream)
		}
		return d, nil
	}
	urc := parseResolvConf(up)
	if len(urc.servers) == 0 {
		d.Note = fmt.Sprintf("%s is the local systemd-resolved stub; it has no upstream servers (%s lists none)", stub, resolvedUpstream)
		return d, nil
	}
	d.Servers, d.Source = urc.servers, resolvedUpstream
	if len(urc.search) > 0 {
		d.Search = urc.search
	}
	d.Note = fmt.Sprintf("%s points at the local systemd-resolved stub %s; these are the servers it forwards to", resolvConfPath, stub)
	return d, nil
}
