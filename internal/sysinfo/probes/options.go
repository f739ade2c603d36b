package probes

import (
	"context"
	"crypto/x509"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"time"

	"github.com/firstline-it/firstline/internal/sysinfo/netconf"
)

// Defaults and bounds of Options.
const (
	DefaultBudget = 4 * time.Second
	// MaxBudget bounds the wait: an employee who asked "is it me?" should
	// not wait longer for the answer.
	MaxBudget            = 5 * time.Second
	DefaultSlowThreshold = 1500 * time.Millisecond
	// DefaultCaptivePortalURL answers 204 with no body on a free internet.
	DefaultCaptivePortalURL = "http://connectivitycheck.gstatic.com/generate_204"
)

// Options say what Run checks. The zero value checks the default targets,
// their names and the captive portal, with the default budget.
type Options struct {
	// Targets are the services probed over HTTPS. Nil means
	// DefaultTargets(); an empty, non-nil slice probes none.
	Targets []Target
	// DNSNames are resolved. Nil means the hosts of Targets.
	DNSNames []string
	// Gateways are the routers to check (netconf.DefaultGateways gives
	// them). None means unknown: the verdict then never blames the router.
	Gateways []string
	// CaptivePortalURL is fetched to detect a login page ("" means
	// DefaultCaptivePortalURL). SkipCaptivePortal turns the check off, for
	// networks that block the URL.
	CaptivePortalURL  string
	SkipCaptivePortal bool
	// Budget is the total time allowed (default DefaultBudget, at most
	// MaxBudget).
	Budget time.Duration
	// SlowThreshold is the latency above which an answer counts as slow
	// (default DefaultSlowThreshold).
	SlowThreshold time.Duration

	// Resolver resolves names for the DNS checks and the connections (nil:
	// net.DefaultResolver).
	Resolver *net.Resolver
	// DialContext opens the connections of the gateway and HTTP checks
	// (nil: a net.Dialer using Resolver). It must honour ctx.
	DialContext func(ctx context.Context, network, address string) (net.Conn, error)
	// RootCAs verifies the HTTPS targets (nil: the system's roots).
	RootCAs *x509.CertPool
	// Proxy chooses the HTTP proxy (nil: http.ProxyFromEnvironment, as
	// the employee's tools would).
	Proxy func(*http.Request) (*url.URL, error)
	// Env is where the ARP table is read for the gateway check.
	Env netconf.Env

	Logger *slog.Logger
	// Now stamps Report.Started (default time.Now). Latencies are measured
	// with the monotonic clock whatever Now is.
	Now func() time.Time
}

// withDefaults returns the options with every default applied.
func (o Options) withDefaults() Options {
	if o.Targets == nil {
		o.Targets = DefaultTargets()
	}
	if o.DNSNames == nil {
		for _, t := range o.Targets {
			h := t.host()
			if _, err := netip.ParseAddr(h); err == nil || h == "" || slices.Contains(o.DNSNames, h) {
				continue
			}
			o.DNSNames = append(o.DNSNames, h)
		}
	}
	if o.CaptivePortalURL == "" {
		o.CaptivePortalURL = DefaultCaptivePortalURL
	}
	if o.Budget <= 0 {
		o.Budget = DefaultBudget
	}
	o.Budget = min(o.Budget, MaxBudget)
	if o.SlowThreshold <= 0 {
		o.SlowThreshold = DefaultSlowThreshold
	}
	if o.Resolver == nil {
		o.Resolver = net.DefaultResolver
	}
	if o.DialContext == nil {
		o.DialContext = (&net.Dialer{Resolver: o.Resolver}).DialContext
	}
	if o.Proxy == nil {
		o.Proxy = http.ProxyFromEnvironment
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
