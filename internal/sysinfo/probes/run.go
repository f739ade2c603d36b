package probes

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Run runs every check at once under one deadline, the earlier of ctx's and
// Options.Budget, and returns when all have finished: by the deadline,
// since each honours it. Results come in a fixed order (gateways, names,
// captive portal, targets), each filled in even when it timed out.
func Run(ctx context.Context, opts Options) Report {
	o := opts.withDefaults()
	rep := Report{Started: o.Now()}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, o.Budget)
	defer cancel()

	p := newProber(o)
	defer p.close()
	checks := p.plan()
	rep.Results = make([]Result, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() { rep.Results[i] = c.run(ctx, c.base) })
	}
	wg.Wait()

	rep.Duration = time.Since(start)
	rep.Verdict = verdict(rep.Results)
	for _, r := range rep.Results {
		o.Logger.Debug("probe", "kind", r.Kind, "target", r.Target, "status", r.Status,
			"latency", r.Latency, "detail", r.Detail, "error", r.Error)
	}
	o.Logger.Info("connectivity probes done", "verdict", rep.Verdict, "duration", rep.Duration)
	return rep
}

// check is one planned probe: its result's identity, and how to fill it.
type check struct {
	base Result
	run  func(ctx context.Context, base Result) Result
}

// prober holds what the checks of one Run share.
type prober struct {
	opts   Options
	client *http.Client
	tr     *http.Transport
}

func newProber(o Options) *prober {
	tr := &http.Transport{
		Proxy:             o.Proxy,
		DialContext:       o.DialContext,
		TLSClientConfig:   &tls.Config{RootCAs: o.RootCAs, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2: true,
		// Each check measures a fresh connection, as a first visit would.
		DisableKeepAlives:      true,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &prober{
		opts: o,
		tr:   tr,
		client: &http.Client{
			Transport: tr,
			// A redirect is an answer: for a SaaS it proves reachability,
			// for the captive portal check it is the portal.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

func (p *prober) close() { p.tr.CloseIdleConnections() }

// plan lists the checks in the order of the report.
func (p *prober) plan() []check {
	var cs []check
	for _, gw := range p.opts.Gateways {
		cs = append(cs, check{Result{Kind: KindGateway, Name: "router", Target: gw}, p.gateway})
	}
	for _, name := range p.opts.DNSNames {
		cs = append(cs, check{Result{Kind: KindDNS, Name: name, Target: name}, p.dns})
	}
	captive := Result{Kind: KindCaptive, Name: "captive portal", Target: p.opts.CaptivePortalURL}
	if p.opts.SkipCaptivePortal {
		captive.Status, captive.Detail = StatusSkipped, "turned off"
		cs = append(cs, check{captive, func(_ context.Context, r Result) Result { return r }})
	} else {
		cs = append(cs, check{captive, p.captive})
	}
	for _, t := range p.opts.Targets {
		cs = append(cs, check{Result{Kind: KindHTTPS, Name: t.Name, Target: t.URL}, p.https})
	}
	return cs
}

// fail fills r for a check that ended in err after started: a timeout if
// the deadline passed (whatever error the check saw then) or err is one, a
// failure otherwise. detail says in plain words what happened; for a
// timeout without one, it says how long was waited.
func (p *prober) fail(ctx context.Context, r Result, started time.Time, err error, detail string) Result {
	r.Latency = time.Since(started)
	if err != nil {
		r.Error = err.Error()
	}
	switch {
	case timedOut(ctx, err):
		r.Status = StatusTimeout
		if detail == "" {
			detail = p.noAnswer()
		}
	case errors.Is(ctx.Err(), context.Canceled):
		r.Status, detail = StatusFailed, "stopped before an answer came"
	default:
		r.Status = StatusFailed
	}
	r.Detail = detail
	return r
}

// noAnswer is the detail of a timeout.
func (p *prober) noAnswer() string {
	return fmt.Sprintf("no answer within %s", p.opts.Budget)
}

// timedOut says whether a check ended by the deadline.
func timedOut(ctx context.Context, err error) bool {
	return errors.Is(ctx.Err(), context.DeadlineExceeded) || isTimeout(err)
}

// isTimeout says whether err is a time-out of any layer.
func isTimeout(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// okOrSlow grades an answer that took latency.
func (p *prober) okOrSlow(latency time.Duration) Status {
	if latency > p.opts.SlowThreshold {
		return StatusSlow
	}
	return StatusOK
}

// ms formats a latency for a Detail sentence.
func ms(d time.Duration) string {
	return fmt.Sprintf("%d ms", d.Round(time.Millisecond).Milliseconds())
}
