package probes

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"time"
)

// userAgent identifies the probes in IT's proxy and firewall logs.
const userAgent = "Firstline-connectivity-check/1"

// https fetches a SaaS target once and grades the answer.
func (p *prober) https(ctx context.Context, r Result) Result {
	if err := (Target{Name: r.Name, URL: r.Target}).Validate(); err != nil {
		r.Status, r.Detail, r.Error = StatusFailed, "not a valid https URL", err.Error()
		return r
	}
	resp, tr, start, err := p.get(ctx, r.Target)
	if err != nil {
		return p.fail(ctx, r, start, err, p.errorDetail(ctx, err, tr))
	}
	resp.Body.Close()
	r.Latency = time.Since(start)
	r.HTTPStatus = resp.StatusCode
	if resp.StatusCode >= 500 {
		r.Status = StatusFailed
		r.Detail = fmt.Sprintf("the service answers HTTP %d: it reports a problem on its side", resp.StatusCode)
		return r
	}
	r.Status = p.okOrSlow(r.Latency)
	r.Detail = fmt.Sprintf("HTTP %d in %s%s", resp.StatusCode, ms(r.Latency), tr.breakdown())
	return r
}

// captive fetches the captive portal URL, whose true answer is an empty 204.
func (p *prober) captive(ctx context.Context, r Result) Result {
	resp, tr, start, err := p.get(ctx, r.Target)
	if err != nil {
		return p.fail(ctx, r, start, err, p.errorDetail(ctx, err, tr))
	}
	defer resp.Body.Close()
	// Only whether there is a body matters, not what it says.
	n, _ := io.Copy(io.Discard, io.LimitReader(resp.Body, 1))
	r.Latency = time.Since(start)
	r.HTTPStatus = resp.StatusCode
	code := resp.StatusCode
	switch {
	case code == http.StatusNoContent || code == http.StatusOK && n == 0:
		// Some networks rewrite 204 into an empty 200; Android accepts
		// that too.
		r.Status, r.Detail = StatusOK, fmt.Sprintf("no login page in the way (HTTP %d in %s)", code, ms(r.Latency))
	case code >= 300 && code < 400:
		r.Status = StatusCaptive
		r.Detail = "redirected to a login page"
		if host := locationHost(resp); host != "" {
			r.Detail += " at " + host
		}
	case code == http.StatusNetworkAuthenticationRequired || code >= 200 && code < 300:
		r.Status = StatusCaptive
		r.Detail = fmt.Sprintf("a page answered instead of the network (HTTP %d)", code)
	default:
		r.Status = StatusFailed
		r.Detail = fmt.Sprintf("unexpected HTTP %d: a proxy or filter may block the check", code)
	}
	return r
}

// get sends one GET under ctx and returns the response (headers read, body
// open), the trace of its stages, and when it started.
func (p *prober) get(ctx context.Context, rawURL string) (*http.Response, *trace, time.Time, error) {
	tr := &trace{}
	start := time.Now()
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, tr.hooks()), http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, tr, start, err
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Cache-Control", "no-cache")
	resp, err := p.client.Do(req)
	return resp, tr, start, err
}

// errorDetail explains a failed request in plain words.
func (p *prober) errorDetail(ctx context.Context, err error, tr *trace) string {
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		verify    *tls.CertificateVerificationError
		record    tls.RecordHeaderError
		alert     tls.AlertError
		dnsErr    *net.DNSError
	)
	switch {
	case timedOut(ctx, err):
		return fmt.Sprintf("%s, %s", p.noAnswer(), tr.stage())
	case errors.As(err, &unknownCA):
		return "TLS failed: the certificate is not from a trusted authority; something (a proxy, a login page, security software) may be intercepting the connection"
	case errors.As(err, &hostname):
		return "TLS failed: the certificate is for another name; something may be intercepting the connection"
	case errors.As(err, &invalid):
		return "TLS failed: the certificate is invalid (" + invalidReason(invalid) + ")"
	case errors.As(err, &verify):
		return "TLS failed: the certificate could not be verified"
	case errors.As(err, &record):
		return "TLS failed: the server does not speak TLS on this port"
	case errors.As(err, &alert):
		return "TLS failed: the server refused the handshake"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "the name does not exist (or the DNS server says so)"
	case errors.As(err, &dnsErr):
		return "the name could not be looked up"
	case isRefused(err):
		return "the connection was refused"
	case isUnreachable(err):
		return "no route to the service"
	case isReset(err) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection was cut " + tr.stage()
	default:
		return "the request failed " + tr.stage()
	}
}

func invalidReason(e x509.CertificateInvalidError) string {
	switch e.Reason {
	case x509.Expired:
		return "expired, or the computer's clock is wrong"
	case x509.NotAuthorizedToSign:
		return "signed by a certificate that may not sign"
	default:
		return e.Error()
	}
}

// locationHost is the host of a redirect's target, the portal's name.
func locationHost(resp *http.Response) string {
	loc, err := resp.Location()
	if err != nil {
		return ""
	}
	return loc.Hostname()
}

// trace records when each stage of a request began and ended, to say where
// a slow or stuck request spent its time. The hooks run on the transport's
// goroutines, hence the lock.
type trace struct {
	mu                                     sync.Mutex
	getConn, gotConn                       time.Time
	dnsStart, dnsDone, connStart, connDone time.Time
	tlsStart, tlsDone, wroteRequest        time.Time
}

func (t *trace) mark(at *time.Time) func() {
	return func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		if at.IsZero() {
			*at = time.Now()
		}
	}
}

func (t *trace) hooks() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn:           func(string) { t.mark(&t.getConn)() },
		GotConn:           func(httptrace.GotConnInfo) { t.mark(&t.gotConn)() },
		DNSStart:          func(httptrace.DNSStartInfo) { t.mark(&t.dnsStart)() },
		DNSDone:           func(httptrace.DNSDoneInfo) { t.mark(&t.dnsDone)() },
		ConnectStart:      func(string, string) { t.mark(&t.connStart)() },
		ConnectDone:       func(string, string, error) { t.mark(&t.connDone)() },
		TLSHandshakeStart: t.mark(&t.tlsStart),
		TLSHandshakeDone:  func(tls.ConnectionState, error) { t.mark(&t.tlsDone)() },
		WroteRequest:      func(httptrace.WroteRequestInfo) { t.mark(&t.wroteRequest)() },
	}
}

// stage names the stage a request was in when it stopped.
func (t *trace) stage() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case !t.wroteRequest.IsZero():
		return "while waiting for the response"
	case !t.tlsStart.IsZero() && t.tlsDone.IsZero():
		return "during the TLS handshake"
	case !t.dnsStart.IsZero() && t.dnsDone.IsZero():
		return "while looking up the name"
	case !t.getConn.IsZero() && t.gotConn.IsZero():
		// Connecting covers the proxy's and a custom dialer's work, which
		// report no finer stages.
		return "while connecting"
	}
	return "before connecting"
}

// breakdown returns " (DNS x ms, connect y ms, TLS z ms)" for the stages
// that took place on this request.
func (t *trace) breakdown() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var parts []string
	add := func(label string, from, to time.Time) {
		if !from.IsZero() && !to.IsZero() {
			parts = append(parts, label+" "+ms(to.Sub(from)))
		}
	}
	add("DNS", t.dnsStart, t.dnsDone)
	add("connect", t.connStart, t.connDone)
	add("TLS", t.tlsStart, t.tlsDone)
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
