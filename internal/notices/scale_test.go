package notices

import (
	"context"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/notices/minisign"
)

// countingListener counts the bytes that cross its connections, TLS
// records included: what a CDN bills.
type countingListener struct {
	net.Listener
	in, out *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{Conn: c, in: l.in, out: l.out}, nil
}

type countingConn struct {
	net.Conn
	in, out *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.in.Add(int64(n))
	return n, err
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.out.Add(int64(n))
	return n, err
}

// TestWireCostOfAPoll measures the bytes of a poll on the wire: the first
// one (feed and signature) and a 304 on a new TLS connection, which is what
// a desktop polling every 5 minutes opens each time (idle connections
// close long before).
func TestWireCostOfAPoll(t *testing.T) {
	key := newKey(t)
	data, sig := encode(t, key, realisticFeed(2, 50))
	fs := &feedServer{etags: true}
	fs.set(data, sig)
	var in, out atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(fs.serve))
	srv.Listener = countingListener{Listener: srv.Listener, in: &in, out: &out}
	srv.StartTLS()
	defer srv.Close()
	client := srv.Client()
	client.Transport.(*http.Transport).DisableKeepAlives = true
	p, err := NewPoller(PollerOptions{FeedURL: srv.URL + "/feed.json", Keys: []minisign.PublicKey{key.Public()}, Client: client})
	if err != nil {
		t.Fatal(err)
	}
	poll := func(want Outcome) (int64, int64) {
		in.Store(0)
		out.Store(0)
		if got, err := p.Poll(context.Background()); got != want {
			t.Fatalf("Poll = %v, %v; want %v", got, err, want)
		}
		return in.Load(), out.Load()
	}
	fin, fout := poll(OutcomeChanged)
	nin, nout := poll(OutcomeNotModified)
	t.Logf("feed of 50 notices: %d bytes, signature %d bytes", len(data), len(sig))
	t.Logf("first poll (feed + signature, 2 TLS connections): %d bytes up, %d down", fin, fout)
	t.Logf("304 poll (1 new TLS connection): %d bytes up, %d down, %d total", nin, nout, nin+nout)
	if fout < int64(len(data)) {
		t.Errorf("the first poll sent %d bytes, less than the feed itself", fout)
	}
	if nout >= int64(len(data))/4 || nin+nout > 8<<10 {
		t.Errorf("a 304 poll costs %d bytes: the feed is being sent again", nin+nout)
	}
}

// TestStampede simulates 100,000 desktops that all start at 09:00 (a
// building's power comes back) and poll with Run's schedule, against the
// same desktops without jitter, and reports requests per second.
func TestStampede(t *testing.T) {
	const desktops = 100_000
	const interval = DefaultPollInterval
	horizon := 2 * time.Hour
	rnd := rand.New(rand.NewPCG(1, 2))

	perSecond := make([]int, int(horizon/time.Second)+1)
	for range desktops {
		// Run's first poll is at a random moment in the first tenth of
		// the interval, then every NextDelay.
		at := time.Duration(rnd.Float64() * float64(interval) / 10)
		for at < horizon {
			perSecond[int(at/time.Second)]++
			at += NextDelay(interval, 0, rnd)
		}
	}
	peakFirst := maxOf(perSecond[:int(interval/time.Second)])
	settled := perSecond[int(time.Hour/time.Second):]
	peakSettled := maxOf(settled)
	p99 := percentile(settled, 0.99)
	mean := float64(sum(settled)) / float64(len(settled))
	t.Logf("without jitter: %d requests in one second, every %s", desktops, interval)
	t.Logf("with jitter: first 5 min peak %d req/s; after an hour mean %.0f, p99 %d, peak %d req/s",
		peakFirst, mean, p99, peakSettled)
	if peakFirst > desktops/20 {
		t.Errorf("the first wave peaks at %d req/s: the start spread is not working", peakFirst)
	}
	if float64(peakSettled) > 2*mean {
		t.Errorf("after an hour the peak is %d req/s against a mean of %.0f: jitter is not spreading polls", peakSettled, mean)
	}
}

func maxOf(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

func sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

func percentile(xs []int, p float64) int {
	s := append([]int(nil), xs...)
	sort.Ints(s)
	return s[int(p*float64(len(s)-1))]
}
