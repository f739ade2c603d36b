// Package daemon is the running service: it owns the LocalAPI server and
// the state every later subsystem (spool, runner, poller) reports into, and
// starts and stops them as one. The same Daemon runs under the OS service
// manager and in-process in the app's dev mode.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/localapi/transport"
	"github.com/firstline-it/firstline/internal/privdir"
	"github.com/firstline-it/firstline/service/api"
	"github.com/firstline-it/firstline/service/diag"
	"github.com/firstline-it/firstline/service/events"
)

// Options configure a Daemon.
type Options struct {
	Config *config.Config
	// SocketPath is where the LocalAPI listens (transport.DefaultPath when
	// installed; a per-user folder in dev mode and tests).
	SocketPath string
	Dev        bool
	Version    string
	Logger     *slog.Logger
	// Diag replaces the diagnostics in tests (a scripted metrics source);
	// nil builds them from Config.
	Diag *diag.Service
}

// Daemon is the service's running core.
type Daemon struct {
	opts Options
	log  *slog.Logger
	hub  *events.Hub
	srv  *api.Server
	diag *diag.Service

	// stopWork ends the background work (the metrics sampler); work is
	// closed once it has returned.
	stopWork context.CancelFunc
	work     chan struct{}

	done    chan struct{}
	mu      sync.Mutex
	err     error
	started bool
}

// New prepares a daemon; nothing runs until Start.
func New(opts Options) *Daemon {
	if opts.Config == nil {
		opts.Config = config.Defaults()
	}
	if opts.SocketPath == "" {
		opts.SocketPath = transport.DefaultPath
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	cfg := opts.Config
	hub := events.NewHub(localapi.State{ServiceVersion: opts.Version})
	dg := opts.Diag
	if dg == nil {
		dg = diag.New(diag.Options{Config: cfg, Logger: opts.Logger})
	}
	return &Daemon{
		opts: opts,
		log:  opts.Logger,
		hub:  hub,
		diag: dg,
		done: make(chan struct{}),
		work: make(chan struct{}),
		srv: api.New(api.Options{
			Diagnostics:    dg,
			Version:        opts.Version,
			Dev:            opts.Dev,
			Hub:            hub,
			Logger:         opts.Logger,
			MaxConnections: cfg.LocalAPI.MaxConnections,
			MaxBodyBytes:   cfg.LocalAPI.MaxBodyBytes,
			RequestTimeout: cfg.LocalAPI.RequestTimeout.Duration(),
			Support: localapi.Support{
				Organization: cfg.Support.Organization,
				Phone:        cfg.Support.Phone,
				Email:        cfg.Support.Email,
				URL:          cfg.Support.URL,
			},
		}),
	}
}

// Start prepares the state folder, opens the socket and serves in the
// background. It returns once the socket accepts connections, so a caller
// can connect right after.
func (d *Daemon) Start() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.started {
		return errors.New("daemon already started")
	}
	if err := privdir.MkdirAll(d.opts.Config.Service.StateDir); err != nil {
		return fmt.Errorf("creating state folder: %w", err)
	}
	ln, err := transport.Listen(d.opts.SocketPath)
	if err != nil {
		return err
	}
	d.started = true
	ctx, stop := context.WithCancel(context.Background())
	d.stopWork = stop
	go func() {
		defer close(d.work)
		if err := d.diag.Run(ctx); err != nil {
			d.log.Error("metrics sampler stopped", "err", err)
		}
	}()
	d.log.Info("firstline service started", "version", d.opts.Version, "socket", d.opts.SocketPath,
		"state_dir", d.opts.Config.Service.StateDir, "dev", d.opts.Dev)
	go func() {
		defer close(d.done)
		if err := d.srv.Serve(ln); err != nil {
			d.log.Error("LocalAPI stopped", "err", err)
			d.mu.Lock()
			d.err = err
			d.mu.Unlock()
		}
	}()
	return nil
}

// Stop shuts down within the configured shutdown timeout (or ctx, whichever
// ends first): new connections are refused, watch streams end, in-flight
// requests finish.
func (d *Daemon) Stop(ctx context.Context) error {
	d.mu.Lock()
	started := d.started
	d.mu.Unlock()
	if !started {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, d.opts.Config.Service.ShutdownTimeout.Duration())
	defer cancel()
	t0 := time.Now()
	err := d.srv.Shutdown(ctx)
	d.stopWork()
	for _, ch := range []<-chan struct{}{d.done, d.work} {
		select {
		case <-ch:
		case <-ctx.Done():
		}
	}
	d.log.Info("firstline service stopped", "took", time.Since(t0).Round(time.Millisecond), "err", err)
	return err
}

// Done is closed when the LocalAPI server has stopped, for whatever reason.
func (d *Daemon) Done() <-chan struct{} { return d.done }

// Err is why the server stopped on its own, nil after a clean Stop.
func (d *Daemon) Err() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

// Hub is the state the app watches; subsystems update it.
func (d *Daemon) Hub() *events.Hub { return d.hub }

// SocketPath is where the LocalAPI listens.
func (d *Daemon) SocketPath() string { return d.opts.SocketPath }
