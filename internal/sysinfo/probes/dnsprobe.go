package probes

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// dns resolves r.Target.
func (p *prober) dns(ctx context.Context, r Result) Result {
	if _, err := netip.ParseAddr(r.Target); err == nil {
		r.Status, r.Detail = StatusSkipped, "an address, nothing to look up"
		return r
	}
	start := time.Now()
	addrs, err := p.opts.Resolver.LookupNetIP(ctx, "ip", r.Target)
	if err != nil {
		return p.fail(ctx, r, start, err, dnsDetail(ctx, err))
	}
	r.Latency = time.Since(start)
	r.Status = p.okOrSlow(r.Latency)
	r.Detail = fmt.Sprintf("resolves to %s in %s", addrList(addrs), ms(r.Latency))
	return r
}

// dnsDetail explains a failed lookup.
func dnsDetail(ctx context.Context, err error) string {
	var de *net.DNSError
	switch {
	case timedOut(ctx, err):
		return "" // the generic timeout detail says it
	case errors.As(err, &de) && de.IsNotFound:
		return "the name does not exist (or the DNS server says so)"
	default:
		return "the name could not be looked up"
	}
}

// addrList shows up to three addresses.
func addrList(addrs []netip.Addr) string {
	if len(addrs) == 0 {
		return "no address"
	}
	s := make([]string, 0, 3)
	for _, a := range addrs[:min(3, len(addrs))] {
		s = append(s, a.String())
	}
	if len(addrs) > 3 {
		return fmt.Sprintf("%s and %d more", strings.Join(s, ", "), len(addrs)-3)
	}
	return strings.Join(s, ", ")
}
