//go:build !linux

package manager

import "github.com/kardianos/service"

// refineRunning: the SCM and launchd report running only with a process.
func refineRunning(service.Service) State { return StateRunning }
