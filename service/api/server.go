// Package api serves the LocalAPI: it accepts connections on the local
// socket, attributes each to a kernel-reported identity, refuses anything a
// browser or a confused client could send, and routes the rest to handlers
// with per-route permissions. The service runs as root, so every request is
// treated as hostile until proven otherwise.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/service/events"
)

// Options configure a Server. Zero values pick the defaults noted.
type Options struct {
	Version string
	Dev     bool
	Support localapi.Support
	Hub     *events.Hub
	Logger  *slog.Logger

	// MaxConnections caps concurrent connections (default 64); one more is
	// answered 503 too_many_connections and closed. An ordinary user may
	// hold an eighth of them (at least 2), and the last eighth is kept for
	// administrators.
	MaxConnections int
	// MaxBodyBytes caps request bodies (default 1 MiB).
	MaxBodyBytes int64
	// RequestTimeout bounds reading a request and writing its response
	// (default 30 s). Watch streams are exempt once established.
	RequestTimeout time.Duration
	// Diagnostics serves the snapshot, metrics and probe routes; nil
	// leaves them out.
	Diagnostics Diagnostics
	// KeepAlive is the watch stream's keep-alive period (default and
	// minimum in production: localapi.KeepAliveInterval; tests shorten it).
	KeepAlive time.Duration
	// Reports serves the report routes; nil leaves them out.
	Reports Reports
	// ReportSetup answers what the Get help form offers (IT's categories,
	// log excerpts); used with Reports.
	ReportSetup ReportSetup
	// Notices serves the notice routes; nil leaves them out.
	Notices Notices
	// Fixes serves the fix and health routes; nil leaves them out.
	Fixes Fixes
	// Personalize adjusts the state a watch stream sends to one caller,
	// just before it is sent: the hub holds what is true for everybody
	// (report totals, a notice change counter), the caller sees their
	// own. Nil puts the caller's own report and notice counts in, for
	// whichever of Reports and Notices is set; with neither, the hub's
	// state is sent as it is.
	Personalize func(who localapi.Identity, st *localapi.State)
}

// Server is the LocalAPI server. Create it with New, run it with Serve, stop
// it with Shutdown.
type Server struct {
	opts     Options
	log      *slog.Logger
	started  time.Time
	routes   map[string]methods
	refusals *refusalLog
	http     *http.Server
	stopping chan struct{} // closed by Shutdown: ends watch streams
	stopOnce sync.Once
	submits  chan struct{} // slots for submissions being decoded
}

// New returns a server; it does not listen yet.
func New(opts Options) *Server {
	if opts.MaxConnections <= 0 {
		opts.MaxConnections = 64
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = 30 * time.Second
	}
	if opts.KeepAlive <= 0 {
		opts.KeepAlive = localapi.KeepAliveInterval
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Hub == nil {
		opts.Hub = events.NewHub(localapi.State{ServiceVersion: opts.Version})
	}
	if opts.Personalize == nil && (opts.Reports != nil || opts.Notices != nil) {
		reports, notices := opts.Reports, opts.Notices
		opts.Personalize = func(who localapi.Identity, st *localapi.State) {
			if reports != nil {
				st.Reports = reports.Counts(who.UID)
			}
			if notices != nil {
				st.Notices = notices.Counts(who.UID)
			}
		}
	}
	s := &Server{
		opts:     opts,
		log:      opts.Logger.With("component", "localapi"),
		started:  time.Now(),
		stopping: make(chan struct{}),
		submits:  make(chan struct{}, maxSubmits),
	}
	s.routes = s.routeTable()
	s.refusals = newRefusalLog(s.log)
	s.http = &http.Server{
		Handler:           http.HandlerFunc(s.guard),
		ReadHeaderTimeout: min(opts.RequestTimeout, 5*time.Second),
		ReadTimeout:       opts.RequestTimeout,
		WriteTimeout:      opts.RequestTimeout,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ConnContext:       withConn,
		ConnState:         s.connState,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	return s
}

// Serve accepts connections on ln until Shutdown. It returns nil after a
// clean shutdown.
func (s *Server) Serve(ln net.Listener) error {
	err := s.http.Serve(newGuardedListener(ln, s.opts.MaxConnections, s.refusals))
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return fmt.Errorf("serving LocalAPI: %w", err)
}

// Shutdown stops accepting, ends watch streams, and waits for in-flight
// requests until ctx ends; then it closes whatever is left.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopOnce.Do(func() { close(s.stopping) })
	if err := s.http.Shutdown(ctx); err != nil {
		s.http.Close()
		return fmt.Errorf("waiting for in-flight LocalAPI requests: %w", err)
	}
	return nil
}

// Hub is the state the watch stream reports.
func (s *Server) Hub() *events.Hub { return s.opts.Hub }

func (s *Server) status(w http.ResponseWriter, _ *http.Request, id localapi.Identity) {
	writeJSON(w, http.StatusOK, &localapi.Status{
		Version:       s.opts.Version,
		OS:            runtime.GOOS,
		Arch:          runtime.GOARCH,
		StartedAt:     s.started.UTC(),
		UptimeSeconds: time.Since(s.started).Seconds(),
		Caller:        id,
		Capabilities:  s.capabilities(),
		Dev:           s.opts.Dev,
		Support:       s.opts.Support,
	})
}
