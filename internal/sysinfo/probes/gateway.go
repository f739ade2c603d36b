package probes

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/sysinfo/netconf"
)

// gatewayPorts are what routers commonly serve: DNS forwarding and the
// admin page. Which one answers does not matter; see the package doc.
func gatewayPorts() []string { return []string{"53", "80", "443"} }

// gatewayARPReserve is kept from the deadline for the ARP look-up after
// the connection attempts, at most a tenth of the budget.
const gatewayARPReserve = 250 * time.Millisecond

// gateway checks that the router r.Target is there: a TCP connection to
// any of gatewayPorts accepted or refused, or else a complete ARP entry.
func (p *prober) gateway(ctx context.Context, r Result) Result {
	addr, err := netip.ParseAddr(r.Target)
	if err != nil {
		r.Status, r.Detail, r.Error = StatusFailed, "not an IP address", err.Error()
		return r
	}
	start := time.Now()
	dialCtx := ctx
	if dl, ok := ctx.Deadline(); ok {
		reserve := min(gatewayARPReserve, p.opts.Budget/10)
		var cancel context.CancelFunc
		dialCtx, cancel = context.WithDeadline(ctx, dl.Add(-reserve))
		defer cancel()
	}
	port, refused, errs := p.knock(dialCtx, addr)
	switch {
	case port != "" && refused:
		r.Latency, r.Status = time.Since(start), StatusOK
		r.Detail = fmt.Sprintf("refused a connection to port %s in %s, so it is there", port, ms(r.Latency))
		return r
	case port != "":
		r.Latency, r.Status = time.Since(start), StatusOK
		r.Detail = fmt.Sprintf("accepted a connection to port %s in %s", port, ms(r.Latency))
		return r
	}
	err = errors.Join(errs...)
	if hw, nerr := netconf.Neighbor(ctx, p.opts.Env, addr); nerr == nil && hw != "" {
		r.Latency, r.Status = time.Since(start), StatusOK
		r.Detail = fmt.Sprintf("no answer on ports %s, but its hardware address (%s) is in the ARP table, so it is on the network",
			strings.Join(gatewayPorts(), ", "), hw)
		r.Error = err.Error()
		return r
	}
	if allUnreachable(errs) {
		return p.fail(ctx, r, start, err, "unreachable: nothing on the network answers for this address")
	}
	return p.fail(ctx, r, start, err, "")
}

// knock tries every port at once and returns the first that answered, and
// whether it answered by refusing; with no answer, the errors of all.
func (p *prober) knock(ctx context.Context, addr netip.Addr) (port string, refused bool, errs []error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type answer struct {
		port string
		err  error
	}
	ports := gatewayPorts()
	answers := make(chan answer, len(ports))
	var wg sync.WaitGroup
	for _, pt := range ports {
		wg.Go(func() {
			conn, err := p.opts.DialContext(ctx, "tcp", net.JoinHostPort(addr.String(), pt))
			if err == nil {
				conn.Close()
			}
			answers <- answer{pt, err}
		})
	}
	defer wg.Wait()
	for range ports {
		a := <-answers
		switch {
		case a.err == nil:
			return a.port, false, nil
		case isRefused(a.err):
			return a.port, true, nil
		}
		errs = append(errs, a.err)
	}
	return "", false, errs
}

// allUnreachable says whether every attempt failed with "host unreachable"
// or "network unreachable": the system asked for the router and nobody
// answered, or has no route to it at all.
func allUnreachable(errs []error) bool {
	for _, err := range errs {
		if !isUnreachable(err) {
			return false
		}
	}
	return len(errs) > 0
}
