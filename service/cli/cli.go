// Package cli is firstline-service's command line: the OS service's
// lifecycle (install, start, status, …), running the service, and IT's
// tools. Each command is a small value in one table; exit codes are stable
// so scripts and monitoring can act on them.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit codes. 3 and 4 follow the LSB init-script convention for status;
// 77 and 78 are sysexits' EX_NOPERM and EX_CONFIG.
const (
	ExitOK      = 0
	ExitFailure = 1
	// ExitDead is status's "dead": the OS thinks it runs (or restarts it)
	// but it does not answer. Same number as ExitFailure, as in LSB.
	ExitDead         = 1
	ExitUsage        = 2
	ExitNotRunning   = 3
	ExitNotInstalled = 4
	ExitNoPermission = 77
	ExitConfig       = 78
)

// Env is what commands need from the world, so tests can supply their own.
type Env struct {
	Stdout, Stderr io.Writer
	// Interactive is false under the OS service manager.
	Interactive bool
}

// Command is one subcommand. setup declares its flags and returns the
// function that runs it with them, so each command keeps its options local.
type Command struct {
	Name    string
	Args    string // synopsis of positional arguments, for help
	Summary string
	Help    string // longer explanation; may be empty
	Sub     []*Command
	setup   func(fs *flag.FlagSet) func(ctx context.Context, env *Env, args []string) error
}

// exitError carries an exit code with its cause.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// commands is the whole command line surface.
func commands() []*Command {
	return []*Command{
		lifecycleCommand("install", "Register firstline-service with the OS service manager (starts at boot)"),
		lifecycleCommand("uninstall", "Remove firstline-service from the OS service manager"),
		lifecycleCommand("start", "Start the installed service"),
		lifecycleCommand("stop", "Stop the installed service"),
		lifecycleCommand("restart", "Restart the installed service"),
		statusCommand(),
		runCommand(),
		versionCommand(),
		diagCommand(),
		reportCommand(),
		spoolCommand(),
		noticeCommand(),
		fixCommand(),
		checkCommand(),
		auditCommand(),
		{Name: "config", Summary: "Work with the configuration", Sub: []*Command{configCheckCommand()}},
	}
}

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, args []string, env *Env) int {
	err := dispatch(ctx, "firstline-service", commands(), args, env)
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	var ee *exitError
	code := ExitFailure
	if errors.As(err, &ee) {
		code = ee.code
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintf(env.Stderr, "firstline-service: %s\n", msg)
	}
	return code
}

func dispatch(ctx context.Context, prog string, cmds []*Command, args []string, env *Env) error {
	if len(args) == 0 {
		printCommands(env.Stderr, prog, cmds)
		return withCode(ExitUsage, errors.New("a command is required"))
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "-help" || name == "--help" {
		printCommands(env.Stdout, prog, cmds)
		return flag.ErrHelp
	}
	for _, c := range cmds {
		if c.Name != name {
			continue
		}
		if c.Sub != nil {
			return dispatch(ctx, prog+" "+name, c.Sub, args[1:], env)
		}
		return c.execute(ctx, prog, args[1:], env)
	}
	printCommands(env.Stderr, prog, cmds)
	return withCode(ExitUsage, fmt.Errorf("unknown command %q", name))
}

func (c *Command) execute(ctx context.Context, prog string, args []string, env *Env) error {
	full := prog + " " + c.Name
	fs := flag.NewFlagSet(full, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	run := c.setup(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.printHelp(env.Stdout, full, fs)
			return err
		}
		c.printHelp(env.Stderr, full, fs)
		return withCode(ExitUsage, err)
	}
	return run(ctx, env, fs.Args())
}

func (c *Command) printHelp(w io.Writer, full string, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s [flags] %s\n\n%s\n", full, c.Args, c.Summary)
	if c.Help != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.Help))
	}
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

func printCommands(w io.Writer, prog string, cmds []*Command) {
	fmt.Fprintf(w, "Usage: %s <command> [flags]\n\nCommands:\n", prog)
	for _, c := range cmds {
		if c.Sub != nil {
			for _, s := range c.Sub {
				fmt.Fprintf(w, "  %-16s %s\n", c.Name+" "+s.Name, s.Summary)
			}
			continue
		}
		fmt.Fprintf(w, "  %-16s %s\n", c.Name, c.Summary)
	}
	fmt.Fprintf(w, "\nRun '%s <command> --help' for a command's flags.\n", prog)
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 failed (status: dead or restarting), 2 usage, 3 not running, 4 not installed, 69 unavailable (fix turned off or missing here), 75 try later (fix busy or rate limited), 77 needs root/administrator, 78 bad configuration; check: the Nagios plugin codes 0-3.")
}

// noArgs is for commands that take no positional arguments.
func noArgs(args []string) error {
	if len(args) > 0 {
		return withCode(ExitUsage, fmt.Errorf("unexpected argument %q", args[0]))
	}
	return nil
}
