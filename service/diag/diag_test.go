package diag

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/sysinfo"
	"github.com/firstline-it/firstline/internal/sysinfo/metrics"
	"github.com/firstline-it/firstline/internal/sysinfo/probes"
)

// clock is a settable test clock.
type clock struct{ t atomic.Int64 }

func (c *clock) now() time.Time      { return time.Unix(0, c.t.Load()) }
func (c *clock) add(d time.Duration) { c.t.Add(int64(d)) }
func newClock() *clock {
	c := &clock{}
	c.t.Store(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func who(uid string) localapi.Identity { return localapi.Identity{UID: uid, Username: "user" + uid} }
func sectionStatus(s *sysinfo.Snapshot) map[sysinfo.Section]sysinfo.Status {
	m := map[sysinfo.Section]sysinfo.Status{}
	for _, in := range s.Sections {
		m[in.Name] = in.Status
	}
	return m
}

func TestSectionsITAllows(t *testing.T) {
	cfg := config.Defaults()
	cfg.SysInfo.Sections = []string{"host", "hardware"}
	s := New(Options{Config: cfg})
	snap := s.Snapshot(context.Background(), []sysinfo.Section{sysinfo.SectionHost, sysinfo.SectionNetwork}, who("1000"))
	st := sectionStatus(snap)
	if st[sysinfo.SectionHost] != sysinfo.StatusOK || st[sysinfo.SectionNetwork] != sysinfo.StatusSkipped || snap.Network != nil {
		t.Errorf("asked host+network with only host+hardware allowed: %v", st)
	}
	if snap.Host.User != "user1000" || snap.Host.UserID != "1000" {
		t.Errorf("requester not recorded: %+v", snap.Host)
	}

	cfg = config.Defaults()
	cfg.SysInfo.Sections = []string{}
	snap = New(Options{Config: cfg}).Snapshot(context.Background(), nil, who("1000"))
	for sec, status := range sectionStatus(snap) {
		if status != sysinfo.StatusSkipped {
			t.Errorf("IT turned every section off, yet %s is %s", sec, status)
		}
	}
}

func TestRedactionFromConfig(t *testing.T) {
	snap := New(Options{}).Snapshot(context.Background(), []sysinfo.Section{sysinfo.SectionHost}, who("0"))
	if len(snap.Redacted) != len(sysinfo.AllRules()) {
		t.Errorf("default redaction: %v", snap.Redacted)
	}
	cfg := config.Defaults()
	cfg.SysInfo.Redact = []string{}
	snap = New(Options{Config: cfg}).Snapshot(context.Background(), []sysinfo.Section{sysinfo.SectionHost}, who("0"))
	if len(snap.Redacted) != 0 {
		t.Errorf("IT turned redaction off: %v", snap.Redacted)
	}
}

func TestConfigNamesMatchPackages(t *testing.T) {
	var secs []string
	for _, s := range sysinfo.AllSections() {
		secs = append(secs, string(s))
	}
	var rules []string
	for _, r := range sysinfo.AllRules() {
		rules = append(rules, string(r))
	}
	var builtin []string
	seen := map[string]bool{}
	for _, t := range probes.DefaultTargets() {
		if !seen[slug(t.Name)] {
			seen[slug(t.Name)] = true
			builtin = append(builtin, slug(t.Name))
		}
	}
	for _, c := range []struct {
		name      string
		cfg, pkgs []string
	}{{"sections", config.SnapshotSections(), secs}, {"rules", config.RedactionRules(), rules}, {"probes", config.BuiltinProbes(), builtin}} {
		if len(c.cfg) != len(c.pkgs) {
			t.Errorf("%s: config %v, packages %v", c.name, c.cfg, c.pkgs)
			continue
		}
		for i := range c.cfg {
			if c.cfg[i] != c.pkgs[i] {
				t.Errorf("%s: config %v, packages %v", c.name, c.cfg, c.pkgs)
			}
		}
	}
}

func TestSnapshotReusedBriefly(t *testing.T) {
	clk := newClock()
	s := New(Options{Now: clk.now})
	ctx := context.Background()
	host := []sysinfo.Section{sysinfo.SectionHost}
	a := s.Snapshot(ctx, host, who("1000"))
	if b := s.Snapshot(ctx, host, who("1000")); b != a {
		t.Error("a repeated request within the reuse period collected again")
	}
	if b := s.Snapshot(ctx, host, who("1001")); b == a {
		t.Error("another user got the first user's snapshot")
	}
	clk.add(snapshotReuse + time.Millisecond)
	if b := s.Snapshot(ctx, host, who("1001")); b == a {
		t.Error("snapshot reused after the reuse period")
	}
}

func TestProbesFromConfigAndReused(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	cfg := config.Defaults()
	cfg.Probes.Builtin = []string{}
	cfg.Probes.Targets = []config.ProbeTarget{{Name: "Intranet", URL: srv.URL + "/health"}}
	pool := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	clk := newClock()
	s := New(Options{Config: cfg, Now: clk.now, Probe: probes.Options{RootCAs: pool, SkipCaptivePortal: true, Gateways: []string{}}})

	r := s.Probes(context.Background())
	var https []probes.Result
	for _, res := range r.Results {
		if res.Kind == probes.KindHTTPS {
			https = append(https, res)
		}
	}
	if len(https) != 1 || https[0].Name != "Intranet" || https[0].Status != probes.StatusOK {
		t.Fatalf("only the configured target should be probed, and reachable: %+v", r.Results)
	}
	s.Probes(context.Background())
	if n := hits.Load(); n != 1 {
		t.Errorf("second run within the reuse period sent %d requests in total, want 1", n)
	}
	clk.add(probeReuse + time.Millisecond)
	s.Probes(context.Background())
	if n := hits.Load(); n != 2 {
		t.Errorf("after the reuse period: %d requests, want 2", n)
	}
}

// scripted is a metrics source whose counters rise steadily.
type scripted struct{ n atomic.Int64 }

func (s *scripted) Read(context.Context) (metrics.Counters, error) {
	n := time.Duration(s.n.Add(1))
	return metrics.Counters{CPUBusy: n * time.Second, CPUTotal: n * 4 * time.Second, MemTotal: 100, MemUsed: 40}, nil
}

func TestSamplerFeedsHistoryAndChart(t *testing.T) {
	cfg := config.Defaults()
	cfg.SysInfo.SampleInterval = config.Duration(time.Second)
	s := New(Options{Config: cfg, Source: &scripted{}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for len(s.History().Samples) < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	h := s.History()
	if len(h.Samples) < 2 || h.Interval != time.Second || h.Samples[0].CPUPercent != 25 || h.Samples[0].MemUsedPercent != 40 {
		t.Fatalf("history: %+v", h)
	}
	png, err := s.Chart(context.Background(), 640, 240)
	if err != nil || len(png) < 100 {
		t.Errorf("chart: %d bytes, %v", len(png), err)
	}
}

func TestSnapshotUsesSamplerCPU(t *testing.T) {
	cfg := config.Defaults()
	cfg.SysInfo.SampleInterval = config.Duration(time.Second)
	s := New(Options{Config: cfg})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if _, _, ok := s.sampler.ProcessCPU(); ok {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	snap := s.Snapshot(context.Background(), []sysinfo.Section{sysinfo.SectionProcesses}, who("0"))
	if snap.Processes == nil || snap.Processes.CPUWindow.Duration() < 900*time.Millisecond {
		t.Fatalf("process CPU not taken from the sampler's 1 s interval: %+v", snap.Processes)
	}
}
