package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/service/reports"
)

func configCheckCommand() *Command {
	return &Command{
		Name:    "check",
		Summary: "Validate the configuration and print the effective one (secrets redacted)",
		Help: `Reads the main file and conf.d/*.toml beside it, in that order. Every problem is
reported with its file and line. Exit code 78 when the configuration is invalid
or a file is writable by someone other than root.`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			path := fs.String("config", config.DefaultPath(), "main configuration file")
			return func(_ context.Context, env *Env, args []string) error {
				if err := noArgs(args); err != nil {
					return err
				}
				loaded, err := config.Load(config.Options{Path: *path})
				if err != nil {
					return withCode(ExitConfig, fmt.Errorf("configuration is invalid:\n%w", err))
				}
				// The delivery backends check what the schema cannot (URL
				// forms, addresses) when they are built.
				if err := reports.CheckConfig(loaded.Config); err != nil {
					return withCode(ExitConfig, fmt.Errorf("configuration is invalid:\n%w", err))
				}
				out, err := config.Render(loaded.Config)
				if err != nil {
					return fmt.Errorf("rendering the effective configuration: %w", err)
				}
				files := "none (built-in defaults)"
				if len(loaded.Files) > 0 {
					files = strings.Join(loaded.Files, ", ")
				}
				fmt.Fprintf(env.Stdout, "# configuration is valid\n# files read: %s\n\n%s", files, out)
				return nil
			}
		},
	}
}
