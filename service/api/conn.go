package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/localapi/transport"
)

// busyResponse is written to a connection over the limit. It is built by
// hand because no http.Server goroutine will ever own that connection.
func busyResponse() []byte {
	body := `{"error":{"code":"too_many_connections","message":"the service has too many open connections"}}`
	return fmt.Appendf(nil, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"+
		"Connection: close\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
}

// guardedListener attributes every accepted connection to the kernel's
// view of its peer and enforces the connection limit.
type guardedListener struct {
	net.Listener
	slots chan struct{}
	log   *slog.Logger
}

func newGuardedListener(ln net.Listener, max int, log *slog.Logger) *guardedListener {
	return &guardedListener{Listener: ln, slots: make(chan struct{}, max), log: log}
}

func (l *guardedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		creds, err := transport.PeerCreds(c)
		if err != nil {
			l.log.Warn("refused LocalAPI connection without peer credentials", "err", err)
			c.Close()
			continue
		}
		select {
		case l.slots <- struct{}{}:
		default:
			l.log.Warn("refused LocalAPI connection over the limit",
				"code", string(localapi.CodeTooManyConnections), "uid", creds.UID, "pid", creds.PID,
				"limit", cap(l.slots))
			go rejectBusy(c)
			continue
		}
		return &peerConn{Conn: c, creds: creds, release: func() { <-l.slots }}, nil
	}
}

// rejectBusy tells an over-limit client why, without letting it hold the
// goroutine: the write and close are bounded by a short deadline.
func rejectBusy(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	_, _ = c.Write(busyResponse())
	// Drain what the client already sent: closing with unread data makes the
	// kernel reset the connection, and the client would see a reset instead
	// of our answer.
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(c, 64<<10))
}

// peerConn is an accepted connection with its kernel-reported peer.
type peerConn struct {
	net.Conn
	creds     transport.Creds
	release   func()
	closeOnce sync.Once

	bytesRead atomic.Int64 // to tell a garbage request from a silent close
	requests  atomic.Int64 // requests that reached the guard

	idOnce sync.Once
	id     localapi.Identity
}

func (c *peerConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.bytesRead.Add(int64(n))
	return n, err
}

func (c *peerConn) Close() error {
	err := c.Conn.Close()
	c.closeOnce.Do(c.release)
	return err
}

// identity is the caller as handlers see it. The user name is looked up
// once per connection, not per request.
func (c *peerConn) identity() localapi.Identity {
	c.idOnce.Do(func() {
		c.id = localapi.Identity{
			UID:      c.creds.UID,
			GID:      c.creds.GID,
			PID:      c.creds.PID,
			Admin:    c.creds.Admin,
			Username: lookupUsername(c.creds.UID),
		}
	})
	return c.id
}

type connKey struct{}

func withConn(ctx context.Context, c net.Conn) context.Context {
	if pc, ok := c.(*peerConn); ok {
		return context.WithValue(ctx, connKey{}, pc)
	}
	return ctx
}

func connFrom(ctx context.Context) *peerConn {
	pc, _ := ctx.Value(connKey{}).(*peerConn)
	return pc
}

// connState logs connections that sent bytes but never produced a request:
// net/http answered them 400 itself (a garbage request line or headers), and
// a hostile request must not pass silently.
func (s *Server) connState(c net.Conn, state http.ConnState) {
	if state != http.StateClosed {
		return
	}
	pc, ok := c.(*peerConn)
	if !ok || pc.requests.Load() > 0 || pc.bytesRead.Load() == 0 {
		return
	}
	s.log.Warn("refused malformed LocalAPI request", "code", string(localapi.CodeBadRequest),
		"uid", pc.creds.UID, "pid", pc.creds.PID, "bytes", pc.bytesRead.Load())
}
