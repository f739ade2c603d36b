package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"net"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
)

// BenchmarkSubmit1MB measures a report with a 1 MB screenshot from the
// first byte sent to the answer, over the real socket: decoded, checked,
// written and synced to the spool on disk, answered. It reports latency
// percentiles (target: p99 <= 20 ms on the reference machine's disk).
func BenchmarkSubmit1MB(b *testing.B) {
	h := startReports(b, Options{})
	hc := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", h.sock)
		},
	}}
	defer hc.CloseIdleConnections()
	shot := make([]byte, 1<<20)
	rand.Read(shot) // a PNG is compressed: it looks random
	submit := func(body []byte) {
		req, _ := http.NewRequest(http.MethodPost, "http://"+localapi.Host+localapi.PathReports, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			b.Fatalf("status %s", resp.Status)
		}
	}
	body := func() []byte {
		s := newSubmission(0)
		s.Attachments = []report.Attachment{{Name: "screen-1.png", ContentType: "image/png", Kind: report.KindScreenshot, Data: shot}}
		return encodeSubmission(b, s)
	}
	submit(body()) // open the connection outside the timing
	lat := make([]time.Duration, 0, b.N)
	b.SetBytes(1 << 20)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		next := body()
		b.StartTimer()
		t0 := time.Now()
		submit(next)
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[int(float64(len(lat)-1)*p)].Microseconds())
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}
