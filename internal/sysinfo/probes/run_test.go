package probes

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// slowHandler answers after d, or never if the client goes first.
func slowHandler(d time.Duration, code int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(d):
			w.WriteHeader(code)
		case <-r.Context().Done():
		}
	})
}

func statusHandler(code int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) })
}

// find returns the result about target.
func find(t *testing.T, rep Report, kind Kind, target string) Result {
	t.Helper()
	for _, r := range rep.Results {
		if r.Kind == kind && r.Target == target {
			return r
		}
	}
	t.Fatalf("no %s result for %s in %+v", kind, target, rep.Results)
	return Result{}
}

func TestRunHTTPSTargets(t *testing.T) {
	n := newTestNet(t)
	healthy := n.serveTLS(statusHandler(http.StatusOK), []string{"mail.test"}, false, time.Time{})
	api := n.serveTLS(statusHandler(http.StatusUnauthorized), []string{"chat.test"}, false, time.Time{})
	down := n.serveTLS(statusHandler(http.StatusServiceUnavailable), []string{"video.test"}, false, time.Time{})
	// Wide margins: under the race detector on a busy machine, a healthy
	// local request has been seen to take a second.
	slow := n.serveTLS(slowHandler(2500*time.Millisecond, http.StatusFound), []string{"docs.test"}, false, time.Time{})
	untrusted := n.serveTLS(statusHandler(http.StatusOK), []string{"drive.test"}, true, time.Time{})
	expired := n.serveTLS(statusHandler(http.StatusOK), []string{"old.test"}, false, time.Now().Add(-time.Hour))
	// The server's certificate is for wiki.test, the URL says cal.test.
	wrongName := strings.Replace(n.serveTLS(statusHandler(http.StatusOK), []string{"wiki.test"}, false, time.Time{}), "wiki.test", "cal.test", 1)
	n.dns.set("cal.test", "127.0.0.1")
	_, closed, _ := net.SplitHostPort(closedPort(t))
	n.dns.set("refused.test", "127.0.0.1")
	refused := "https://refused.test:" + closed + "/"
	noName := "https://ghost.test/"

	opts := n.options()
	opts.SlowThreshold = DefaultSlowThreshold
	opts.Budget = DefaultBudget
	opts.SkipCaptivePortal = true
	opts.Targets = []Target{
		{"Mail", healthy}, {"Chat", api}, {"Video", down}, {"Docs", slow}, {"Drive", untrusted},
		{"Old", expired}, {"Calendar", wrongName}, {"Tickets", refused}, {"Ghost", noName},
	}
	rep := Run(context.Background(), opts)

	tests := []struct {
		url        string
		status     Status
		httpStatus int
		detail     string
	}{
		{healthy, StatusOK, 200, "HTTP 200 in "},
		{api, StatusOK, 401, "HTTP 401 in "},
		{down, StatusFailed, 503, "reports a problem"},
		{slow, StatusSlow, 302, "HTTP 302 in "},
		{untrusted, StatusFailed, 0, "not from a trusted authority"},
		{expired, StatusFailed, 0, "expired"},
		{wrongName, StatusFailed, 0, "for another name"},
		{refused, StatusFailed, 0, "refused"},
		{noName, StatusFailed, 0, "does not exist"},
	}
	for _, tt := range tests {
		r := find(t, rep, KindHTTPS, tt.url)
		if r.Status != tt.status || r.HTTPStatus != tt.httpStatus || !strings.Contains(r.Detail, tt.detail) {
			t.Errorf("%s: got %s/%d %q, want %s/%d with %q", r.Name, r.Status, r.HTTPStatus, r.Detail, tt.status, tt.httpStatus, tt.detail)
		}
		if r.Status == StatusFailed && r.HTTPStatus == 0 && r.Error == "" {
			t.Errorf("%s: failure without the error", r.Name)
		}
		if r.Latency <= 0 {
			t.Errorf("%s: no latency", r.Name)
		}
	}
	want := "Internet works; Drive, Old, Calendar, Tickets and Ghost are unreachable; Video is down; Docs is slow."
	if rep.Verdict != want {
		t.Errorf("verdict %q\nwant    %q", rep.Verdict, want)
	}
}

func TestRunDNS(t *testing.T) {
	n := newTestNet(t)
	n.dns.set("found.test", "192.0.2.10")
	n.dns.set("silent.test", "silent")
	opts := n.options()
	opts.Budget = 2 * time.Second // the silent name waits it out
	opts.SkipCaptivePortal = true
	opts.DNSNames = []string{"found.test", "missing.test", "silent.test", "10.0.0.1"}
	rep := Run(context.Background(), opts)

	tests := map[string]struct {
		status Status
		detail string
	}{
		"found.test":   {StatusOK, "resolves to 192.0.2.10"},
		"missing.test": {StatusFailed, "does not exist"},
		"silent.test":  {StatusTimeout, "no answer within 2s"},
		"10.0.0.1":     {StatusSkipped, "nothing to look up"},
	}
	for name, tt := range tests {
		r := find(t, rep, KindDNS, name)
		if r.Status != tt.status || !strings.Contains(r.Detail, tt.detail) {
			t.Errorf("%s: got %s %q, want %s with %q", name, r.Status, r.Detail, tt.status, tt.detail)
		}
	}
}

func TestRunCaptivePortal(t *testing.T) {
	tests := map[string]struct {
		handler http.HandlerFunc
		status  Status
		detail  string
		verdict string
	}{
		"free internet": {
			func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) },
			StatusOK, "no login page", "Everything reachable.",
		},
		"204 rewritten into an empty 200": {
			func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) },
			StatusOK, "no login page", "Everything reachable.",
		},
		"redirect to a login page": {
			func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "http://login.hotel-wifi.test/portal?orig=x", http.StatusFound)
			},
			StatusCaptive, "redirected to a login page at login.hotel-wifi.test",
			"A Wi-Fi login page is blocking the internet (captive portal).",
		},
		"login page served in place": {
			func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				fmt.Fprint(w, "<html><body>Accept the terms to continue</body></html>")
			},
			StatusCaptive, "a page answered instead", "A Wi-Fi login page is blocking the internet (captive portal).",
		},
		"511": {
			func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNetworkAuthenticationRequired) },
			StatusCaptive, "HTTP 511", "A Wi-Fi login page is blocking the internet (captive portal).",
		},
		"blocked by a filter": {
			func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) },
			StatusFailed, "unexpected HTTP 403", "No internet: nothing answers.",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			n := newTestNet(t)
			srv := httptest.NewServer(tt.handler)
			t.Cleanup(srv.Close)
			opts := n.options()
			opts.CaptivePortalURL = srv.URL + "/generate_204"
			rep := Run(context.Background(), opts)
			r := find(t, rep, KindCaptive, opts.CaptivePortalURL)
			if r.Status != tt.status || !strings.Contains(r.Detail, tt.detail) {
				t.Errorf("got %s %q, want %s with %q", r.Status, r.Detail, tt.status, tt.detail)
			}
			if rep.Verdict != tt.verdict {
				t.Errorf("verdict %q, want %q", rep.Verdict, tt.verdict)
			}
		})
	}
}

func TestRunGateways(t *testing.T) {
	n := newTestNet(t)
	// Whatever listens on this machine's ports 53, 80 and 443, each
	// attempt is accepted or refused: either proves the address is there.
	opts := n.options()
	opts.SkipCaptivePortal = true
	opts.Budget = 1500 * time.Millisecond
	opts.Gateways = []string{"127.0.0.1", "192.0.2.1", "198.51.100.1", "router.local"}
	rep := Run(context.Background(), opts)

	tests := map[string]struct {
		status Status
		detail string
	}{
		"127.0.0.1":    {StatusOK, "a connection to port"},
		"192.0.2.1":    {StatusTimeout, "no answer within 1.5s"},
		"198.51.100.1": {StatusFailed, "unreachable"},
		"router.local": {StatusFailed, "not an IP address"},
	}
	for gw, tt := range tests {
		r := find(t, rep, KindGateway, gw)
		if r.Status != tt.status || !strings.Contains(r.Detail, tt.detail) {
			t.Errorf("%s: got %s %q, want %s with %q", gw, r.Status, r.Detail, tt.status, tt.detail)
		}
	}
}

func TestRunShortBudgetTimesEverythingOut(t *testing.T) {
	n := newTestNet(t)
	n.dns.set("silent.test", "silent")
	n.dns.set("blackhole.test", "192.0.2.1")
	slow := n.serveTLS(slowHandler(time.Minute, http.StatusOK), []string{"slow.test"}, false, time.Time{})
	captive := httptest.NewServer(slowHandler(time.Minute, http.StatusNoContent))
	t.Cleanup(captive.Close)

	opts := n.options()
	// Short, but long enough for a local TLS handshake on a busy machine,
	// so the slow server is seen stuck after it.
	opts.Budget = time.Second
	opts.Gateways = []string{"192.0.2.1"}
	opts.DNSNames = []string{"silent.test"}
	opts.CaptivePortalURL = captive.URL
	opts.Targets = []Target{{"Slow", slow}, {"Black hole", "https://blackhole.test/"}, {"No DNS", "https://silent.test/"}}
	rep := Run(context.Background(), opts)

	if len(rep.Results) != 6 {
		t.Fatalf("%d results, want 6: %+v", len(rep.Results), rep.Results)
	}
	for _, r := range rep.Results {
		if r.Status != StatusTimeout || !strings.HasPrefix(r.Detail, "no answer within 1s") {
			t.Errorf("%s %s: got %s %q, want a timeout", r.Kind, r.Target, r.Status, r.Detail)
		}
	}
	// The stage a request was stuck in is named for IT.
	stages := map[string]string{slow: "waiting for the response", "https://blackhole.test/": "while connecting"}
	for url, stage := range stages {
		if r := find(t, rep, KindHTTPS, url); !strings.Contains(r.Detail, stage) {
			t.Errorf("%s: detail %q does not say %q", url, r.Detail, stage)
		}
	}
	if want := "No network: the router (192.0.2.1) does not answer."; rep.Verdict != want {
		t.Errorf("verdict %q, want %q", rep.Verdict, want)
	}
}

func TestRunCancelledFillsEveryResult(t *testing.T) {
	n := newTestNet(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	opts := n.options()
	opts.Gateways = []string{"192.0.2.1"}
	opts.Targets = []Target{{"Slack", "https://slack.test/"}}
	rep := Run(ctx, opts)
	if len(rep.Results) != 4 {
		t.Fatalf("%d results, want 4", len(rep.Results))
	}
	for _, r := range rep.Results {
		if r.Status != StatusFailed || r.Detail != "stopped before an answer came" || r.Kind == "" || r.Target == "" {
			t.Errorf("got %+v", r)
		}
	}
}

func TestRunStampsStartWithNow(t *testing.T) {
	n := newTestNet(t)
	at := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	opts := n.options()
	opts.SkipCaptivePortal = true
	opts.Now = func() time.Time { return at }
	rep := Run(context.Background(), opts)
	if !rep.Started.Equal(at) {
		t.Errorf("Started = %v, want %v", rep.Started, at)
	}
	if want := []Result{{Kind: KindCaptive, Name: "captive portal", Target: DefaultCaptivePortalURL, Status: StatusSkipped, Detail: "turned off"}}; fmt.Sprint(rep.Results) != fmt.Sprint(want) {
		t.Errorf("results %+v, want %+v", rep.Results, want)
	}
}
