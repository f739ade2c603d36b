//go:build !windows

package cli

import (
	"log/slog"

	"github.com/firstline-it/firstline/service/daemon"
)

// exitOnDeath is not needed where kardianos calls RunWait: it returns when
// the server dies, and run exits with the error.
func exitOnDeath(*daemon.Daemon, *slog.Logger) {}
