//go:build !linux && !windows && !darwin

package measure

import (
	"context"
	"errors"
	"time"
)

// errUnsupported: Firstline measures Linux, Windows and macOS; elsewhere
// the checks that need the OS report unknown.
var errUnsupported = errors.New("not measured on this OS")

func (g *gatherer) diskFree(context.Context) (float64, string, error) {
	return 0, "", errUnsupported
}

func (g *gatherer) osUptime(context.Context) (time.Duration, error) { return 0, errUnsupported }

func (g *gatherer) pendingReboot(context.Context) (*bool, error) { return nil, nil }

func (g *gatherer) clockOffset(context.Context) (*time.Duration, error) { return nil, nil }

func (g *gatherer) securityUpdates(context.Context) (*int, error) { return nil, nil }

func (g *gatherer) securityUpdatesSlow(context.Context) (*int, error) { return nil, nil }

func (g *gatherer) batteryHealth(context.Context) (batteryState, error) {
	return batteryState{}, errUnsupported
}

func (g *gatherer) extraBackup(context.Context) *time.Time { return nil }
