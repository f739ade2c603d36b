package sysinfo

import (
	"context"
	"sort"
	"strings"

	"github.com/shirou/gopsutil/v4/net"

	"github.com/firstline-it/firstline/internal/sysinfo/netconf"
)

func collectNetwork(ctx context.Context, o *Options, s *Snapshot) error {
	ifaces, err := net.InterfacesWithContext(ctx)
	if err != nil {
		return err
	}
	n := &Network{Interfaces: upInterfaces(ifaces)}
	for _, it := range n.Interfaces {
		if it.VPN != "" {
			n.VPN = append(n.VPN, it.Name+" ("+it.VPN+")")
		}
	}
	env := netconf.Env{Root: o.Root, Run: o.Run, Timeout: o.CommandTimeout}
	var errs errorList
	n.Gateways, err = netconf.DefaultGateways(ctx, env)
	errs.add("default gateway", err)
	n.DNSServers, n.DNSSearch, err = netconf.DNSServers(ctx, env)
	errs.add("dns servers", err)
	// Wi-Fi is optional: a wired desktop without a Wi-Fi tool is normal,
	// so its failure is a note, not a partial section.
	wifi, err := netconf.WiFiStatus(ctx, env)
	n.WiFi = wifi
	if err != nil {
		n.Notes = append(n.Notes, "Wi-Fi: "+err.Error())
	}
	s.Network = n
	return errs.err()
}

// upInterfaces keeps the interfaces that are up and not loopback, with
// their addresses, VPN tunnels marked.
func upInterfaces(list net.InterfaceStatList) []Interface {
	var out []Interface
	for _, it := range list {
		if !hasOpt(it.Flags, "up") || hasOpt(it.Flags, "loopback") {
			continue
		}
		var addrs []string
		for _, a := range it.Addrs {
			addrs = append(addrs, a.Addr)
		}
		iface := Interface{Name: it.Name, MAC: it.HardwareAddr, Addresses: addrs, MTU: it.MTU}
		if kind, ok := netconf.IsVPN(it.Name); ok {
			iface.VPN = kind
		}
		out = append(out, iface)
	}
	// Interfaces with an address first: those are the ones in use.
	sort.SliceStable(out, func(i, j int) bool {
		return len(out[i].Addresses) > 0 && len(out[j].Addresses) == 0
	})
	return out
}

// primaryAddress is the first IPv4 address of the first interface that has
// one, for the one-line summary.
func (n *Network) primaryAddress() (iface, addr string) {
	for _, it := range n.Interfaces {
		for _, a := range it.Addresses {
			if ip, _, _ := strings.Cut(a, "/"); strings.Contains(ip, ".") {
				return it.Name, ip
			}
		}
	}
	return "", ""
}
