package notices

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/notices/minisign"
)

// PollerOptions configure a Poller. Zero values pick the defaults noted.
type PollerOptions struct {
	// FeedURL is the feed document; it must be https.
	FeedURL string
	// SignatureURL defaults to FeedURL + ".minisig", where minisign puts it.
	SignatureURL string
	// Keys are the trusted public keys; two during a rotation.
	Keys []minisign.PublicKey
	// Client defaults to one using the system's proxy settings. Redirects
	// are followed only to https, at most 5.
	Client *http.Client
	// Timeout bounds one poll, both requests (default 30 s).
	Timeout time.Duration
	// MaxBytes caps the feed body (default and maximum MaxFeedBytes).
	MaxBytes int64
	// Interval is the time between polls (default 5 min, at least 30 s);
	// Run adds jitter and backs off on errors.
	Interval time.Duration
	// MinCheckNow is the least time between two polls asked for by a
	// manual check (default 10 s), so a repeated click is not a hot loop.
	MinCheckNow time.Duration
	// State is the last accepted state, loaded from disk at start.
	State State
	// OnAccept is called, on the polling goroutine, with each newly
	// accepted state: save it and tell the desktops.
	OnAccept func(State)
	// Logger defaults to discarding.
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Rand is the jitter source (default math/rand/v2's).
	Rand *rand.Rand

	// minInterval lowers the 30 s floor of Interval; only tests set it.
	minInterval time.Duration
}

// Outcome is what one poll did.
type Outcome int

// The outcomes of a poll.
const (
	// OutcomeFailed: the feed could not be fetched, or was refused; the
	// previous state stays.
	OutcomeFailed Outcome = iota
	// OutcomeNotModified: the server answered 304.
	OutcomeNotModified
	// OutcomeUnchanged: the server sent the feed already accepted.
	OutcomeUnchanged
	// OutcomeChanged: a new feed was accepted.
	OutcomeChanged
)

func (o Outcome) String() string {
	return [...]string{"failed", "not modified", "unchanged", "changed"}[o]
}

// PollStatus is what `notice status` shows about the poller.
type PollStatus struct {
	LastPoll    time.Time
	LastOutcome Outcome
	// LastError is the last failure or refusal, kept until a poll succeeds.
	LastError error
	// Failures counts consecutive failed polls; it drives the backoff.
	Failures int
	Sequence uint64
}

// Poller fetches the feed over HTTPS and keeps the last accepted state.
// Poll and Run may be called from one goroutine at a time; State and
// Status from any.
type Poller struct {
	opts   PollerOptions
	log    *slog.Logger
	client *http.Client

	mu           sync.Mutex
	state        State
	etag         string // validators of the accepted feed's response
	lastModified string
	status       PollStatus
}

// Defaults of PollerOptions.
const (
	DefaultPollInterval = 5 * time.Minute
	MinPollInterval     = 30 * time.Second
	defaultPollTimeout  = 30 * time.Second
	defaultMinCheckNow  = 10 * time.Second
	maxRedirects        = 5
)

// NewPoller checks opts and returns a poller; it does not fetch yet.
func NewPoller(opts PollerOptions) (*Poller, error) {
	u, err := url.Parse(opts.FeedURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("notice feed URL %q: want an https:// URL", opts.FeedURL)
	}
	if opts.SignatureURL == "" {
		opts.SignatureURL = opts.FeedURL + ".minisig"
	}
	if u, err := url.Parse(opts.SignatureURL); err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("notice signature URL %q: want an https:// URL", opts.SignatureURL)
	}
	if len(opts.Keys) == 0 {
		return nil, errors.New("notice feed: no public key configured; a feed could never be accepted")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = defaultPollTimeout
	}
	if opts.MaxBytes <= 0 || opts.MaxBytes > MaxFeedBytes {
		opts.MaxBytes = MaxFeedBytes
	}
	if opts.minInterval <= 0 {
		opts.minInterval = MinPollInterval
	}
	if opts.Interval <= 0 {
		opts.Interval = DefaultPollInterval
	}
	opts.Interval = max(opts.Interval, opts.minInterval)
	if opts.MinCheckNow <= 0 {
		opts.MinCheckNow = defaultMinCheckNow
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	client := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	if opts.Client != nil {
		c := *opts.Client // a copy: the caller's client keeps its own redirect policy
		client = &c
	}
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "https" {
			return fmt.Errorf("redirected to %s: only https is followed", req.URL.Redacted())
		}
		if len(via) > maxRedirects {
			return fmt.Errorf("more than %d redirects", maxRedirects)
		}
		return nil
	}
	p := &Poller{opts: opts, log: opts.Logger, client: client, state: opts.State}
	p.status.Sequence = opts.State.Sequence
	return p, nil
}

// State returns the last accepted state.
func (p *Poller) State() State {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state
}

// Status returns what the poller last did.
func (p *Poller) Status() PollStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status
}

// Poll fetches the feed once: one conditional GET of the feed
// (If-None-Match / If-Modified-Since from the last accepted response), and
// only when that returns a new body, one GET of its signature. A refused
// or failed feed leaves the state as it was, and its validators are not
// kept, so the next poll fetches it again (the feed and its signature are
// often uploaded a moment apart).
func (p *Poller) Poll(ctx context.Context) (Outcome, error) {
	outcome, err := p.poll(ctx)
	p.mu.Lock()
	p.status.LastPoll = p.opts.Now()
	p.status.LastOutcome = outcome
	p.status.Sequence = p.state.Sequence
	if err != nil {
		p.status.LastError = err
		p.status.Failures++
	} else {
		p.status.LastError = nil
		p.status.Failures = 0
	}
	st := p.state
	failures := p.status.Failures
	p.mu.Unlock()

	var refused *RefusedError
	switch {
	case errors.As(err, &refused):
		p.log.Warn("notice feed refused; keeping the last accepted one",
			"url", p.opts.FeedURL, "reason", string(refused.Reason), "error", refused.Err, "kept_sequence", st.Sequence)
	case err != nil:
		p.log.Warn("notice feed poll failed", "url", p.opts.FeedURL, "error", err, "failures", failures)
	case outcome == OutcomeChanged:
		p.log.Info("notice feed accepted", "url", p.opts.FeedURL, "sequence", st.Sequence,
			"notices", len(st.Feed.Notices), "key", st.KeyID)
	default:
		p.log.Debug("notice feed polled", "outcome", outcome.String())
	}
	return outcome, err
}

func (p *Poller) poll(ctx context.Context) (Outcome, error) {
	ctx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
	defer cancel()

	p.mu.Lock()
	prev, etag, lastModified := p.state, p.etag, p.lastModified
	p.mu.Unlock()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.opts.FeedURL, nil)
	if err != nil {
		return OutcomeFailed, fmt.Errorf("fetching the notice feed: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if prev.Feed != nil {
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		if lastModified != "" {
			req.Header.Set("If-Modified-Since", lastModified)
		}
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return OutcomeFailed, fmt.Errorf("fetching the notice feed: %w", err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified && prev.Feed != nil:
		return OutcomeNotModified, nil
	case resp.StatusCode != http.StatusOK:
		return OutcomeFailed, fmt.Errorf("fetching the notice feed: the server answered %s", resp.Status)
	}
	body, err := readCapped(resp, p.opts.MaxBytes)
	if err != nil {
		return OutcomeFailed, fmt.Errorf("fetching the notice feed: %w", err)
	}
	sig, err := p.fetchSignature(ctx)
	if err != nil {
		return OutcomeFailed, err
	}

	next, err := Accept(prev, body, sig, p.opts.Keys, p.opts.Now())
	if err != nil {
		return OutcomeFailed, err
	}
	p.mu.Lock()
	p.state = next
	p.etag, p.lastModified = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	p.mu.Unlock()
	if next.Sequence == prev.Sequence && prev.Feed != nil {
		return OutcomeUnchanged, nil
	}
	if p.opts.OnAccept != nil {
		p.opts.OnAccept(next)
	}
	return OutcomeChanged, nil
}

// fetchSignature GETs the signature. A 404 is an unsigned feed; nothing
// else about a missing signature would tell the administrator as much.
func (p *Poller) fetchSignature(ctx context.Context) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.opts.SignatureURL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetching the feed signature: %w", err)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching the feed signature: %w", err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound, http.StatusGone:
		return nil, refuse(ReasonUnsigned, fmt.Errorf("no signature at %s (the server answered %s)", p.opts.SignatureURL, resp.Status))
	default:
		return nil, fmt.Errorf("fetching the feed signature: the server answered %s", resp.Status)
	}
	sig, err := readCapped(resp, MaxSignatureBytes)
	if err != nil {
		return nil, fmt.Errorf("fetching the feed signature: %w", err)
	}
	return sig, nil
}

// ErrTooLarge is returned when a response is larger than allowed; the body
// is not read past the limit.
var ErrTooLarge = errors.New("response too large")

func readCapped(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: %d bytes announced, the limit is %d", ErrTooLarge, resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading the response: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	}
	return body, nil
}

// Run polls until ctx ends: first after a short random delay (so desktops
// that start together do not fetch together), then every NextDelay, and at
// once when checkNow delivers — unless the last poll was less than
// MinCheckNow ago. It returns ctx's error. Run starts no goroutines.
func (p *Poller) Run(ctx context.Context, checkNow <-chan struct{}) error {
	interval := p.opts.Interval
	timer := time.NewTimer(time.Duration(p.float64() * float64(interval) / 10))
	defer timer.Stop()
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-checkNow:
			if !last.IsZero() && time.Since(last) < p.opts.MinCheckNow {
				p.log.Debug("notice feed check ignored: polled moments ago")
				continue
			}
		case <-timer.C:
		}
		last = time.Now()
		// Poll logs its errors, and the failure count it keeps drives the
		// backoff; there is nothing more to do with them here.
		_, _ = p.Poll(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		timer.Reset(NextDelay(interval, p.Status().Failures, p.opts.Rand))
	}
}

func (p *Poller) float64() float64 {
	if p.opts.Rand != nil {
		return p.opts.Rand.Float64()
	}
	return rand.Float64()
}

// Jitter and backoff of NextDelay.
const (
	jitter     = 0.15 // ±15 %
	maxBackoff = 8    // times the interval
)

// NextDelay is the wait before the next poll: interval after a success,
// doubled for each consecutive failure up to 8 × interval, then spread
// ±15 % at random so that desktops which polled together drift apart. The
// cap holds after the spread: a delay that would pass it is reflected
// below it, so desktops backing off do not all line up on the cap.
// rnd may be nil (math/rand/v2's source is used).
func NextDelay(interval time.Duration, failures int, rnd *rand.Rand) time.Duration {
	if interval <= 0 {
		interval = DefaultPollInterval
	}
	limit := interval * maxBackoff
	base := interval
	for i := 0; i < failures && base < limit; i++ {
		base *= 2
	}
	base = min(base, limit)
	r := rand.Float64
	if rnd != nil {
		r = rnd.Float64
	}
	d := time.Duration(float64(base) * (1 - jitter + 2*jitter*r()))
	if d > limit {
		d = 2*limit - d
	}
	return d
}
