package cli

import (
	"log/slog"
	"os"

	"github.com/firstline-it/firstline/service/daemon"
)

// exitOnDeath ends the process with a failure when the LocalAPI server
// stops on its own: the SCM's restart-on-failure then starts a fresh one,
// rather than keeping a service that serves nothing. (On Unix, RunWait
// returns instead.)
func exitOnDeath(d *daemon.Daemon, log *slog.Logger) {
	go func() {
		<-d.Done()
		if err := d.Err(); err != nil {
			log.Error("LocalAPI server died; exiting so the service manager restarts the service", "err", err)
			os.Exit(ExitFailure)
		}
	}()
}
