package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/localapi/transport"
	"github.com/firstline-it/firstline/internal/report"
)

// submitTimeout bounds a submission: the service answers once the report
// is on disk, which takes milliseconds, but a large report over a busy
// machine may take a while.
const submitTimeout = time.Minute

// snapshotTimeout bounds asking the service for the system snapshot.
const snapshotTimeout = 15 * time.Second

func reportCommand() *Command {
	return &Command{
		Name:    "report",
		Summary: "Send a report to IT from scripts, kiosks and headless machines",
		Sub:     []*Command{reportSubmitCommand()},
	}
}

// attachList is the repeatable --attach flag.
type attachList []string

func (a *attachList) String() string     { return strings.Join(*a, ",") }
func (a *attachList) Set(v string) error { *a = append(*a, v); return nil }

func reportSubmitCommand() *Command {
	return &Command{
		Name:    "submit",
		Summary: "Submit a report as the calling user; prints its reference (FL-XXXXX)",
		Help: `Runs as whoever calls it: the service takes the user from the kernel, never
from the command line. Attached files are read here, by the calling user, and
sent as content (at most 10 MiB each, 10 files): the service never opens a path.
The system snapshot the service collects is attached unless --no-sysinfo.

Prints the reference on stdout once the report is saved by the service (it is
then delivered in the background; "firstline-service spool list" shows how
far). Exit code 0 when saved, 1 when not (the service is not running, a file
cannot be read, or the service refused the report: the message says why), 2
for bad flags.`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			text := fs.String("text", "", "what is wrong, in your words (required)")
			category := fs.String("category", "", "category id, such as printing or vpn")
			severity := fs.String("severity", string(report.SeveritySlowed), "blocked (can't work), slowed or question")
			var attach attachList
			fs.Var(&attach, "attach", "a file to send with the report (repeat for more)")
			noSysinfo := fs.Bool("no-sysinfo", false, "do not attach the system snapshot")
			socket := fs.String("socket", transport.DefaultPath, "LocalAPI socket of the service")
			return func(ctx context.Context, env *Env, args []string) error {
				if err := noArgs(args); err != nil {
					return err
				}
				sub, err := buildSubmission(*text, *category, *severity, attach, report.DefaultLimits(), time.Now())
				var ee *exitError
				switch {
				case errors.As(err, &ee):
					return err
				case err != nil:
					return withCode(ExitUsage, err)
				}
				c := localapi.NewClient(*socket)
				defer c.Close()
				if !*noSysinfo {
					sub.Snapshot = snapshot(ctx, env, c)
				}
				sctx, cancel := context.WithTimeout(ctx, submitTimeout)
				defer cancel()
				res, err := c.SubmitReport(sctx, &sub)
				if err != nil {
					return submitError(err, *socket)
				}
				fmt.Fprintln(env.Stdout, res.Record.Reference)
				fmt.Fprintf(env.Stderr, "firstline-service: report %s saved: %s (key %s)\n", res.Record.Reference, res.Record.Phrase(), res.Record.Key)
				return nil
			}
		},
	}
}

// buildSubmission makes the submission the flags describe, reading the
// attachments (as the calling user) within limits.
func buildSubmission(text, category, severity string, attach []string, l report.Limits, now time.Time) (report.Submission, error) {
	if strings.TrimSpace(text) == "" {
		return report.Submission{}, errors.New("--text is required: say in a few words what is wrong")
	}
	if !slices.Contains(report.Severities(), report.Severity(severity)) {
		return report.Submission{}, fmt.Errorf("--severity %q is not one of blocked, slowed, question", severity)
	}
	if len(attach) > l.Attachments {
		return report.Submission{}, fmt.Errorf("%d files attached; at most %d may be", len(attach), l.Attachments)
	}
	s := report.Submission{
		Key: report.NewKey(now), CreatedAt: now, Text: text,
		Category: category, Severity: report.Severity(severity),
	}
	for _, path := range attach {
		a, err := readAttachment(path, l)
		if err != nil {
			return report.Submission{}, withCode(ExitFailure, fmt.Errorf("%w; the report was NOT sent", err))
		}
		s.Attachments = append(s.Attachments, a)
	}
	if err := s.Validate(l); err != nil {
		return report.Submission{}, fmt.Errorf("the report would be refused: %w", err)
	}
	return s, nil
}

// readAttachment reads one regular file, refusing one over the size cap
// without reading it all.
func readAttachment(path string, l report.Limits) (report.Attachment, error) {
	f, err := os.Open(path)
	if err != nil {
		return report.Attachment{}, fmt.Errorf("attaching %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return report.Attachment{}, fmt.Errorf("attaching %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return report.Attachment{}, fmt.Errorf("attaching %s: not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, l.AttachmentBytes+1))
	if err != nil {
		return report.Attachment{}, fmt.Errorf("attaching %s: %w", path, err)
	}
	if int64(len(data)) > l.AttachmentBytes {
		return report.Attachment{}, fmt.Errorf("attaching %s: the file is larger than %d MiB, the most one attachment may be", path, l.AttachmentBytes>>20)
	}
	name := report.SanitizeName(filepath.Base(path), l.NameBytes)
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".log" {
		// Plain text, whatever the system's MIME table says, so IT's
		// tools show it.
		return report.Attachment{Name: name, ContentType: "text/plain; charset=utf-8", Kind: report.KindLog, Data: data}, nil
	}
	ct := mime.TypeByExtension(ext)
	if ct == "" {
		ct = http.DetectContentType(data)
	}
	return report.Attachment{Name: name, ContentType: ct, Kind: report.KindFile, Data: data}, nil
}

// snapshot asks the service for the system snapshot to attach; a report
// goes without one rather than not at all.
func snapshot(ctx context.Context, env *Env, c *localapi.Client) json.RawMessage {
	ctx, cancel := context.WithTimeout(ctx, snapshotTimeout)
	defer cancel()
	snap, err := c.SysInfo(ctx)
	if err == nil {
		b, merr := json.Marshal(snap)
		if merr == nil && len(b) <= report.DefaultLimits().SnapshotBytes {
			return b
		}
		err = merr
	}
	if !errors.Is(err, localapi.ErrUnreachable) {
		fmt.Fprintf(env.Stderr, "firstline-service: sending the report without a system snapshot: %v\n", err)
	}
	return nil
}

// submitError says why a report was not saved, in words for whoever runs
// the command.
func submitError(err error, socket string) error {
	var le *localapi.Error
	switch {
	case errors.Is(err, localapi.ErrUnreachable):
		return withCode(ExitFailure, fmt.Errorf("the Firstline service is not running (nothing answers at %s); the report was NOT sent", socket))
	case errors.As(err, &le):
		return withCode(ExitFailure, fmt.Errorf("the service refused the report (%s): %s", le.Code, le.Message))
	}
	return withCode(ExitFailure, fmt.Errorf("the report was NOT sent: %w", err))
}
