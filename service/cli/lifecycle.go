package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/kardianos/service"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/localapi/transport"
	"github.com/firstline-it/firstline/service/manager"
)

// controlService returns the OS service handle for lifecycle commands,
// which never run the service's code themselves.
func controlService() (service.Service, error) {
	noop := &manager.Program{OnStart: func() error { return nil }, OnStop: func() error { return nil }}
	svc, err := service.New(noop, manager.Config())
	if err != nil {
		return nil, fmt.Errorf("finding the OS service manager: %w", err)
	}
	return svc, nil
}

// lifecycleCommand builds install, uninstall, start, stop and restart: each
// needs privileges and is one call to the OS service manager.
func lifecycleCommand(action, summary string) *Command {
	return &Command{
		Name:    action,
		Summary: summary,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			wait := 15 * time.Second
			if action == "start" || action == "restart" {
				fs.DurationVar(&wait, "wait", wait, "how long to wait for the service to answer (0: do not wait)")
			}
			return func(ctx context.Context, env *Env, args []string) error {
				if err := noArgs(args); err != nil {
					return err
				}
				if err := manager.RequirePrivilege(action); err != nil {
					return withCode(ExitNoPermission, err)
				}
				if action == "install" {
					// A broken config would make the service crash-loop
					// right after installation; catch it now.
					if _, err := config.Load(config.Options{}); err != nil {
						return withCode(ExitConfig, fmt.Errorf("not installing with a broken configuration:\n%w", err))
					}
				}
				svc, err := controlService()
				if err != nil {
					return err
				}
				if err := control(svc, action); err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "firstline-service: %s done (%s)\n", action, svc.Platform())
				if (action == "start" || action == "restart") && wait > 0 {
					return waitAnswering(ctx, env, wait)
				}
				if action == "install" {
					fmt.Fprintln(env.Stdout, "Start it now with: firstline-service start")
				}
				return nil
			}
		},
	}
}

// control runs one action and turns kardianos' errors into advice.
func control(svc service.Service, action string) error {
	if action == "uninstall" {
		// systemd keeps running a unit whose file was removed; stop first.
		if st, _ := manager.StateOf(svc); st == manager.StateRunning {
			if err := service.Control(svc, "stop"); err != nil {
				return fmt.Errorf("stopping before uninstall: %w", err)
			}
		}
	}
	err := service.Control(svc, action)
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case action == "install" && strings.Contains(msg, "already exists"):
		return fmt.Errorf("already installed (%s); use 'firstline-service restart', or 'uninstall' first", msg)
	case errors.Is(err, service.ErrNotInstalled) || strings.Contains(msg, "not installed") ||
		strings.Contains(msg, "not-found") || strings.Contains(msg, "not loaded"):
		return withCode(ExitNotInstalled, fmt.Errorf("%s: the service is not installed; run 'firstline-service install' first", action))
	}
	return fmt.Errorf("%s: %w", action, err)
}

// waitAnswering polls the LocalAPI until the freshly started service answers,
// so "start" succeeding means the app can connect.
func waitAnswering(ctx context.Context, env *Env, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	c := localapi.NewClient(transport.DefaultPath)
	defer c.Close()
	for {
		st, err := c.Status(ctx)
		if err == nil {
			fmt.Fprintf(env.Stdout, "LocalAPI answering at %s (version %s)\n", transport.DefaultPath, st.Version)
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the service did not answer at %s within %v: %w (see 'journalctl -u firstline')",
				transport.DefaultPath, limit, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func statusCommand() *Command {
	return &Command{
		Name:    "status",
		Summary: "Show whether the service is installed, running and answering",
		Help: `Exit code (LSB): 0 running and answering; 1 dead: the service manager has it
running, restarting or failed but the LocalAPI does not answer; 3 installed but
stopped; 4 not installed.`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			socket := fs.String("socket", transport.DefaultPath, "LocalAPI socket to probe")
			return func(ctx context.Context, env *Env, args []string) error {
				if err := noArgs(args); err != nil {
					return err
				}
				state := manager.StateUnknown
				platform := "unknown"
				if svc, err := controlService(); err == nil {
					platform = svc.Platform()
					state, err = manager.StateOf(svc)
					if err != nil {
						fmt.Fprintf(env.Stderr, "firstline-service: %v\n", err)
					}
				}
				fmt.Fprintf(env.Stdout, "Service:  %s (%s)\n", state, platform)

				probeCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
				defer cancel()
				c := localapi.NewClient(*socket)
				defer c.Close()
				st, err := c.Status(probeCtx)
				if err != nil {
					fmt.Fprintf(env.Stdout, "LocalAPI: not answering at %s\n", *socket)
				} else {
					up := time.Duration(st.UptimeSeconds * float64(time.Second)).Round(time.Second)
					fmt.Fprintf(env.Stdout, "LocalAPI: answering at %s, version %s, up %v\n", *socket, st.Version, up)
				}
				return statusExit(state, err == nil)
			}
		},
	}
}

// statusExit maps what was seen to the LSB status exit codes. Only a
// service that answers counts as running (even one started by hand): a
// crash-looping service must not look healthy to monitoring.
func statusExit(state manager.State, answering bool) error {
	switch {
	case answering:
		return nil
	case state == manager.StateRunning || state == manager.StateRestarting || state == manager.StateFailed:
		return withCode(ExitDead, errors.New("the service is not answering on its socket"))
	case state == manager.StateNotInstalled || state == manager.StateUnknown:
		return withCode(ExitNotInstalled, errors.New(""))
	}
	return withCode(ExitNotRunning, errors.New(""))
}
