package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/localapi/transport"
	"github.com/firstline-it/firstline/internal/report"
)

// spoolTimeout bounds one spool command's requests.
const spoolTimeout = 30 * time.Second

func spoolCommand() *Command {
	return &Command{
		Name:    "spool",
		Summary: "List, show and retry the reports the service keeps until delivered",
		Sub:     []*Command{spoolListCommand(), spoolShowCommand(), spoolRetryCommand()},
	}
}

// socketFlag is the --socket flag every spool command has.
func socketFlag(fs *flag.FlagSet) *string {
	return fs.String("socket", transport.DefaultPath, "LocalAPI socket of the service")
}

func spoolListCommand() *Command {
	return &Command{
		Name:    "list",
		Summary: "List reports: reference, owner, received, state, ticket",
		Help: `Lists your own reports, newest first; --all lists every user's (root or an
Administrator only). Delivered reports stay listed for reports.keep_delivered.
Exit code 0, 1 when the service does not answer, 77 for --all without rights.`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			asJSON := fs.Bool("json", false, "print the records as JSON")
			all := fs.Bool("all", false, "every user's reports (administrators)")
			socket := socketFlag(fs)
			return func(ctx context.Context, env *Env, args []string) error {
				if err := noArgs(args); err != nil {
					return err
				}
				ctx, cancel := context.WithTimeout(ctx, spoolTimeout)
				defer cancel()
				c := localapi.NewClient(*socket)
				defer c.Close()
				recs, err := c.Reports(ctx, *all)
				if err != nil {
					return spoolError(err, *socket, "spool list --all")
				}
				if *asJSON {
					return writeJSON(env.Stdout, recs)
				}
				writeSpoolTable(env.Stdout, recs, time.Local)
				return nil
			}
		},
	}
}

func spoolShowCommand() *Command {
	return &Command{
		Name:    "show",
		Args:    "KEY|FL-REF",
		Summary: "Show every field of a report and its state at each destination",
		Help: `Takes the report's key or its reference (FL-XXXXX, any case). A reference is
looked up among your reports (every user's for an administrator); if several
share it, all are shown.`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			asJSON := fs.Bool("json", false, "print the records as JSON")
			socket := socketFlag(fs)
			return func(ctx context.Context, env *Env, args []string) error {
				ctx, cancel := context.WithTimeout(ctx, spoolTimeout)
				defer cancel()
				c := localapi.NewClient(*socket)
				defer c.Close()
				recs, err := findReports(ctx, c, args, *socket)
				if err != nil {
					return err
				}
				if *asJSON {
					return writeJSON(env.Stdout, recs)
				}
				for i, rec := range recs {
					if i > 0 {
						fmt.Fprintln(env.Stdout)
					}
					writeRecord(env.Stdout, rec, time.Local)
				}
				return nil
			}
		},
	}
}

func spoolRetryCommand() *Command {
	return &Command{
		Name:    "retry",
		Args:    "KEY|FL-REF",
		Summary: "Send a report again now, after fixing what stopped it (administrators)",
		Help: `Puts every destination of the report that needs attention or waits for its
next try back in the queue for an attempt now. Run it as root or an
Administrator. Exit code 0 when queued, 1 when the report is not found, 77
without rights.`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			socket := socketFlag(fs)
			return func(ctx context.Context, env *Env, args []string) error {
				ctx, cancel := context.WithTimeout(ctx, spoolTimeout)
				defer cancel()
				c := localapi.NewClient(*socket)
				defer c.Close()
				recs, err := findReports(ctx, c, args, *socket)
				if err != nil {
					return err
				}
				if len(recs) > 1 {
					var keys []string
					for _, r := range recs {
						keys = append(keys, r.Key.String())
					}
					return withCode(ExitUsage, fmt.Errorf("%d reports carry %s; name one by its key: %s",
						len(recs), recs[0].Reference, strings.Join(keys, ", ")))
				}
				rec, err := c.RetryReport(ctx, recs[0].Key)
				if err != nil {
					return spoolError(err, *socket, "spool retry")
				}
				fmt.Fprintf(env.Stdout, "%s: queued again: %s\n", rec.Reference, rec.Phrase())
				return nil
			}
		},
	}
}

// findReports resolves the one argument, a key or a reference, to the
// reports it names.
func findReports(ctx context.Context, c *localapi.Client, args []string, socket string) ([]report.Record, error) {
	if len(args) != 1 {
		return nil, withCode(ExitUsage, errors.New("name one report by its key or its reference (FL-XXXXX)"))
	}
	if key, err := report.ParseKey(args[0]); err == nil {
		rec, err := c.Report(ctx, key)
		if err != nil {
			return nil, spoolError(err, socket, "")
		}
		return []report.Record{*rec}, nil
	}
	ref, err := report.ParseReference(args[0])
	if err != nil {
		return nil, withCode(ExitUsage, fmt.Errorf("%q is neither a report key nor a reference like FL-7K3Q2", args[0]))
	}
	st, err := c.Status(ctx)
	if err != nil {
		return nil, spoolError(err, socket, "")
	}
	recs, err := c.Reports(ctx, st.Caller.Admin)
	if err != nil {
		return nil, spoolError(err, socket, "")
	}
	var found []report.Record
	for _, r := range recs {
		if r.Reference == ref {
			found = append(found, r)
		}
	}
	if len(found) == 0 {
		return nil, withCode(ExitFailure, fmt.Errorf("no report %s", ref))
	}
	return found, nil
}

// spoolError turns a LocalAPI error into a message and exit code; what
// names the command that needs rights.
func spoolError(err error, socket, what string) error {
	switch {
	case errors.Is(err, localapi.ErrUnreachable):
		return withCode(ExitFailure, fmt.Errorf("the Firstline service is not running (nothing answers at %s)", socket))
	case localapi.IsCode(err, localapi.CodePermissionDenied):
		return withCode(ExitNoPermission, fmt.Errorf("%s needs root: run it with sudo (an Administrator on Windows)", what))
	case localapi.IsCode(err, localapi.CodeNotFound):
		return withCode(ExitFailure, errors.New("no such report"))
	}
	return withCode(ExitFailure, err)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

// stateWidth keeps the table to a line per report; spool show has the
// whole text.
const stateWidth = 60

// writeSpoolTable prints one line per report.
func writeSpoolTable(w io.Writer, recs []report.Record, loc *time.Location) {
	if len(recs) == 0 {
		fmt.Fprintln(w, "No reports.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REFERENCE\tOWNER\tRECEIVED\tSTATE\tTICKET")
	for _, r := range recs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Reference, owner(r.Owner), r.ReceivedAt.In(loc).Format("2006-01-02 15:04"),
			shorten(r.Phrase(), stateWidth), ticket(r.State))
	}
	tw.Flush()
}

// writeRecord prints every field of a record and of each destination.
func writeRecord(w io.Writer, r report.Record, loc *time.Location) {
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", label, value)
		}
	}
	at := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("2006-01-02 15:04:05 -07:00")
	}
	line("Reference", string(r.Reference))
	line("Key", r.Key.String())
	if r.Owner.Name != "" {
		line("Owner", r.Owner.Name+" (uid "+r.Owner.UID+")")
	} else {
		line("Owner", "uid "+r.Owner.UID)
	}
	line("Created", at(r.CreatedAt))
	line("Received", at(r.ReceivedAt))
	line("Severity", string(r.Severity))
	line("Category", r.Category)
	line("Title", r.Title)
	if c := r.Callback; c.Method != "" || c.Number != "" || c.When != "" {
		line("Callback", strings.Join(nonEmpty(string(c.Method), c.Number, c.When), ", "))
	}
	line("Size", size(r.Size))
	for i, a := range r.Attachments {
		label := ""
		if i == 0 {
			label = "Attachments"
		}
		fmt.Fprintf(tw, "%s\t%s (%s, %s, %s)\n", colon(label), a.Name, orDash(a.ContentType), a.Kind, size(a.Size))
	}
	line("State", r.Phrase())
	line("Broken", r.State.Broken)
	if !r.ArchivedAt.IsZero() {
		line("Archived", at(r.ArchivedAt)+" (content removed after delivery)")
	}
	if len(r.State.Destinations) == 0 {
		line("Destinations", "none yet (not routed)")
	}
	for _, d := range r.State.Destinations {
		fmt.Fprintf(tw, "Destination %s:\t%s\n", d.Name, d.State)
		sub := func(label, value string) {
			if value != "" {
				fmt.Fprintf(tw, "  %s:\t%s\n", label, value)
			}
		}
		sub("attempts", strconv.Itoa(d.Attempts))
		sub("last attempt", at(d.LastAttempt))
		sub("next attempt", at(d.NextAttempt))
		sub("last error", d.LastError)
		if d.Offline {
			sub("offline", "yes (no network on the last attempt)")
		}
		sub("ticket", strings.TrimSpace(d.TicketID+" "+d.TicketURL))
		sub("remote status", d.RemoteStatus)
		sub("delivered", at(d.DeliveredAt))
	}
	tw.Flush()
}

func owner(o report.Owner) string {
	if o.Name != "" {
		return o.Name
	}
	return "uid " + o.UID
}

// ticket names what the helpdesk made of the report, once it has it.
func ticket(st report.State) string {
	for _, d := range st.Destinations {
		if d.State == report.Delivered {
			if d.TicketID == "" {
				return d.Name
			}
			return d.Name + " " + d.TicketID
		}
	}
	return "-"
}

func size(n int64) string {
	switch {
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func nonEmpty(vals ...string) []string {
	var out []string
	for _, v := range vals {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func colon(label string) string {
	if label == "" {
		return ""
	}
	return label + ":"
}
