package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/fixes/health"
	"github.com/firstline-it/firstline/internal/fixes/health/measure"
	"github.com/firstline-it/firstline/internal/localapi"
)

// checkTimeout bounds a check run as a whole: monitoring agents kill a
// plugin after 10 s by default (NRPE, Zabbix), and a killed plugin says
// nothing useful.
const checkTimeout = 9 * time.Second

func checkCommand() *Command {
	return &Command{
		Name:    "check",
		Args:    "[NAME...|--all]",
		Summary: "Run the health checks as a Nagios plugin (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)",
		Help: `Prints one check (or several, or --all; no NAME means all) in the Nagios
plugin format: a status line, performance data after "|", and one line per
check for several. The exit code is the plugin status: 0 OK, 1 WARNING,
2 CRITICAL, 3 UNKNOWN. An unknown NAME is UNKNOWN (3).

The checks: ` + strings.Join(health.Names(), ", ") + `.

The service runs them with IT's limits ([health] in the configuration).
When it does not answer (or with --local) this command measures the machine
itself with the same limits, so the plugin keeps working.

Nagios/Icinga (NRPE), nrpe.cfg:
  command[firstline]=/usr/bin/firstline-service check --all
Zabbix agent, zabbix_agentd.conf:
  UserParameter=firstline.check[*],/usr/bin/firstline-service check $1 >/dev/null; echo $?
SolarWinds SAM script monitor: /usr/bin/firstline-service check --all`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			all := fs.Bool("all", false, "run every check")
			local := fs.Bool("local", false, "measure here instead of asking the service")
			slow := fs.Bool("slow", false, "when measuring here, also count pending updates with the package manager (takes seconds)")
			cfgPath := fs.String("config", config.DefaultPath(), "configuration whose [health] limits apply when measuring here")
			socket := socketFlag(fs)
			return func(ctx context.Context, env *Env, args []string) error {
				names, err := positionals(fs, args)
				if err != nil {
					fmt.Fprintf(env.Stdout, "FIRSTLINE UNKNOWN - %s\n", pluginSafe(err.Error()))
					return withCode(int(health.Unknown), err)
				}
				if *all {
					names = nil
				}
				for _, n := range names {
					if !slices.Contains(health.Names(), n) {
						fmt.Fprintf(env.Stdout, "FIRSTLINE UNKNOWN - no check named %q (the checks are %s)\n",
							pluginSafe(n), strings.Join(health.Names(), ", "))
						return withCode(int(health.Unknown), errors.New(""))
					}
				}
				ctx, cancel := context.WithTimeout(ctx, checkTimeout)
				defer cancel()
				rs, err := checkResults(ctx, env, names, *local, *slow, *socket, *cfgPath)
				if err != nil {
					fmt.Fprintf(env.Stdout, "FIRSTLINE UNKNOWN - %s\n", pluginSafe(err.Error()))
					return withCode(int(health.Unknown), errors.New(""))
				}
				var out string
				var code int
				if len(rs) == 1 && len(names) == 1 {
					out, code = health.Nagios(rs[0])
					out += "\n"
				} else {
					out, code = health.NagiosAll(rs)
				}
				fmt.Fprint(env.Stdout, out)
				if code == 0 {
					return nil
				}
				// The output says it all; Main prints nothing for an empty
				// message.
				return withCode(code, errors.New(""))
			}
		},
	}
}

// checkResults asks the service, or measures here when it does not
// answer or local is set.
func checkResults(ctx context.Context, env *Env, names []string, local, slow bool, socket, cfgPath string) ([]health.Result, error) {
	if !local {
		c := localapi.NewClient(socket)
		defer c.Close()
		rep, err := c.Health(ctx, names...)
		switch {
		case err == nil:
			return fromHealthReport(rep)
		case errors.Is(err, localapi.ErrUnreachable), localapi.IsCode(err, localapi.CodeNotFound):
			// Not running, or a service without health checks (fixes off,
			// or an older version): measure here.
			fmt.Fprintf(env.Stderr, "firstline-service: the service does not answer health checks at %s; measuring here\n", socket)
		default:
			return nil, fmt.Errorf("asking the service: %w", err)
		}
	}
	th, checks := health.DefaultThresholds(), health.Names()
	if loaded, err := config.Load(config.Options{Path: cfgPath}); err == nil {
		th, checks = loaded.Config.Health.Thresholds(), loaded.Config.Health.Checks
	} else {
		fmt.Fprintf(env.Stderr, "firstline-service: using the default limits: %v\n", err)
	}
	if len(names) == 0 {
		if len(checks) == 0 {
			return nil, nil // IT turned every check off, as the service would say
		}
		names = checks
	}
	// Every network wait inside Gather is bounded by measure.NetworkBudget.
	in := measure.Gather(ctx, measure.Options{Slow: slow, SlowTimeout: checkTimeout - 2*time.Second})
	return health.Run(in, th, names...)
}

// fromHealthReport turns the service's verdicts back into results, for
// the plugin format.
func fromHealthReport(rep *localapi.HealthReport) ([]health.Result, error) {
	out := make([]health.Result, 0, len(rep.Checks))
	for _, c := range rep.Checks {
		r, err := fromHealthCheck(c)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func fromHealthCheck(c localapi.HealthCheck) (health.Result, error) {
	status := health.Status(c.Code)
	if c.Code < 0 || c.Code > 3 {
		status = health.Unknown
	}
	r := health.Result{Name: c.Name, Label: c.Label, Status: status, Summary: c.Summary, Message: c.Message, FixID: c.FixID}
	for _, p := range c.Perf {
		perf, err := parsePerf(p)
		if err != nil {
			return health.Result{}, fmt.Errorf("check %s: %w", c.Name, err)
		}
		r.Perf = append(r.Perf, perf)
	}
	return r, nil
}

// parsePerf reads one performance value in the plugin format,
// "label=value[unit];warn;crit;min;max", the label quoted with ' when it
// holds spaces or "=". Empty trailing fields are unset.
func parsePerf(s string) (health.Perf, error) {
	var p health.Perf
	var rest string
	if strings.HasPrefix(s, "'") {
		end := strings.Index(s[1:], "'=")
		if end < 0 {
			return p, fmt.Errorf("performance value %q: unterminated label", s)
		}
		p.Label, rest = s[1:1+end], s[end+3:]
		// A quote inside a quoted label is not ours to keep (the renderer
		// drops quotes), so a label of quotes only is empty.
		if strings.ContainsRune(p.Label, '\'') || p.Label == "" {
			return p, fmt.Errorf("performance value %q: empty label or a quote in it", s)
		}
	} else {
		label, r, ok := strings.Cut(s, "=")
		if !ok || label == "" || strings.ContainsAny(label, " '") {
			return p, fmt.Errorf("performance value %q: no label", s)
		}
		p.Label, rest = label, r
	}
	fields := strings.Split(rest, ";")
	if len(fields) > 5 {
		return p, fmt.Errorf("performance value %q: too many fields", s)
	}
	value := fields[0]
	i := len(value)
	for i > 0 && strings.ContainsRune("%abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", rune(value[i-1])) {
		i--
	}
	v, err := perfNumber(value[:i])
	if err != nil {
		return p, fmt.Errorf("performance value %q: %w", s, err)
	}
	p.Value, p.Unit = v, value[i:]
	for j, dst := range []**float64{&p.Warn, &p.Crit, &p.Min, &p.Max} {
		if j+1 >= len(fields) || fields[j+1] == "" {
			continue
		}
		f, err := perfNumber(fields[j+1])
		if err != nil {
			return p, fmt.Errorf("performance value %q: %w", s, err)
		}
		*dst = &f
	}
	return p, nil
}

// perfNumber is a decimal number of a plausible size: the checks' values
// are percentages, days and counts.
func perfNumber(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > 1e15 || strings.ContainsAny(s, "xXpP_") {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return f, nil
}

// pluginSafe keeps text on one line and free of "|", which would start
// performance data.
func pluginSafe(s string) string {
	return strings.NewReplacer("|", "/", "\n", " ", "\r", " ").Replace(s)
}
