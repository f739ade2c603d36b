package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/notices"
)

// Key file names keygen writes, as minisign names its own.
const (
	noticeSecretKeyFile = "firstline-notices.key"
	noticePublicKeyFile = "firstline-notices.pub"
)

func noticeCommand() *Command {
	return &Command{
		Name:    "notice",
		Summary: "Make, sign and check IT notices; show what this machine accepted",
		Help: `IT notices are a signed feed: a JSON file and its minisign signature,
served from any static https:// server (notices.feed_url) or dropped into the
drop folder. Typical use:
  firstline-service notice keygen --out ~/notice-keys
  firstline-service notice publish --key ~/notice-keys/firstline-notices.key \
      --feed notices.json --id mail-down --severity critical \
      --title "Email is down" --body "We are on it." --expires 3h --incident
then upload notices.json and notices.json.minisig.`,
		Sub: []*Command{
			noticeKeygenCommand(), noticeNewCommand(), noticeSignCommand(), noticeVerifyCommand(),
			noticePublishCommand(), noticeListCommand(), noticeStatusCommand(),
		},
	}
}

func noticeKeygenCommand() *Command {
	return &Command{
		Name:    "keygen",
		Summary: "Make a minisign key pair for signing notices",
		Help: `Writes firstline-notices.key (the secret key, mode 0600; keep it off the
desktops) and firstline-notices.pub into --out, and prints the line for the
service configuration. minisign reads and writes the same files. With
--password the secret key is encrypted with the password read from the first
line of standard input. An existing key is never overwritten.`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			out := fs.String("out", ".", "folder for the key files")
			withPassword := fs.Bool("password", false, "encrypt the secret key with a password read from standard input")
			return func(ctx context.Context, env *Env, args []string) error {
				if err := noArgs(args); err != nil {
					return err
				}
				var pw []byte
				if *withPassword {
					var err error
					if pw, err = readPassword(os.Stdin); err != nil {
						return withCode(ExitUsage, err)
					}
				}
				secret, pub, err := newKeyPair(pw)
				if err != nil {
					return withCode(ExitFailure, err)
				}
				if err := os.MkdirAll(*out, 0o700); err != nil {
					return withCode(ExitFailure, fmt.Errorf("creating %s: %w", *out, err))
				}
				keyPath := filepath.Join(*out, noticeSecretKeyFile)
				f, err := os.OpenFile(keyPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
				if err != nil {
					return withCode(ExitFailure, fmt.Errorf("writing the secret key (an existing key is never replaced): %w", err))
				}
				if _, err := f.Write(secret); err != nil {
					f.Close()
					return withCode(ExitFailure, fmt.Errorf("writing %s: %w", keyPath, err))
				}
				if err := f.Close(); err != nil {
					return withCode(ExitFailure, fmt.Errorf("writing %s: %w", keyPath, err))
				}
				pubPath := filepath.Join(*out, noticePublicKeyFile)
				if err := writeAtomic(pubPath, pub.MarshalFile(), 0o644); err != nil {
					return withCode(ExitFailure, err)
				}
				fmt.Fprintf(env.Stdout, "Secret key: %s (keep it safe; it signs what every desktop shows)\n", keyPath)
				fmt.Fprintf(env.Stdout, "Public key: %s\n\nAdd to the service configuration, [notices]:\n", pubPath)
				fmt.Fprintf(env.Stdout, "keys = [%q]\n", pub.String())
				return nil
			}
		},
	}
}

func noticeNewCommand() *Command {
	return &Command{
		Name:    "new",
		Summary: "Print a notice as JSON, from flags",
		Help:    `The output is one notice for "notice publish --notice FILE" or a feed's notices list.`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			nf := addNoticeFlags(fs)
			return func(ctx context.Context, env *Env, args []string) error {
				if err := noArgs(args); err != nil {
					return err
				}
				n, err := nf.notice(time.Now())
				if err != nil {
					return withCode(ExitUsage, err)
				}
				return writeJSON(env.Stdout, n)
			}
		},
	}
}

func noticeSignCommand() *Command {
	return &Command{
		Name:    "sign",
		Args:    "FEED",
		Summary: "Sign a feed file: writes FEED.minisig",
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			key := fs.String("key", "", "secret key file (required)")
			return func(ctx context.Context, env *Env, args []string) error {
				if len(args) != 1 || *key == "" {
					return withCode(ExitUsage, errors.New("usage: notice sign --key FILE FEED"))
				}
				k, err := loadSecretKey(*key, os.Stdin)
				if err != nil {
					return withCode(ExitFailure, err)
				}
				data, err := readCapped(args[0], notices.MaxFeedBytes)
				if err != nil {
					return withCode(ExitFailure, err)
				}
				if _, err := notices.DecodeFeed(data); err != nil {
					return withCode(ExitFailure, fmt.Errorf("%s would be refused by every desktop: %w", args[0], err))
				}
				sig, err := signFeed(k, data, args[0], time.Now())
				if err != nil {
					return withCode(ExitFailure, err)
				}
				if err := writeAtomic(args[0]+".minisig", sig, 0o644); err != nil {
					return withCode(ExitFailure, err)
				}
				fmt.Fprintf(env.Stdout, "Signed: %s.minisig\n", args[0])
				return nil
			}
		},
	}
}

func noticeVerifyCommand() *Command {
	return &Command{
		Name:    "verify",
		Args:    "FEED",
		Summary: "Check a feed and its signature as the service would",
		Help: `Exit code 0 when every desktop trusting --pubkey would accept FEED (signed
by FEED.minisig, or --sig), 1 with the reason otherwise.`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			var pubs listFlag
			fs.Var(&pubs, "pubkey", "public key line (RW…) or .pub file (repeatable; required)")
			sigPath := fs.String("sig", "", "signature file (default FEED.minisig)")
			return func(ctx context.Context, env *Env, args []string) error {
				if len(args) != 1 || len(pubs.values) == 0 {
					return withCode(ExitUsage, errors.New("usage: notice verify --pubkey KEY FEED"))
				}
				keys, err := loadPublicKeys(pubs.values)
				if err != nil {
					return withCode(ExitUsage, err)
				}
				if *sigPath == "" {
					*sigPath = args[0] + ".minisig"
				}
				data, err := readCapped(args[0], notices.MaxFeedBytes)
				if err != nil {
					return withCode(ExitFailure, err)
				}
				sig, err := readCapped(*sigPath, notices.MaxSignatureBytes)
				if err != nil && !errors.Is(err, iofs.ErrNotExist) {
					return withCode(ExitFailure, err)
				}
				st, err := notices.Accept(notices.State{}, data, sig, keys, time.Now())
				if err != nil {
					return withCode(ExitFailure, err)
				}
				fmt.Fprintf(env.Stdout, "OK: sequence %d, %d notices, signed by key %s (%s)\n",
					st.Sequence, len(st.Feed.Notices), st.KeyID, st.TrustedComment)
				return nil
			}
		},
	}
}

func noticePublishCommand() *Command {
	return &Command{
		Name:    "publish",
		Summary: "Add or replace a notice in a feed, raise its sequence, sign it",
		Help: `Reads --feed (a missing file starts a new feed), puts the notice in (a notice
with the same id is replaced: employees' read marks stay), removes the notices
that have expired, raises the sequence, and writes the feed and FEED.minisig,
each atomically. Upload both. --remove ID withdraws a notice instead.`,
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			key := fs.String("key", "", "secret key file (required)")
			feedPath := fs.String("feed", "", "feed file (required)")
			from := fs.String("notice", "", "take the notice from this JSON file (from notice new) instead of flags")
			remove := fs.String("remove", "", "withdraw the notice with this id")
			nf := addNoticeFlags(fs)
			return func(ctx context.Context, env *Env, args []string) error {
				if err := noArgs(args); err != nil {
					return err
				}
				if *key == "" || *feedPath == "" {
					return withCode(ExitUsage, errors.New("usage: notice publish --key FILE --feed FEED [notice flags | --notice FILE | --remove ID]"))
				}
				now := time.Now()
				k, err := loadSecretKey(*key, os.Stdin)
				if err != nil {
					return withCode(ExitFailure, err)
				}
				feed, err := readFeed(*feedPath)
				if err != nil {
					return withCode(ExitFailure, err)
				}
				if *remove != "" {
					if !withdraw(feed, *remove, now) {
						return withCode(ExitFailure, fmt.Errorf("no notice %q in %s", *remove, *feedPath))
					}
				} else {
					n, err := noticeFrom(*from, nf, now)
					if err != nil {
						return withCode(ExitUsage, err)
					}
					publishNotice(feed, n, now)
				}
				data, err := encodeFeed(feed)
				if err != nil {
					return withCode(ExitFailure, err)
				}
				sig, err := signFeed(k, data, *feedPath, now)
				if err != nil {
					return withCode(ExitFailure, err)
				}
				if err := writeAtomic(*feedPath, data, 0o644); err != nil {
					return withCode(ExitFailure, err)
				}
				if err := writeAtomic(*feedPath+".minisig", sig, 0o644); err != nil {
					return withCode(ExitFailure, err)
				}
				fmt.Fprintf(env.Stdout, "Published %s: sequence %d, %d notices. Upload %s and %s.minisig.\n",
					*feedPath, feed.Sequence, len(feed.Notices), *feedPath, *feedPath)
				return nil
			}
		},
	}
}

// noticeFrom is the notice of a --notice file, or of the flags.
func noticeFrom(path string, nf *noticeFlags, now time.Time) (notices.Notice, error) {
	if path == "" {
		return nf.notice(now)
	}
	b, err := readCapped(path, notices.MaxFeedBytes)
	if err != nil {
		return notices.Notice{}, err
	}
	// Decoded as a one-notice feed, so the file is held to the schema's
	// strictness (unknown fields, duplicates) and nothing is lost.
	wrapped := fmt.Sprintf(`{"version":1,"sequence":1,"published":%q,"notices":[%s]}`, now.UTC().Format(time.RFC3339), b)
	f, err := notices.DecodeFeed([]byte(wrapped))
	if err != nil {
		return notices.Notice{}, fmt.Errorf("%s: %w", path, err)
	}
	return f.Notices[0], nil
}

// withdraw removes the notice id and the expired ones, and raises the
// sequence; false when id is not there.
func withdraw(f *notices.Feed, id string, now time.Time) bool {
	before := len(f.Notices)
	kept := f.Notices[:0]
	for _, n := range f.Notices {
		if n.ID != id {
			kept = append(kept, n)
		}
	}
	if len(kept) == before {
		return false
	}
	f.Notices = kept
	f.Sequence++
	f.Published = now.UTC().Truncate(time.Second)
	return true
}

func noticeListCommand() *Command {
	return &Command{
		Name:    "list",
		Args:    "FEED",
		Summary: "List the notices of a feed file",
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			return func(ctx context.Context, env *Env, args []string) error {
				if len(args) != 1 {
					return withCode(ExitUsage, errors.New("usage: notice list FEED"))
				}
				data, err := readCapped(args[0], notices.MaxFeedBytes)
				if err != nil {
					return withCode(ExitFailure, err)
				}
				f, err := notices.DecodeFeed(data)
				if err != nil {
					return withCode(ExitFailure, err)
				}
				now := time.Now()
				fmt.Fprintf(env.Stdout, "Sequence %d, published %s\n", f.Sequence, f.Published.Local().Format(time.DateTime))
				tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSEVERITY\tEXPIRES\tTITLE")
				for _, n := range f.Notices {
					exp := "never"
					switch {
					case !n.Active(now):
						exp = "expired"
					case !n.Expires.IsZero():
						exp = n.Expires.Local().Format(time.DateTime)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", n.ID, n.Severity, exp, n.Title)
				}
				return tw.Flush()
			}
		},
	}
}

func noticeStatusCommand() *Command {
	return &Command{
		Name:    "status",
		Summary: "What this machine accepted, the last poll, and why anything was refused",
		setup: func(fs *flag.FlagSet) func(context.Context, *Env, []string) error {
			asJSON := fs.Bool("json", false, "print the status as JSON")
			socket := socketFlag(fs)
			return func(ctx context.Context, env *Env, args []string) error {
				if err := noArgs(args); err != nil {
					return err
				}
				ctx, cancel := context.WithTimeout(ctx, spoolTimeout)
				defer cancel()
				c := localapi.NewClient(*socket)
				defer c.Close()
				st, err := c.NoticeStatus(ctx)
				switch {
				case localapi.IsCode(err, localapi.CodeNotFound):
					return withCode(ExitFailure, errors.New("IT notices are off on this machine: [notices] keys is empty"))
				case err != nil:
					return spoolError(err, *socket, "notice status")
				}
				if *asJSON {
					return writeJSON(env.Stdout, st)
				}
				writeNoticeStatus(env, st)
				return nil
			}
		},
	}
}

func writeNoticeStatus(env *Env, st *localapi.NoticeStatus) {
	w := env.Stdout
	at := func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return t.Local().Format(time.DateTime)
	}
	fmt.Fprintf(w, "Notices in force here: %d\n", st.Active)
	if st.FeedURL == "" {
		fmt.Fprintln(w, "Feed: none configured (notices.feed_url)")
	} else {
		fmt.Fprintf(w, "Feed: %s\n", st.FeedURL)
		fmt.Fprintf(w, "  accepted: sequence %d, %d notices, key %s, at %s\n", st.Sequence, st.FeedNotices, orDash(st.KeyID), at(st.AcceptedAt))
		fmt.Fprintf(w, "  last poll: %s, %s\n", at(st.LastPoll), orDash(st.LastOutcome))
		if st.LastError != "" {
			fmt.Fprintf(w, "  REFUSED/FAILED (%d in a row): %s\n", st.Failures, st.LastError)
		}
	}
	for _, r := range st.Responses {
		fmt.Fprintf(w, "  %s: seen by %d, acknowledged by %d, \"me too\" from %d, dismissed by %d; %d responses reported to IT\n",
			r.ID, r.Seen, r.Acked, r.MeToo, r.Dismissed, r.Sent)
	}
	fmt.Fprintf(w, "Drop folder: %s\n", st.DropDir)
	if st.DropError != "" {
		fmt.Fprintf(w, "  REFUSED: %s\n", st.DropError)
	}
	for _, f := range st.DropFiles {
		if f.Error != "" {
			fmt.Fprintf(w, "  %s: REFUSED: %s\n", f.Name, f.Error)
			continue
		}
		fmt.Fprintf(w, "  %s: accepted, sequence %d, %d notices, key %s\n", f.Name, f.Sequence, f.Notices, f.KeyID)
	}
}
