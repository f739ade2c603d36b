package api

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/sysinfo"
	"github.com/firstline-it/firstline/internal/sysinfo/chart"
	"github.com/firstline-it/firstline/internal/sysinfo/metrics"
	"github.com/firstline-it/firstline/internal/sysinfo/probes"
)

// fakeDiag records what the routes asked for.
type fakeDiag struct {
	mu       sync.Mutex
	sections []sysinfo.Section
	who      localapi.Identity
	chartErr error
}

func (f *fakeDiag) Snapshot(_ context.Context, sections []sysinfo.Section, who localapi.Identity) *sysinfo.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sections, f.who = sections, who
	return &sysinfo.Snapshot{Schema: sysinfo.SchemaVersion, Host: &sysinfo.Host{Hostname: "LAPTOP-42", User: who.Username}}
}

func (f *fakeDiag) History() metrics.History {
	return metrics.History{Interval: 10 * time.Second, Samples: []metrics.Sample{{CPUPercent: 12.5}}}
}

func (f *fakeDiag) Chart(_ context.Context, w, h int) ([]byte, error) {
	if f.chartErr != nil {
		return nil, f.chartErr
	}
	return chart.Render(nil, chart.Options{Width: w, Height: h, Now: time.Now()})
}

func (f *fakeDiag) Probes(context.Context) probes.Report {
	return probes.Report{Verdict: "Everything reachable."}
}

func TestDiagnosticsRoutes(t *testing.T) {
	fd := &fakeDiag{}
	h := start(t, Options{Diagnostics: fd})
	c := localapi.NewClient(h.sock)
	defer c.Close()
	ctx := context.Background()

	st, err := c.Status(ctx)
	if err != nil || !st.Has(localapi.CapSysInfo) {
		t.Fatalf("status does not offer sysinfo: %v %v", st, err)
	}
	snap, err := c.SysInfo(ctx, sysinfo.SectionHost, sysinfo.SectionNetwork)
	if err != nil || snap.Host.Hostname != "LAPTOP-42" {
		t.Fatalf("sysinfo: %+v %v", snap, err)
	}
	fd.mu.Lock()
	if len(fd.sections) != 2 || fd.sections[1] != sysinfo.SectionNetwork || fd.who.UID != st.Caller.UID {
		t.Errorf("service asked for %v as %+v", fd.sections, fd.who)
	}
	fd.mu.Unlock()

	text, err := c.SysInfoText(ctx)
	if err != nil || !strings.Contains(text, "LAPTOP-42") {
		t.Errorf("text form: %q %v", text, err)
	}
	hist, err := c.History(ctx)
	if err != nil || hist.Interval != 10*time.Second || len(hist.Samples) != 1 || hist.Samples[0].CPUPercent != 12.5 {
		t.Errorf("history: %+v %v", hist, err)
	}
	b, err := c.Chart(ctx, 640, 240)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil || img.Bounds().Dx() != 640 || img.Bounds().Dy() != 240 {
		t.Errorf("chart: %v %v", img.Bounds(), err)
	}
	rep, err := c.Probes(ctx)
	if err != nil || rep.Verdict != "Everything reachable." {
		t.Errorf("probes: %+v %v", rep, err)
	}
}

func TestDiagnosticsBadInput(t *testing.T) {
	fd := &fakeDiag{chartErr: errors.New("font missing")}
	h := start(t, Options{Diagnostics: fd})
	tests := []struct {
		req, status, code string
	}{
		{"GET /v1/sysinfo?sections=host,gpu HTTP/1.1\r\nHost: " + localapi.Host + "\r\nConnection: close\r\n\r\n", "400", "bad_request"},
		{"GET /v1/metrics/chart.png?width=99999 HTTP/1.1\r\nHost: " + localapi.Host + "\r\nConnection: close\r\n\r\n", "400", "bad_request"},
		{"GET /v1/metrics/chart.png?height=abc HTTP/1.1\r\nHost: " + localapi.Host + "\r\nConnection: close\r\n\r\n", "400", "bad_request"},
		{"GET /v1/metrics/chart.png HTTP/1.1\r\nHost: " + localapi.Host + "\r\nConnection: close\r\n\r\n", "500", "internal"},
		{"GET /v1/probes HTTP/1.1\r\nHost: " + localapi.Host + "\r\nConnection: close\r\n\r\n", "405", "method_not_allowed"},
	}
	for _, tt := range tests {
		resp := h.raw(t, tt.req)
		if !strings.HasPrefix(resp, "HTTP/1.1 "+tt.status) || !strings.Contains(resp, `"code":"`+tt.code+`"`) {
			t.Errorf("%q:\n%s", strings.SplitN(tt.req, "\r\n", 2)[0], resp)
		}
	}
	if strings.Contains(h.logs.String(), "font missing") == false {
		t.Error("chart failure not logged")
	}
}

func TestNoDiagnosticsNoRoutes(t *testing.T) {
	h := start(t, Options{})
	resp := h.raw(t, "GET /v1/sysinfo HTTP/1.1\r\nHost: "+localapi.Host+"\r\nConnection: close\r\n\r\n")
	if !strings.HasPrefix(resp, "HTTP/1.1 404") {
		t.Errorf("route without diagnostics: %s", resp)
	}
}
