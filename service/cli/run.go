package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/kardianos/service"

	"github.com/firstline-it/firstline/internal/buildinfo"
	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/localapi/transport"
	"github.com/firstline-it/firstline/service/daemon"
	"github.com/firstline-it/firstline/service/logging"
	"github.com/firstline-it/firstline/service/manager"
	"github.com/firstline-it/firstline/service/reports"
)

func runCommand() *Command {
	return &Command{
		Name:    "run",
		Summary: "Run the service in the foreground (what the OS service manager starts)",
		Help: `Stops on SIGTERM or Ctrl-C: new connections are refused and in-flight
requests get service.shutdown_timeout to finish.`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			cfgPath := fs.String("config", config.DefaultPath(), "main configuration file (drop-ins from conf.d/ beside it)")
			socket := fs.String("socket", transport.DefaultPath, "where the LocalAPI listens")
			return func(ctx context.Context, env *Env, args []string) error {
				if err := noArgs(args); err != nil {
					return err
				}
				return run(ctx, env, *cfgPath, *socket)
			}
		},
	}
}

func run(ctx context.Context, env *Env, cfgPath, socket string) error {
	// Signals are caught before anything starts, so a stop that arrives
	// while the service is still starting is graceful too.
	stopSignals := make(chan os.Signal, 1)
	signal.Notify(stopSignals, syscall.SIGTERM, os.Interrupt)
	defer signal.Stop(stopSignals)

	var d *daemon.Daemon
	var cfg *config.Config
	var log *slog.Logger
	prog := &manager.Program{
		OnStart: func() error {
			if err := d.Start(); err != nil {
				return err
			}
			exitOnDeath(d, log)
			return nil
		},
		OnStop: func() error {
			stopCtx, cancel := context.WithTimeout(context.Background(), cfg.Service.ShutdownTimeout.Duration()+time.Second)
			defer cancel()
			return d.Stop(stopCtx)
		},
	}
	kcfg := manager.Config()
	// kardianos' Run (on Unix) calls RunWait after Start and Stop after it
	// returns: return on a stop signal, and also when the server died on its
	// own, so the process exits and the service manager restarts it instead
	// of a process that serves nothing.
	kcfg.Option["RunWait"] = func() {
		select {
		case <-stopSignals:
		case <-d.Done():
		}
	}
	svc, err := service.New(prog, kcfg)
	if err != nil {
		return fmt.Errorf("preparing the service: %w", err)
	}
	var sysLog logging.SystemLogger
	if !env.Interactive {
		if l, err := svc.SystemLogger(nil); err == nil {
			sysLog = l
		}
	}
	// Until logging is set up, failures go to the OS logger as well: a
	// Windows service has no stderr anyone reads.
	early := func(code int, err error) error {
		if sysLog != nil {
			_ = sysLog.Error(err.Error())
		}
		return withCode(code, err)
	}

	loaded, err := config.Load(config.Options{Path: cfgPath})
	if err != nil {
		return early(ExitConfig, fmt.Errorf("loading configuration:\n%w", err))
	}
	cfg = loaded.Config
	if err := reports.CheckConfig(cfg); err != nil {
		return early(ExitConfig, fmt.Errorf("checking the delivery configuration:\n%w", err))
	}
	var closeLog io.Closer
	log, closeLog, err = logging.New(logging.Options{
		Level:        string(cfg.Service.LogLevel),
		File:         cfg.Service.LogFile,
		MaxSizeBytes: int64(cfg.Service.LogMaxSizeMB) << 20,
		MaxFiles:     cfg.Service.LogMaxFiles,
		Interactive:  env.Interactive,
		System:       sysLog,
		Stderr:       env.Stderr,
	})
	if err != nil {
		return early(ExitConfig, fmt.Errorf("setting up logging: %w", err))
	}
	defer closeLog.Close()
	log.Info("configuration loaded", "files", loaded.Files)

	d = daemon.New(daemon.Options{
		Config: cfg, ConfigPath: cfgPath, SocketPath: socket, Version: buildinfo.Version(), Logger: log,
	})
	if err := svc.Run(); err != nil {
		log.Error("service failed", "err", err)
		return fmt.Errorf("running the service: %w", err)
	}
	if err := d.Err(); err != nil {
		return fmt.Errorf("the LocalAPI server stopped on its own: %w", err)
	}
	return nil
}
