package notices

import (
	"bytes"
	"compress/gzip"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/notices/minisign"
)

// BenchmarkAccept50 is what the service does when a new feed of 50
// realistic notices arrives: verify the signature, decode and validate the
// document, check the sequence, and compute an employee's view. It reports
// the feed's size, plain and gzipped (what a CDN would send).
func BenchmarkAccept50(b *testing.B) {
	key := newKey(b)
	keys := []minisign.PublicKey{key.Public()}
	data, sig := encode(b, key, realisticFeed(2, 50))
	prev, err := Accept(State{}, encodeOnly(b, key, 1), signBytes(b, key, encodeOnly(b, key, 1)), keys, t0)
	if err != nil {
		b.Fatal(err)
	}
	m := Machine{OS: "windows", Hostname: "pc-1", Groups: []string{"paris"}}
	allow, _ := ParseAllowList([]string{"status.example.com"})
	user := UserState{Notices: map[string]Record{"incident-2025-03-001": {Seen: t0}}}

	b.ReportAllocs()
	for b.Loop() {
		st, err := Accept(prev, data, sig, keys, t0)
		if err != nil {
			b.Fatal(err)
		}
		if v := ComputeView(st.Feed.Notices, m, user, allow, t0); len(v.Items) != 50 {
			b.Fatalf("%d items", len(v.Items))
		}
	}
	b.ReportMetric(float64(len(data)), "feed-bytes")
	b.ReportMetric(float64(gzipSize(b, data)), "feed-gzip-bytes")
	b.ReportMetric(float64(len(sig)), "sig-bytes")
}

// BenchmarkComputeView50 is the view alone, computed on every UI refresh.
func BenchmarkComputeView50(b *testing.B) {
	f := realisticFeed(2, 50)
	m := Machine{OS: "windows", Hostname: "pc-1", Groups: []string{"paris"}}
	allow, _ := ParseAllowList([]string{"status.example.com"})
	b.ReportAllocs()
	for b.Loop() {
		ComputeView(f.Notices, m, UserState{}, allow, t0.Add(time.Hour))
	}
}

func encodeOnly(b *testing.B, key minisign.PrivateKey, seq uint64) []byte {
	data, _ := encode(b, key, feedOf(seq))
	return data
}

func gzipSize(b *testing.B, data []byte) int {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(data); err != nil {
		b.Fatal(err)
	}
	zw.Close()
	return buf.Len()
}
