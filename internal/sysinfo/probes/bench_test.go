package probes

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/sysinfo/netconf"
)

// BenchmarkRunAllUnreachable runs the default checks (the built-in SaaS
// list, their names, the captive portal URL, one router) with the default
// budget on a network where nothing answers: the DNS server swallows
// queries and every connection hangs. Target: a run takes at most
// MaxBudget (5 s); it should take the budget (4 s) plus scheduling.
func BenchmarkRunAllUnreachable(b *testing.B) {
	silent := silentUDP(b)
	opts := Options{
		Gateways: []string{"192.0.2.1"},
		Resolver: &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "udp", silent)
		}},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			<-ctx.Done()
			return nil, &net.OpError{Op: "dial", Net: network, Err: ctx.Err()}
		},
		Proxy: func(*http.Request) (*url.URL, error) { return nil, nil },
		Env:   netconf.Env{Root: b.TempDir()},
	}
	var worst time.Duration
	for b.Loop() {
		rep := Run(context.Background(), opts)
		worst = max(worst, rep.Duration)
		for _, r := range rep.Results {
			if r.Status != StatusTimeout {
				b.Fatalf("%s %s: %s %q, want a timeout", r.Kind, r.Target, r.Status, r.Detail)
			}
		}
	}
	b.ReportMetric(worst.Seconds(), "worst-s")
	if worst > MaxBudget {
		b.Fatalf("a run took %v, more than %v", worst, MaxBudget)
	}
}

// BenchmarkRunHealthyLocal measures the probes' own cost: five HTTPS
// targets, their names and a captive portal check, all answered at once on
// the loopback interface.
func BenchmarkRunHealthyLocal(b *testing.B) {
	n := newTestNet(b)
	opts := n.options()
	for _, name := range []string{"a.test", "b.test", "c.test", "d.test", "e.test"} {
		opts.Targets = append(opts.Targets, Target{name, n.serveTLS(statusHandler(http.StatusOK), []string{name}, false, time.Time{})})
	}
	opts.Gateways = []string{"127.0.0.1"}
	opts.SkipCaptivePortal = true
	b.ReportAllocs()
	for b.Loop() {
		if rep := Run(context.Background(), opts); rep.Verdict != "Everything reachable." {
			b.Fatalf("verdict %q: %+v", rep.Verdict, rep.Results)
		}
	}
}
