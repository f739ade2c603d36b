package manager

import (
	"context"
	"os/exec"
	"strings"
	"time"

	"github.com/kardianos/service"
)

// refineRunning asks systemd what "running" really is: a service in
// auto-restart has no process and must not look healthy to monitoring.
func refineRunning(svc service.Service) State {
	if svc.Platform() != "linux-systemd" {
		return StateRunning
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "systemctl", "show", "--property=ActiveState,SubState",
		Name+".service").Output()
	if err != nil {
		return StateRunning
	}
	return stateFromSystemd(string(out))
}

// stateFromSystemd maps `systemctl show` output for a unit kardianos called
// running.
func stateFromSystemd(show string) State {
	props := map[string]string{}
	for _, line := range strings.Split(show, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
			props[k] = v
		}
	}
	switch {
	case props["SubState"] == "auto-restart":
		return StateRestarting
	case props["ActiveState"] == "failed":
		return StateFailed
	}
	return StateRunning
}
