// Package manager registers firstline-service with the OS service manager
// (systemd, the Windows Service Control Manager, launchd) through
// kardianos/service, and reports its state in terms a script can act on.
package manager

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kardianos/service"
)

// Name is the service's name in systemd, the SCM and launchd.
const Name = "firstline"

// Config is how the service is registered: `firstline-service run` under
// the OS service manager, restarted within seconds whenever it dies.
func Config() *service.Config {
	return &service.Config{
		Name:        Name,
		DisplayName: "Firstline",
		Description: "Firstline IT self-service: delivers help requests to IT, runs allow-listed fixes, shows IT notices.",
		Arguments:   []string{"run"},
		// Reports are often written offline; the service must still start
		// without a network, but after it when there is one.
		Dependencies: []string{"After=network-online.target", "Wants=network-online.target"},
		Option: service.KeyValue{
			// systemd: our own unit (kardianos v1.3.0's hard-codes RestartSec=120).
			"SystemdScript": systemdUnit,
			"Restart":       "always",
			// Windows SCM: restart on failure after a short delay, start
			// after the boot rush.
			"OnFailure":              "restart",
			"OnFailureDelayDuration": "2s",
			"OnFailureResetPeriod":   60,
			"DelayedAutoStart":       true,
			// launchd: start at boot and restart when it exits.
			"RunAtLoad": true,
			"KeepAlive": true,
		},
	}
}

// State is the service's state as the OS service manager sees it.
type State int

const (
	StateUnknown State = iota
	StateRunning
	StateStopped
	StateNotInstalled
	StateFailed
	// StateRestarting: the service died and the manager will start it
	// again shortly (systemd's auto-restart wait).
	StateRestarting
)

func (s State) String() string {
	switch s {
	case StateRunning:
		return "running"
	case StateStopped:
		return "stopped"
	case StateNotInstalled:
		return "not installed"
	case StateFailed:
		return "failed"
	case StateRestarting:
		return "restarting after a crash"
	}
	return "unknown"
}

// StateOf asks the OS service manager about svc.
func StateOf(svc service.Service) (State, error) {
	st, err := svc.Status()
	switch {
	case errors.Is(err, service.ErrNotInstalled):
		return StateNotInstalled, nil
	case err != nil && strings.Contains(err.Error(), "failed state"):
		return StateFailed, nil
	case err != nil:
		return StateUnknown, fmt.Errorf("asking the service manager: %w", err)
	case st == service.StatusRunning:
		// kardianos counts systemd's "activating" as running, which
		// includes the wait before restarting a crashed service.
		return refineRunning(svc), nil
	case st == service.StatusStopped:
		return StateStopped, nil
	}
	return StateUnknown, nil
}

// Program adapts start and stop functions to kardianos' Interface: Start
// must return at once, Stop must return only when the service is down.
type Program struct {
	OnStart func() error
	OnStop  func() error
}

// Start implements service.Interface.
func (p *Program) Start(service.Service) error { return p.OnStart() }

// Stop implements service.Interface.
func (p *Program) Stop(service.Service) error { return p.OnStop() }
