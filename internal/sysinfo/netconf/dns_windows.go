package netconf

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// DNSConfig returns the resolver configuration in use. Windows: the DNS
// servers of the adapters that are up (GetAdaptersAddresses), the adapter
// with the lowest metric first; the search list is the one set by policy
// or by hand (Tcpip\Parameters SearchList) if any, else the machine's
// primary domain and each adapter's connection suffixes, as Windows itself
// builds it.
func DNSConfig(ctx context.Context, env Env) (DNS, error) {
	adapters, err := adapterAddresses()
	if err != nil {
		return DNS{}, fmt.Errorf("reading the DNS configuration: %w", err)
	}
	slices.SortStableFunc(adapters, func(a, b *windows.IpAdapterAddresses) int {
		return cmp.Compare(a.Ipv4Metric, b.Ipv4Metric)
	})
	d := DNS{Source: "GetAdaptersAddresses"}
	var suffixes []string
	for _, a := range adapters {
		if a.OperStatus != windows.IfOperStatusUp || a.IfType == windows.IF_TYPE_SOFTWARE_LOOPBACK {
			continue
		}
		for s := a.FirstDnsServerAddress; s != nil; s = s.Next {
			ip, ok := netip.AddrFromSlice(s.Address.IP())
			if !ok || isWindowsPlaceholderDNS(ip) {
				continue
			}
			if ip.Is6() && ip.IsLinkLocalUnicast() {
				ip = ip.WithZone(strconv.Itoa(int(a.Ipv6IfIndex)))
			}
			d.Servers = addServer(d.Servers, ip.String())
		}
		suffixes = addDomain(suffixes, windows.UTF16PtrToString(a.DnsSuffix))
		for s := a.FirstDnsSuffix; s != nil; s = s.Next {
			suffixes = addDomain(suffixes, windows.UTF16ToString(s.String[:]))
		}
	}
	list, primary := tcpipSearchList()
	switch {
	case len(list) > 0:
		d.Search = list
		d.Note = "the search list is set by policy or by hand"
	default:
		for _, s := range append(primary, suffixes...) {
			d.Search = addDomain(d.Search, s)
		}
	}
	return d, nil
}

// adapterAddresses calls GetAdaptersAddresses, growing the buffer as the
// API asks (the adapter list may grow between two calls).
func adapterAddresses() ([]*windows.IpAdapterAddresses, error) {
	const flags = windows.GAA_FLAG_SKIP_UNICAST | windows.GAA_FLAG_SKIP_ANYCAST | windows.GAA_FLAG_SKIP_MULTICAST
	size := uint32(16 << 10)
	for range 4 {
		buf := make([]byte, size)
		first := (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0]))
		err := windows.GetAdaptersAddresses(windows.AF_UNSPEC, flags, 0, first, &size)
		if errors.Is(err, windows.ERROR_BUFFER_OVERFLOW) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("GetAdaptersAddresses: %w", err)
		}
		var list []*windows.IpAdapterAddresses
		for a := first; a != nil; a = a.Next {
			list = append(list, a)
		}
		return list, nil
	}
	return nil, errors.New("GetAdaptersAddresses: the adapter list kept growing")
}

// tcpipSearchList reads the machine-wide search list and primary domain.
func tcpipSearchList() (list, primary []string) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\Tcpip\Parameters`, registry.QUERY_VALUE)
	if err != nil {
		return nil, nil
	}
	defer k.Close()
	if v, _, err := k.GetStringValue("SearchList"); err == nil {
		for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
			list = addDomain(list, s)
		}
	}
	if v, _, err := k.GetStringValue("Domain"); err == nil {
		primary = addDomain(primary, v)
	}
	return list, primary
}
