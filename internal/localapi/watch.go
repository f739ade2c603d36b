package localapi

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"
)

// staleAfter is how long a watch stream may stay silent before the client
// assumes the service or the connection died without closing it.
const staleAfter = 2*KeepAliveInterval + 5*time.Second

// stableAfter is how long a stream must have lasted for the next reconnect
// to start again from the shortest backoff.
const stableAfter = 10 * time.Second

// Watch opens one watch stream and calls fn for each event, in order, until
// ctx ends, the stream breaks, or fn returns an error. It never returns nil:
// the stream is endless while the service runs.
func (c *Client) Watch(ctx context.Context, fn func(Event) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	resp, err := c.do(ctx, http.MethodGet, PathWatch, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()

	errStale := errors.New("watch stream silent for too long")
	stale := time.AfterFunc(staleAfter, func() { cancel(errStale) })
	defer stale.Stop()

	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 4096), maxResponseBytes)
	for sc.Scan() {
		stale.Reset(staleAfter)
		var ev Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return fmt.Errorf("decoding watch event: %w", err)
		}
		if err := fn(ev); err != nil {
			return err
		}
	}
	if cause := context.Cause(ctx); cause != nil {
		return cause
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading watch stream: %w", err)
	}
	return fmt.Errorf("%w: watch stream closed by the service", ErrUnreachable)
}

// Connection describes the link to the service as a follower sees it.
type Connection struct {
	// Connected is true while a watch stream is open.
	Connected bool
	// Err is why the link is down (nil while connected). errors.Is(Err,
	// ErrUnreachable) means the service is not running.
	Err error
	// Retry is when the next attempt is made while disconnected.
	Retry time.Time
}

// FollowOptions tune [Client.Follow]. Zero values pick sensible defaults.
type FollowOptions struct {
	// MinBackoff is the first retry delay after a failure (default 250 ms).
	MinBackoff time.Duration
	// MaxBackoff caps the retry delay (default 15 s).
	MaxBackoff time.Duration
	// OnConnection is called whenever the link goes up or down.
	OnConnection func(Connection)
}

// Follow keeps a watch stream open until ctx ends, reconnecting with
// exponential backoff and jitter when the service goes away, so the app
// shows changes as they happen without polling. Every (re)connect starts
// with a full state event, so nothing is lost while disconnected.
func (c *Client) Follow(ctx context.Context, opts FollowOptions, onEvent func(Event)) {
	minB, maxB := opts.MinBackoff, opts.MaxBackoff
	if minB <= 0 {
		minB = 250 * time.Millisecond
	}
	if maxB < minB {
		maxB = max(15*time.Second, minB)
	}
	notify := opts.OnConnection
	if notify == nil {
		notify = func(Connection) {}
	}
	backoff := minB
	for ctx.Err() == nil {
		var connectedAt time.Time
		err := c.Watch(ctx, func(ev Event) error {
			if connectedAt.IsZero() {
				connectedAt = time.Now()
				notify(Connection{Connected: true})
			}
			onEvent(ev)
			return nil
		})
		if ctx.Err() != nil {
			return
		}
		// Start over from the shortest delay only after a stream that lasted:
		// a service that accepts and then drops every stream must not be
		// hammered by every app on the machine.
		if !connectedAt.IsZero() && time.Since(connectedAt) >= stableAfter {
			backoff = minB
		}
		// Full jitter in [backoff/2, backoff) so many apps on one machine
		// (several logged-in users) do not reconnect in lockstep.
		delay := backoff/2 + rand.N(backoff/2+1)
		notify(Connection{Err: err, Retry: time.Now().Add(delay)})
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		backoff = min(backoff*2, maxB)
	}
}
