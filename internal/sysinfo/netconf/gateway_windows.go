package netconf

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/windows"
)

// DefaultGateways returns the next hops of the default routes, preferred
// first. Windows: the IP helper's route table (GetIpForwardTable2), falling
// back to `route print` if the API fails.
func DefaultGateways(ctx context.Context, env Env) ([]Gateway, error) {
	routes, err := forwardTableDefaults()
	if err == nil {
		return sortRoutes(routes), nil
	}
	out, rerr := env.run(ctx, filepath.Join(systemDir(), "route.exe"), "print")
	if rerr != nil {
		return nil, fmt.Errorf("reading the routing table: %w", errors.Join(err, rerr))
	}
	return sortRoutes(parseRoutePrint(out)), nil
}

// forwardTableDefaults reads the routes with a zero-length prefix (0.0.0.0/0
// and ::/0) and a next hop from GetIpForwardTable2.
func forwardTableDefaults() ([]route, error) {
	var table *windows.MibIpForwardTable2
	if err := windows.GetIpForwardTable2(windows.AF_UNSPEC, &table); err != nil {
		return nil, fmt.Errorf("GetIpForwardTable2: %w", err)
	}
	defer windows.FreeMibTable(unsafe.Pointer(table))
	var routes []route
	for _, row := range table.Rows() {
		if row.DestinationPrefix.PrefixLength != 0 {
			continue
		}
		hop, ok := sockaddrInetAddr(&row.NextHop)
		if !ok || hop.IsUnspecified() {
			continue
		}
		name := winInterfaceName(int(row.InterfaceIndex))
		if hop.Is6() && hop.IsLinkLocalUnicast() {
			// Windows resolves a numeric zone; the name is in Interface.
			hop = hop.WithZone(fmt.Sprint(row.InterfaceIndex))
		}
		routes = append(routes, route{
			gw:     Gateway{Address: hop.String(), Interface: name},
			metric: int64(row.Metric),
			v6:     hop.Is6(),
		})
	}
	return routes, nil
}

// sockaddrInetAddr reads the address of a SOCKADDR_INET union.
func sockaddrInetAddr(sa *windows.RawSockaddrInet) (netip.Addr, bool) {
	switch sa.Family {
	case windows.AF_INET:
		return netip.AddrFrom4((*windows.RawSockaddrInet4)(unsafe.Pointer(sa)).Addr), true
	case windows.AF_INET6:
		return netip.AddrFrom16((*windows.RawSockaddrInet6)(unsafe.Pointer(sa)).Addr), true
	}
	return netip.Addr{}, false
}

// winInterfaceName names an interface index the way users see it (the
// connection's friendly name, "Wi-Fi"), or "" if it is gone.
func winInterfaceName(index int) string {
	ifi, err := net.InterfaceByIndex(index)
	if err != nil {
		return ""
	}
	return ifi.Name
}

// systemDir is the System32 folder, where route.exe and netsh.exe live;
// they are run by full path so a planted copy elsewhere is never picked.
func systemDir() string {
	if dir, err := windows.GetSystemDirectory(); err == nil && dir != "" {
		return dir
	}
	return `C:\Windows\System32`
}
