package api

import (
	"bytes"
	"context"
	"fmt"
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

// maxRejecting bounds the connections being told "too many" at once; past
// it they are closed without an answer, so a flood cannot make the service
// hold thousands of descriptors and goroutines.
const maxRejecting = 16

// guardedListener attributes every accepted connection to the kernel's
// view of its peer and enforces the connection quota.
type guardedListener struct {
	net.Listener
	quota     *quota
	rejecting chan struct{}
	logs      *refusalLog
}

func newGuardedListener(ln net.Listener, limit int, logs *refusalLog) *guardedListener {
	return &guardedListener{Listener: ln, quota: newQuota(limit),
		rejecting: make(chan struct{}, maxRejecting), logs: logs}
}

func (l *guardedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		creds, err := transport.PeerCreds(c)
		if err != nil {
			l.logs.log.Warn("refused LocalAPI connection without peer credentials", "err", err)
			c.Close()
			continue
		}
		release, refused := l.quota.acquire(creds)
		if refused != "" {
			l.logs.refused(context.Background(), slog.LevelWarn, creds.UID, "refused LocalAPI connection",
				"code", string(localapi.CodeTooManyConnections), "uid", creds.UID, "pid", creds.PID,
				"reason", refused)
			l.reject(c)
			continue
		}
		return &peerConn{Conn: c, creds: creds, release: release}, nil
	}
}

// reject answers an over-limit connection in the background when a
// rejection slot is free, and simply closes it otherwise.
func (l *guardedListener) reject(c net.Conn) {
	select {
	case l.rejecting <- struct{}{}:
		go func() {
			defer func() { <-l.rejecting }()
			rejectBusy(c)
		}()
	default:
		c.Close()
	}
}

// rejectBusy tells an over-limit client why, within a short deadline. It
// reads the request head first: an HTTP client that gets an answer before it
// has sent its request treats it as garbage, not as our 503.
func rejectBusy(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(200 * time.Millisecond))
	head := make([]byte, 0, 1024)
	buf := make([]byte, 1024)
	for len(head) < 16<<10 && !bytes.Contains(head, []byte("\r\n\r\n")) {
		n, err := c.Read(buf)
		head = append(head, buf[:n]...)
		if err != nil {
			break
		}
	}
	_, _ = c.Write(busyResponse())
}

// peerConn is an accepted connection with its kernel-reported peer.
type peerConn struct {
	net.Conn
	creds   transport.Creds
	release func() // idempotent

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
	c.release()
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
	s.refusals.refused(context.Background(), slog.LevelWarn, pc.creds.UID, "refused malformed LocalAPI request",
		"code", string(localapi.CodeBadRequest), "uid", pc.creds.UID, "pid", pc.creds.PID,
		"bytes", pc.bytesRead.Load())
}
