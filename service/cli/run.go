package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/kardianos/service"

	"github.com/firstline-it/firstline/internal/buildinfo"
	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/localapi/transport"
	"github.com/firstline-it/firstline/service/daemon"
	"github.com/firstline-it/firstline/service/logging"
	"github.com/firstline-it/firstline/service/manager"
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
	loaded, err := config.Load(config.Options{Path: cfgPath})
	if err != nil {
		return withCode(ExitConfig, fmt.Errorf("loading configuration:\n%w", err))
	}
	cfg := loaded.Config

	var d *daemon.Daemon
	prog := &manager.Program{
		OnStart: func() error { return d.Start() },
		OnStop: func() error {
			stopCtx, cancel := context.WithTimeout(context.Background(), cfg.Service.ShutdownTimeout.Duration()+time.Second)
			defer cancel()
			return d.Stop(stopCtx)
		},
	}
	svc, err := service.New(prog, manager.Config())
	if err != nil {
		return fmt.Errorf("preparing the service: %w", err)
	}
	var sysLog logging.SystemLogger
	if !env.Interactive {
		if l, err := svc.SystemLogger(nil); err == nil {
			sysLog = l
		}
	}
	log, closeLog, err := logging.New(logging.Options{
		Level:        string(cfg.Service.LogLevel),
		File:         cfg.Service.LogFile,
		MaxSizeBytes: int64(cfg.Service.LogMaxSizeMB) << 20,
		MaxFiles:     cfg.Service.LogMaxFiles,
		Interactive:  env.Interactive,
		System:       sysLog,
		Stderr:       env.Stderr,
	})
	if err != nil {
		return withCode(ExitConfig, fmt.Errorf("setting up logging: %w", err))
	}
	defer closeLog.Close()
	log.Info("configuration loaded", "files", loaded.Files)

	d = daemon.New(daemon.Options{
		Config: cfg, SocketPath: socket, Version: buildinfo.Version(), Logger: log,
	})
	// kardianos' Run blocks until SIGTERM/Ctrl-C (or the SCM's stop) and
	// then calls OnStop.
	if err := svc.Run(); err != nil {
		log.Error("service failed", "err", err)
		return fmt.Errorf("running the service: %w", err)
	}
	return d.Err()
}
