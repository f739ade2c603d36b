package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/fixes/audit"
)

func auditCommand() *Command {
	return &Command{
		Name:    "audit",
		Summary: "Show the audit log of fix runs and refusals (root/administrators)",
		Help: `Reads the audit log the service writes ([fixes] audit_log, by default
fixes-audit.log in the state folder) and its rotated files, oldest first:
who ran which fix, when, the result, the step that failed and why a request
was refused. The file is readable by root (Administrators) only.
--since takes a Go duration or days: 36h, 7d.
Exit code 0, 77 without rights, 78 when the configuration cannot be read.`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			who := fs.String("user", "", "only this user's records (name or uid/SID)")
			fixID := fs.String("fix", "", "only runs of this fix")
			since := fs.String("since", "", "only records of this recent period (36h, 7d)")
			asJSON := fs.Bool("json", false, "print the records as JSON")
			file := fs.String("file", "", "audit log to read (default: from the configuration)")
			cfgPath := fs.String("config", config.DefaultPath(), "configuration naming the audit log")
			return func(ctx context.Context, env *Env, args []string) error {
				if err := noArgs(args); err != nil {
					return err
				}
				filter := audit.Filter{FixID: *fixID}
				if *since != "" {
					d, err := parseSince(*since)
					if err != nil {
						return withCode(ExitUsage, err)
					}
					filter.Since = time.Now().Add(-d)
				}
				path := *file
				if path == "" {
					loaded, err := config.Load(config.Options{Path: *cfgPath})
					if err != nil {
						return withCode(ExitConfig, fmt.Errorf("finding the audit log: %w", err))
					}
					path = loaded.Config.Fixes.AuditPath(loaded.Config.Service.StateDir)
				}
				recs, err := audit.Read(path, filter, nil)
				switch {
				case errors.Is(err, iofs.ErrPermission):
					return withCode(ExitNoPermission, fmt.Errorf("the audit log %s is readable by root only: run audit with sudo (an Administrator on Windows)", path))
				case err != nil:
					return withCode(ExitFailure, err)
				}
				recs = byUser(recs, *who)
				if *asJSON {
					if recs == nil {
						recs = []audit.Record{}
					}
					return writeJSON(env.Stdout, recs)
				}
				if len(recs) == 0 {
					fmt.Fprintf(env.Stdout, "No matching records in %s.\n", path)
					return nil
				}
				writeAuditTable(env.Stdout, recs, time.Local)
				return nil
			}
		},
	}
}

// parseSince reads a duration, also in whole days ("7d").
func parseSince(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 100*365 {
			return 0, fmt.Errorf("--since %q: not a number of days", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("--since %q: not a duration like 36h or 7d", s)
	}
	return d, nil
}

// byUser keeps the records of who, named by account name (any case) or
// uid/SID; "" keeps all.
func byUser(recs []audit.Record, who string) []audit.Record {
	if who == "" {
		return recs
	}
	var out []audit.Record
	for _, r := range recs {
		if r.UID == who || strings.EqualFold(r.User, who) {
			out = append(out, r)
		}
	}
	return out
}

func writeAuditTable(w io.Writer, recs []audit.Record, loc *time.Location) {
	rows := [][]string{{"TIME", "USER", "FIX", "RESULT", "STEP", "REASON"}}
	for _, r := range recs {
		user := r.User
		if user == "" {
			user = "uid " + r.UID
		}
		result := r.Result
		if r.Code != "" {
			result += " (" + r.Code + ")"
		}
		step := "-"
		if r.FailedStep > 0 {
			step = strconv.Itoa(r.FailedStep)
		}
		at := r.Start
		if at.IsZero() {
			at = r.Time
		}
		rows = append(rows, []string{at.In(loc).Format(time.DateTime), oneLine(user), oneLine(r.FixID), result, step, oneLine(r.Reason)})
	}
	widths := make([]int, len(rows[0])-1)
	for _, row := range rows {
		for i := range widths {
			widths[i] = max(widths[i], len(row[i]))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, cell := range row[:len(widths)] {
			fmt.Fprintf(&b, "%-*s  ", widths[i], cell)
		}
		b.WriteString(orDash(row[len(widths)]))
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// oneLine keeps a reason on its table row: the audit log holds what a
// hostile caller sent, shortened, and it must not forge rows.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return shorten(s, 100)
}
