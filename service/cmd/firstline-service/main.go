// Command firstline-service is Firstline's system service and IT's command
// line tool: `firstline-service install`, `start`, `status`, `run`, ….
package main

import (
	"context"
	"os"

	"github.com/kardianos/service"

	"github.com/firstline-it/firstline/service/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], &cli.Env{
		Stdout:      os.Stdout,
		Stderr:      os.Stderr,
		Interactive: service.Interactive(),
	}))
}
