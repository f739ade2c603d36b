package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/user"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/localapi/transport"
	"github.com/firstline-it/firstline/internal/sysinfo"
	"github.com/firstline-it/firstline/internal/sysinfo/probes"
	"github.com/firstline-it/firstline/service/diag"
)

func diagCommand() *Command {
	return &Command{
		Name:    "diag",
		Summary: "Print the system snapshot a report would carry (add --probes for connectivity)",
		Help: `Asks the running service, so the output is what a report from this computer
carries, redacted as configured. When the service does not answer (or with
--local) the snapshot is collected by this command itself, with the
configuration file's sections and redaction.

Exit code: 0 when every section was collected and every probe passed, 1
otherwise (the output says what is missing).`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			asJSON := fs.Bool("json", false, "print JSON (the documented snapshot schema) instead of text")
			section := fs.String("section", "", "comma-separated sections: "+strings.Join(config.SnapshotSections(), ","))
			withProbes := fs.Bool("probes", false, "also run the connectivity probes (takes up to 5 s)")
			local := fs.Bool("local", false, "collect here instead of asking the service")
			cfgPath := fs.String("config", config.DefaultPath(), "configuration used with --local or when the service does not answer")
			socket := fs.String("socket", transport.DefaultPath, "LocalAPI socket of the service")
			return func(ctx context.Context, env *Env, args []string) error {
				if err := noArgs(args); err != nil {
					return err
				}
				sections, err := sysinfo.ParseSections(*section)
				if err != nil {
					return withCode(ExitUsage, err)
				}
				src, err := diagSource(ctx, env, *local, *socket, *cfgPath)
				if err != nil {
					return err
				}
				out, err := src.collect(ctx, sections, *withProbes)
				if err != nil {
					return err
				}
				if *asJSON {
					enc := json.NewEncoder(env.Stdout)
					enc.SetIndent("", "  ")
					if err := enc.Encode(out); err != nil {
						return fmt.Errorf("writing JSON: %w", err)
					}
				} else {
					writeDiagText(env.Stdout, out)
				}
				return out.exit()
			}
		},
	}
}

// diagOutput is what diag prints; its JSON form is {"snapshot": ...,
// "probes": ...}.
type diagOutput struct {
	Snapshot *sysinfo.Snapshot `json:"snapshot"`
	Probes   *probes.Report    `json:"probes,omitempty"`
}

func (o *diagOutput) exit() error {
	var missing []string
	for _, in := range o.Snapshot.Sections {
		if in.Status != sysinfo.StatusOK && in.Status != sysinfo.StatusSkipped {
			missing = append(missing, string(in.Name)+" "+string(in.Status))
		}
	}
	if o.Probes != nil {
		for _, r := range o.Probes.Results {
			if r.Status != probes.StatusOK && r.Status != probes.StatusSkipped {
				missing = append(missing, "probe "+r.Name+" "+string(r.Status))
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return withCode(ExitFailure, errors.New("incomplete: "+strings.Join(missing, ", ")))
}

func writeDiagText(w io.Writer, o *diagOutput) {
	fmt.Fprint(w, o.Snapshot.Summary())
	fmt.Fprintln(w)
	fmt.Fprint(w, o.Snapshot.Detail())
	if o.Probes != nil {
		fmt.Fprintf(w, "\nConnectivity (%d ms)\n  %s\n", o.Probes.Duration.Milliseconds(), o.Probes.Verdict)
		for _, r := range o.Probes.Results {
			line := fmt.Sprintf("  %-8s %-22s %-8s %6d ms", r.Kind, truncateName(r.Name, 22), r.Status, r.Latency.Milliseconds())
			if r.Detail != "" {
				line += "  " + r.Detail
			}
			fmt.Fprintln(w, line)
		}
	}
}

func truncateName(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

// diagSource collects either through the service or in this process.
type diagCollector interface {
	collect(ctx context.Context, sections []sysinfo.Section, withProbes bool) (*diagOutput, error)
}

func diagSource(ctx context.Context, env *Env, local bool, socket, cfgPath string) (diagCollector, error) {
	if !local {
		c := localapi.NewClient(socket)
		probeCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
		st, err := c.Status(probeCtx)
		cancel()
		if err == nil && st.Has(localapi.CapSysInfo) {
			return &remoteDiag{c: c}, nil
		}
		fmt.Fprintf(env.Stderr, "firstline-service: the service does not answer at %s; collecting here instead\n", socket)
	}
	loaded, err := config.Load(config.Options{Path: cfgPath})
	if err != nil {
		return nil, withCode(ExitConfig, err)
	}
	return &localDiag{svc: diag.New(diag.Options{Config: loaded.Config})}, nil
}

type remoteDiag struct{ c *localapi.Client }

func (r *remoteDiag) collect(ctx context.Context, sections []sysinfo.Section, withProbes bool) (*diagOutput, error) {
	defer r.c.Close()
	snap, err := r.c.SysInfo(ctx, sections...)
	if err != nil {
		return nil, fmt.Errorf("asking the service for the snapshot: %w", err)
	}
	out := &diagOutput{Snapshot: snap}
	if withProbes {
		if out.Probes, err = r.c.Probes(ctx); err != nil {
			return nil, fmt.Errorf("asking the service to run the probes: %w", err)
		}
	}
	return out, nil
}

type localDiag struct{ svc *diag.Service }

func (l *localDiag) collect(ctx context.Context, sections []sysinfo.Section, withProbes bool) (*diagOutput, error) {
	out := &diagOutput{Snapshot: l.svc.Snapshot(ctx, sections, currentIdentity())}
	if withProbes {
		r := l.svc.Probes(ctx)
		out.Probes = &r
	}
	return out, nil
}

// currentIdentity is who runs this command, for the snapshot's user line.
func currentIdentity() localapi.Identity {
	u, err := user.Current()
	if err != nil {
		return localapi.Identity{}
	}
	return localapi.Identity{UID: u.Uid, Username: u.Username}
}
