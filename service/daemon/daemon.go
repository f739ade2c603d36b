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
	"github.com/firstline-it/firstline/internal/fixes/health"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/localapi/transport"
	"github.com/firstline-it/firstline/internal/privdir"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/service/api"
	"github.com/firstline-it/firstline/service/diag"
	"github.com/firstline-it/firstline/service/events"
	"github.com/firstline-it/firstline/service/fixes"
	"github.com/firstline-it/firstline/service/notices"
	"github.com/firstline-it/firstline/service/reports"
)

// Options configure a Daemon.
type Options struct {
	Config *config.Config
	// ConfigPath is the main configuration file; the notice drop folder
	// defaults to notices.d beside it (default config.DefaultPath()).
	ConfigPath string
	// SocketPath is where the LocalAPI listens (transport.DefaultPath when
	// installed; a per-user folder in dev mode and tests).
	SocketPath string
	Dev        bool
	Version    string
	Logger     *slog.Logger
	// Diag replaces the diagnostics in tests (a scripted metrics source);
	// nil builds them from Config.
	Diag *diag.Service
	// HealthInput replaces the health measurements in tests; nil measures
	// the machine (measure.Gather).
	HealthInput func(ctx context.Context) health.Input
	// HealthFirst is the delay of the first background health check
	// (default: fixes' own, soon after start).
	HealthFirst time.Duration
}

// Daemon is the service's running core.
type Daemon struct {
	opts Options
	log  *slog.Logger
	hub  *events.Hub
	diag *diag.Service
	// srv and reports are made by Start: opening the spool can fail,
	// and must not happen before the state folder exists.
	srv     *api.Server
	reports *reports.Pipeline
	notices *notices.Service
	fixes   *fixes.Service

	// stopWork ends the background work (the metrics sampler, report
	// delivery); work is closed once all of it has returned.
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
	if opts.ConfigPath == "" {
		opts.ConfigPath = config.DefaultPath()
	}
	if opts.SocketPath == "" {
		opts.SocketPath = transport.DefaultPath
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	dg := opts.Diag
	if dg == nil {
		dg = diag.New(diag.Options{Config: opts.Config, Logger: opts.Logger})
	}
	return &Daemon{
		opts: opts,
		log:  opts.Logger,
		hub:  events.NewHub(localapi.State{ServiceVersion: opts.Version}),
		diag: dg,
		done: make(chan struct{}),
		work: make(chan struct{}),
	}
}

// Start prepares the state folder, opens the report spool, opens the
// socket and serves in the background. It returns once the socket accepts
// connections, so a caller can connect right after.
func (d *Daemon) Start() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.started {
		return errors.New("daemon already started")
	}
	if err := privdir.MkdirAll(d.opts.Config.Service.StateDir); err != nil {
		return fmt.Errorf("creating state folder: %w", err)
	}
	pipe, err := d.openReports()
	if err != nil {
		return err
	}
	nsvc, err := d.openNotices(pipe)
	if err != nil {
		pipe.Close()
		return err
	}
	fsvc, err := d.openFixes()
	if err != nil {
		pipe.Close()
		return err
	}
	srv := d.newServer(pipe, nsvc, fsvc)
	ln, err := transport.Listen(d.opts.SocketPath)
	if err != nil {
		pipe.Close()
		if fsvc != nil {
			fsvc.Close()
		}
		return err
	}
	d.started, d.srv, d.reports, d.notices, d.fixes = true, srv, pipe, nsvc, fsvc
	ctx, stop := context.WithCancel(context.Background())
	d.stopWork = stop
	var work sync.WaitGroup
	work.Go(func() {
		if err := d.diag.Run(ctx); err != nil {
			d.log.Error("metrics sampler stopped", "err", err)
		}
	})
	work.Go(func() {
		if err := pipe.Run(ctx); err != nil {
			d.log.Error("report delivery stopped", "err", err)
		}
	})
	if nsvc != nil {
		work.Go(func() {
			if err := nsvc.Run(ctx); err != nil {
				d.log.Error("notices stopped", "err", err)
			}
		})
	}
	if fsvc != nil {
		work.Go(func() {
			if err := fsvc.RunHealth(ctx); err != nil {
				d.log.Error("health checks stopped", "err", err)
			}
		})
	}
	go func() {
		work.Wait()
		close(d.work)
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
	// The spool closes once writes in progress are done, even if the
	// delivery loop overran the timeout: the next start must find it
	// unlocked and consistent.
	if cerr := d.reports.Close(); cerr != nil && err == nil {
		err = cerr
	}
	// Runs still going are stopped (their steps killed) and audited
	// before the audit log closes.
	if d.fixes != nil {
		if cerr := d.fixes.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}
	d.log.Info("firstline service stopped", "took", time.Since(t0).Round(time.Millisecond), "err", err)
	return err
}

// openReports opens the report pipeline IT configured, its spool in a
// private folder under the state folder.
func (d *Daemon) openReports() (*reports.Pipeline, error) {
	ropts, err := reports.FromConfig(d.opts.Config, d.log)
	if err != nil {
		return nil, fmt.Errorf("configuring report delivery:\n%w", err)
	}
	if err := privdir.MkdirAll(ropts.Dir); err != nil {
		return nil, fmt.Errorf("creating the report spool folder: %w", err)
	}
	ropts.Hub = d.hub
	pipe, err := reports.Open(ropts)
	if err != nil {
		return nil, err
	}
	return pipe, nil
}

// noticeFetchTimeout bounds one request of the feed or its signature.
const noticeFetchTimeout = 30 * time.Second

// openNotices opens IT notices when a key is configured (without one,
// nothing could be accepted, and the routes stay out); its state lives in
// a private folder under the state folder.
func (d *Daemon) openNotices(pipe *reports.Pipeline) (*notices.Service, error) {
	cfg := d.opts.Config
	if !cfg.Notices.Enabled() {
		return nil, nil
	}
	opts := notices.Options{
		Config:          cfg.Notices,
		StateDir:        notices.StateDir(cfg.Service.StateDir),
		DropDir:         cfg.Notices.DropFolder(d.opts.ConfigPath),
		Hub:             d.hub,
		RespondInterval: cfg.Notices.ResponsesInterval.Duration(),
		Logger:          d.log,
	}
	if cfg.Notices.CAFile != "" {
		client, err := delivery.NewHTTPClient(cfg.Notices.CAFile, noticeFetchTimeout)
		if err != nil {
			return nil, fmt.Errorf("setting up IT notices: notices.ca_file: %w", err)
		}
		opts.Client = client
	}
	if cfg.Notices.SendResponses {
		// The service itself is the reporter: the batch speaks for several
		// employees, and none of them should see it among their reports.
		opts.Respond = func(ctx context.Context, s report.Submission) error {
			_, err := pipe.Submit(ctx, serviceIdentity(), s)
			return err
		}
	}
	svc, err := notices.New(opts)
	if err != nil {
		return nil, fmt.Errorf("setting up IT notices: %w", err)
	}
	return svc, nil
}

// newServer builds the LocalAPI server with everything it serves.
func (d *Daemon) newServer(pipe *reports.Pipeline, nsvc *notices.Service, fsvc *fixes.Service) *api.Server {
	cfg := d.opts.Config
	var ns api.Notices
	if nsvc != nil {
		ns = nsvc // a nil *Service in the interface would look configured
	}
	var fs api.Fixes
	if fsvc != nil {
		fs = fsvc
	}
	return api.New(api.Options{
		Diagnostics:    d.diag,
		Reports:        pipe,
		ReportSetup:    reports.NewSetup(cfg),
		Notices:        ns,
		Fixes:          fs,
		Version:        d.opts.Version,
		Dev:            d.opts.Dev,
		Hub:            d.hub,
		Logger:         d.log,
		MaxConnections: cfg.LocalAPI.MaxConnections,
		MaxBodyBytes:   cfg.LocalAPI.MaxBodyBytes,
		RequestTimeout: cfg.LocalAPI.RequestTimeout.Duration(),
		Support: localapi.Support{
			Organization: cfg.Support.Organization,
			Phone:        cfg.Support.Phone,
			Email:        cfg.Support.Email,
			URL:          cfg.Support.URL,
		},
	})
}

// Reports is the report pipeline; nil before Start.
func (d *Daemon) Reports() *reports.Pipeline {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.reports
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
