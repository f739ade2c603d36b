package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/firstline-it/firstline/internal/buildinfo"
)

func versionCommand() *Command {
	return &Command{
		Name:    "version",
		Summary: "Print the version",
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			return func(_ context.Context, env *Env, args []string) error {
				if err := noArgs(args); err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "firstline-service %s (%s)\n", buildinfo.Version(), buildinfo.Platform())
				return nil
			}
		},
	}
}
