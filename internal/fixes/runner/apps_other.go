//go:build !unix && !windows

package runner

import (
	"context"
	"errors"
	"time"
)

// osApps cannot control apps here; Firstline ships no user fixes for
// these systems.
type osApps struct{}

var errNoApps = errors.New("controlling apps is not supported on this system")

func (osApps) Quit(context.Context, string, time.Duration) ([]string, error) { return nil, errNoApps }
func (osApps) Launch(context.Context, string) error                          { return errNoApps }
func (osApps) Running(context.Context, string) (bool, error)                 { return false, errNoApps }
