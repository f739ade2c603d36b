package notices

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/notices/minisign"
)

// feedServer is a static HTTPS host for a feed and its signature, counting
// requests.
type feedServer struct {
	*httptest.Server

	mu           sync.Mutex
	feed, sig    []byte
	etags        bool // send ETag and honour If-None-Match
	lastModified string
	status       int           // answer every feed request with this, if set
	delay        time.Duration // before answering the feed
	chunked      bool          // stream the feed without Content-Length
	feedHits     int
	sigHits      int
	ifNoneMatch  []string // as received, one per feed request
	ifModSince   []string
}

func newFeedServer(t *testing.T) *feedServer {
	s := &feedServer{etags: true}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *feedServer) set(feed, sig []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feed, s.sig = feed, sig
}

func (s *feedServer) hits() (feed, sig int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.feedHits, s.sigHits
}

func (s *feedServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	switch r.URL.Path {
	case "/feed.json":
		s.feedHits++
		s.ifNoneMatch = append(s.ifNoneMatch, r.Header.Get("If-None-Match"))
		s.ifModSince = append(s.ifModSince, r.Header.Get("If-Modified-Since"))
		feed, status, delay, chunked := s.feed, s.status, s.delay, s.chunked
		etag := fmt.Sprintf(`"%x"`, sha256.Sum256(feed))
		useETag, lm := s.etags, s.lastModified
		s.mu.Unlock()
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		if status != 0 {
			w.WriteHeader(status)
			return
		}
		if useETag {
			w.Header().Set("ETag", etag)
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		if lm != "" {
			w.Header().Set("Last-Modified", lm)
			if !useETag && r.Header.Get("If-Modified-Since") == lm {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		if chunked {
			for i := 0; i < len(feed); i += 64 << 10 {
				w.Write(feed[i:min(i+64<<10, len(feed))])
				w.(http.Flusher).Flush()
			}
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(feed)))
		w.Write(feed)
	case "/feed.json.minisig":
		s.sigHits++
		sig := s.sig
		s.mu.Unlock()
		if sig == nil {
			http.NotFound(w, r)
			return
		}
		w.Write(sig)
	default:
		s.mu.Unlock()
		http.NotFound(w, r)
	}
}

type pollFixture struct {
	srv      *feedServer
	key      minisign.PrivateKey
	poller   *Poller
	accepted []uint64 // sequences passed to OnAccept
	mu       sync.Mutex
}

func newPollFixture(t *testing.T, tweak func(*PollerOptions)) *pollFixture {
	t.Helper()
	f := &pollFixture{srv: newFeedServer(t), key: newKey(t)}
	opts := PollerOptions{
		FeedURL: f.srv.URL + "/feed.json",
		Keys:    []minisign.PublicKey{f.key.Public()},
		Client:  f.srv.Client(),
		Now:     func() time.Time { return t0 },
		OnAccept: func(st State) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.accepted = append(f.accepted, st.Sequence)
		},
	}
	if tweak != nil {
		tweak(&opts)
	}
	p, err := NewPoller(opts)
	if err != nil {
		t.Fatal(err)
	}
	f.poller = p
	return f
}

func (f *pollFixture) publish(t *testing.T, seq uint64, ns ...Notice) {
	t.Helper()
	f.srv.set(encode(t, f.key, feedOf(seq, ns...)))
}

func (f *pollFixture) mustPoll(t *testing.T, want Outcome) {
	t.Helper()
	got, err := f.poller.Poll(context.Background())
	if got != want || (want != OutcomeFailed && err != nil) {
		t.Fatalf("Poll = %v, %v; want %v", got, err, want)
	}
}

func (f *pollFixture) wantHits(t *testing.T, feed, sig int) {
	t.Helper()
	if gf, gs := f.srv.hits(); gf != feed || gs != sig {
		t.Fatalf("requests: feed %d, signature %d; want %d and %d", gf, gs, feed, sig)
	}
}

func TestPoll200Then304WithETag(t *testing.T) {
	f := newPollFixture(t, nil)
	f.publish(t, 1, notice("a", SeverityInfo, t0))

	f.mustPoll(t, OutcomeChanged)
	f.wantHits(t, 1, 1)
	if st := f.poller.State(); st.Sequence != 1 || st.Feed == nil || st.Feed.Notices[0].ID != "a" {
		t.Fatalf("state = %+v", st)
	}
	f.mustPoll(t, OutcomeNotModified)
	f.wantHits(t, 2, 1) // exactly one request, no signature fetch
	f.mustPoll(t, OutcomeNotModified)
	f.wantHits(t, 3, 1)
	if f.srv.ifNoneMatch[0] != "" || f.srv.ifNoneMatch[1] == "" || f.srv.ifNoneMatch[1] != f.srv.ifNoneMatch[2] {
		t.Errorf("If-None-Match sent: %q", f.srv.ifNoneMatch)
	}

	f.publish(t, 2, notice("a", SeverityInfo, t0), notice("b", SeverityCritical, t0))
	f.mustPoll(t, OutcomeChanged)
	f.wantHits(t, 4, 2)
	if len(f.accepted) != 2 || f.accepted[1] != 2 {
		t.Errorf("OnAccept got %v, want [1 2]", f.accepted)
	}
	if s := f.poller.Status(); s.LastOutcome != OutcomeChanged || s.Failures != 0 || s.Sequence != 2 || s.LastError != nil || !s.LastPoll.Equal(t0) {
		t.Errorf("status = %+v", s)
	}
}

func TestPoll304WithLastModified(t *testing.T) {
	f := newPollFixture(t, nil)
	f.srv.etags = false
	f.srv.lastModified = "Sat, 01 Mar 2025 09:05:00 GMT"
	f.publish(t, 1)
	f.mustPoll(t, OutcomeChanged)
	f.mustPoll(t, OutcomeNotModified)
	f.wantHits(t, 2, 1)
	if f.srv.ifModSince[1] != "Sat, 01 Mar 2025 09:05:00 GMT" || f.srv.ifNoneMatch[1] != "" {
		t.Errorf("conditional headers: %q %q", f.srv.ifModSince, f.srv.ifNoneMatch)
	}
}

func TestPollUnchangedWithoutValidators(t *testing.T) {
	f := newPollFixture(t, nil)
	f.srv.etags = false
	f.publish(t, 1)
	f.mustPoll(t, OutcomeChanged)
	f.mustPoll(t, OutcomeUnchanged)
	f.wantHits(t, 2, 2)
	if len(f.accepted) != 1 {
		t.Errorf("OnAccept called %d times, want once", len(f.accepted))
	}
}

func TestPollRefusesAnOlderFeedAndKeepsTheLastGood(t *testing.T) {
	f := newPollFixture(t, nil)
	f.publish(t, 5, notice("current", SeverityInfo, t0))
	f.mustPoll(t, OutcomeChanged)

	f.publish(t, 4, notice("stale", SeverityInfo, t0))
	_, err := f.poller.Poll(context.Background())
	if !isReason(err, ReasonRollback) {
		t.Fatalf("Poll = %v, want a rollback refusal", err)
	}
	st := f.poller.State()
	if st.Sequence != 5 || st.Feed.Notices[0].ID != "current" || len(f.accepted) != 1 {
		t.Errorf("state = %d %v, OnAccept %v; want 5 kept", st.Sequence, st.Feed.Notices, f.accepted)
	}
	if s := f.poller.Status(); s.Failures != 1 || !isReason(s.LastError, ReasonRollback) {
		t.Errorf("status = %+v", s)
	}
	// The refused response's validators are not kept: the next poll
	// fetches in full (one feed and one signature request), not a 304.
	f.mustPoll(t, OutcomeFailed)
	f.wantHits(t, 3, 3)
	if f.srv.ifNoneMatch[2] != f.srv.ifNoneMatch[1] {
		t.Errorf("validators changed after a refusal: %q", f.srv.ifNoneMatch)
	}
}

func TestPollFailures(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(t *testing.T, f *pollFixture)
		tweak     func(*PollerOptions)
		check     func(error) bool
		feed, sig int // requests expected
	}{
		{"server error", func(t *testing.T, f *pollFixture) { f.srv.status = http.StatusServiceUnavailable }, nil,
			func(err error) bool { return strings.Contains(err.Error(), "503 Service Unavailable") }, 1, 0},
		{"not found", func(t *testing.T, f *pollFixture) { f.srv.status = http.StatusNotFound }, nil,
			func(err error) bool { return strings.Contains(err.Error(), "404") }, 1, 0},
		{"no signature published", func(t *testing.T, f *pollFixture) { f.srv.sig = nil }, nil,
			func(err error) bool { return isReason(err, ReasonUnsigned) }, 1, 1},
		{"slow server", func(t *testing.T, f *pollFixture) { f.srv.delay = 10 * time.Second },
			func(o *PollerOptions) { o.Timeout = 200 * time.Millisecond },
			func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }, 1, 0},
		{"huge body with length", func(t *testing.T, f *pollFixture) {
			f.srv.feed = bytes.Repeat([]byte(" "), 4<<20)
		}, nil, func(err error) bool {
			return errors.Is(err, ErrTooLarge) && strings.Contains(err.Error(), "4194304 bytes announced")
		}, 1, 0},
		{"huge body streamed", func(t *testing.T, f *pollFixture) {
			f.srv.feed, f.srv.chunked = bytes.Repeat([]byte(" "), 4<<20), true
		}, nil, func(err error) bool {
			return errors.Is(err, ErrTooLarge) && strings.Contains(err.Error(), "more than 1048576")
		}, 1, 0},
		{"lower cap", func(t *testing.T, f *pollFixture) {}, func(o *PollerOptions) { o.MaxBytes = 10 },
			func(err error) bool { return errors.Is(err, ErrTooLarge) }, 1, 0},
		{"signed by another key", func(t *testing.T, f *pollFixture) { f.srv.set(encode(t, newKey(t), feedOf(3))) }, nil,
			func(err error) bool { return isReason(err, ReasonUnknownKey) }, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newPollFixture(t, tt.tweak)
			f.publish(t, 3, notice("a", SeverityInfo, t0))
			tt.setup(t, f)
			started := time.Now()
			got, err := f.poller.Poll(context.Background())
			if got != OutcomeFailed || err == nil || !tt.check(err) {
				t.Fatalf("Poll = %v, %v", got, err)
			}
			if time.Since(started) > 5*time.Second {
				t.Errorf("Poll took %v: the timeout did not hold", time.Since(started))
			}
			f.wantHits(t, tt.feed, tt.sig)
			if f.poller.State().Feed != nil || len(f.accepted) != 0 {
				t.Error("a failed poll changed the state")
			}
			t.Log(err)
		})
	}
}

func TestPollServerDownKeepsState(t *testing.T) {
	key := newKey(t)
	data, sig := encode(t, key, feedOf(9, notice("kept", SeverityInfo, t0)))
	prev, err := Accept(State{}, data, sig, []minisign.PublicKey{key.Public()}, t0)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	url, client := srv.URL, srv.Client()
	srv.Close() // nothing listens there any more
	p, err := NewPoller(PollerOptions{FeedURL: url + "/feed.json", Keys: []minisign.PublicKey{key.Public()}, Client: client, State: prev})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2; i++ {
		got, err := p.Poll(context.Background())
		if got != OutcomeFailed || err == nil || !strings.Contains(err.Error(), "fetching the notice feed") {
			t.Fatalf("Poll = %v, %v", got, err)
		}
		if p.Status().Failures != i {
			t.Errorf("failures = %d, want %d", p.Status().Failures, i)
		}
	}
	if st := p.State(); st.Sequence != 9 || st.Feed.Notices[0].ID != "kept" {
		t.Errorf("state = %+v", st)
	}
}

func TestPollDoesNotFollowRedirectsToHTTP(t *testing.T) {
	f := newPollFixture(t, nil)
	redirect := httptest.NewTLSServer(http.RedirectHandler("http://insecure.example/feed.json", http.StatusFound))
	defer redirect.Close()
	p, err := NewPoller(PollerOptions{FeedURL: redirect.URL + "/feed.json", Keys: []minisign.PublicKey{f.key.Public()}, Client: redirect.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Poll(context.Background()); err == nil || !strings.Contains(err.Error(), "only https is followed") {
		t.Errorf("Poll = %v, want the redirect refused", err)
	}
}

func TestNewPollerRefuses(t *testing.T) {
	k := newKey(t).Public()
	for name, opts := range map[string]PollerOptions{
		"http":          {FeedURL: "http://example.com/feed.json", Keys: []minisign.PublicKey{k}},
		"no URL":        {Keys: []minisign.PublicKey{k}},
		"no keys":       {FeedURL: "https://example.com/feed.json"},
		"http sig":      {FeedURL: "https://example.com/feed.json", SignatureURL: "http://example.com/x.minisig", Keys: []minisign.PublicKey{k}},
		"relative path": {FeedURL: "feed.json", Keys: []minisign.PublicKey{k}},
	} {
		if _, err := NewPoller(opts); err == nil {
			t.Errorf("%s: NewPoller accepted %+v", name, opts)
		}
	}
	p, err := NewPoller(PollerOptions{FeedURL: "https://example.com/feed.json", Keys: []minisign.PublicKey{k}, Interval: time.Second})
	if err != nil || p.opts.Interval != MinPollInterval || p.opts.SignatureURL != "https://example.com/feed.json.minisig" {
		t.Errorf("NewPoller defaults: %+v, %v", p.opts, err)
	}
}
