package cli

import (
	"bufio"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/notices"
	"github.com/firstline-it/firstline/internal/notices/minisign"
)

// Notice files IT handles with the notice commands: the feed, its
// signature, the key pair. Reading is capped at the sizes the service
// accepts, so a file the service would refuse is refused here first.

// noticeFlags are the flags that describe one notice (new, publish).
type noticeFlags struct {
	id, severity, title, body, expires string
	ack, incident                      bool
	os, hosts, groups, links           listFlag
}

// listFlag collects a repeatable flag; commas separate values too, except
// in links, whose titles may hold commas.
type listFlag struct {
	values []string
	split  bool
}

func (l *listFlag) String() string { return strings.Join(l.values, ",") }

func (l *listFlag) Set(v string) error {
	if !l.split {
		l.values = append(l.values, v)
		return nil
	}
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			l.values = append(l.values, p)
		}
	}
	return nil
}

func addNoticeFlags(fs *flag.FlagSet) *noticeFlags {
	f := &noticeFlags{os: listFlag{split: true}, hosts: listFlag{split: true}, groups: listFlag{split: true}}
	fs.StringVar(&f.id, "id", "", "notice id: letters, digits, '.', '_', '-' (required)")
	fs.StringVar(&f.severity, "severity", "info", "info, warning or critical")
	fs.StringVar(&f.title, "title", "", "one-line title, at most 120 characters (required)")
	fs.StringVar(&f.body, "body", "", `plain text body, at most 4000 characters; "\n" starts a line`)
	fs.StringVar(&f.expires, "expires", "", "when it disappears: a duration from now (2h, 90m) or an RFC 3339 time")
	fs.BoolVar(&f.ack, "ack", false, "ask the employee to acknowledge it")
	fs.BoolVar(&f.incident, "incident", false, `an incident: offer "this affects me too"`)
	fs.Var(&f.os, "os", "only on these systems: linux, windows, macos (repeatable)")
	fs.Var(&f.hosts, "host", "only on host names matching these patterns, like lab-* (repeatable)")
	fs.Var(&f.groups, "group", "only on machines in these groups of the config (repeatable)")
	fs.Var(&f.links, "link", `a link, "Title|https://…" (repeatable, at most 5)`)
	return f
}

// notice builds and checks the notice the flags describe.
func (f *noticeFlags) notice(now time.Time) (notices.Notice, error) {
	n := notices.Notice{
		ID: f.id, Severity: notices.Severity(f.severity), Title: f.title,
		Body:    strings.ReplaceAll(f.body, `\n`, "\n"),
		Created: now.UTC().Truncate(time.Second), RequireAck: f.ack, Incident: f.incident,
		Target: notices.Target{OS: f.os.values, Hostnames: f.hosts.values, Groups: f.groups.values},
	}
	if f.expires != "" {
		exp, err := parseExpiry(f.expires, now)
		if err != nil {
			return n, err
		}
		n.Expires = exp
	}
	for _, l := range f.links.values {
		title, u, ok := strings.Cut(l, "|")
		if !ok {
			return n, fmt.Errorf("--link %q: want \"Title|https://…\"", l)
		}
		n.Links = append(n.Links, notices.Link{Title: strings.TrimSpace(title), URL: strings.TrimSpace(u)})
	}
	if err := n.Validate(); err != nil {
		return n, fmt.Errorf("the notice is not valid: %w", err)
	}
	return n, nil
}

// parseExpiry reads "2h" (from now) or an RFC 3339 time.
func parseExpiry(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil {
		if d <= 0 {
			return time.Time{}, fmt.Errorf("--expires %q: the duration must be positive", s)
		}
		return now.UTC().Add(d).Truncate(time.Second), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--expires %q: want a duration like 2h or an RFC 3339 time like 2025-03-01T18:00:00Z", s)
	}
	return t.UTC(), nil
}

// readCapped reads a file of at most limit bytes.
func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return b, nil
}

// loadSecretKey reads a minisign secret key; an encrypted one takes its
// password from the first line of stdin.
func loadSecretKey(path string, stdin io.Reader) (minisign.PrivateKey, error) {
	b, err := readCapped(path, 4096)
	if err != nil {
		return minisign.PrivateKey{}, fmt.Errorf("reading the secret key: %w", err)
	}
	k, err := minisign.ParsePrivateKey(b, nil)
	if errors.Is(err, minisign.ErrPasswordRequired) {
		var pw []byte
		if pw, err = readPassword(stdin); err == nil {
			k, err = minisign.ParsePrivateKey(b, pw)
		}
	}
	if err != nil {
		return minisign.PrivateKey{}, fmt.Errorf("the secret key %s: %w", path, err)
	}
	return k, nil
}

func readPassword(stdin io.Reader) ([]byte, error) {
	line, err := bufio.NewReader(io.LimitReader(stdin, 1024)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading the password from standard input: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return nil, errors.New("no password on standard input")
	}
	return []byte(pw), nil
}

// loadPublicKeys takes each argument as a key line ("RW…") or a .pub file.
func loadPublicKeys(args []string) ([]minisign.PublicKey, error) {
	var keys []minisign.PublicKey
	for _, a := range args {
		text := a
		if !strings.HasPrefix(a, "RW") {
			b, err := readCapped(a, 4096)
			if err != nil {
				return nil, fmt.Errorf("reading the public key: %w", err)
			}
			text = string(b)
		}
		k, err := minisign.ParsePublicKey(text)
		if err != nil {
			return nil, fmt.Errorf("public key %s: %w", a, err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// signFeed signs data the way "minisign -S" does, naming the file in the
// trusted comment.
func signFeed(k minisign.PrivateKey, data []byte, name string, now time.Time) ([]byte, error) {
	return minisign.Sign(k, data, minisign.SignOptions{FileName: filepath.Base(name), Time: now})
}

// readFeed reads a feed file for publishing: a missing file is an empty
// feed. The signature is not checked: the file is IT's own working copy.
func readFeed(path string) (*notices.Feed, error) {
	b, err := readCapped(path, notices.MaxFeedBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return &notices.Feed{Version: notices.FeedVersion, Notices: []notices.Notice{}}, nil
	}
	if err != nil {
		return nil, err
	}
	f, err := notices.DecodeFeed(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// publishNotice adds n to f (replacing a notice of the same id), drops the
// notices that expired, raises the sequence and stamps the time.
func publishNotice(f *notices.Feed, n notices.Notice, now time.Time) {
	f.Notices = slices.DeleteFunc(f.Notices, func(o notices.Notice) bool { return o.ID == n.ID || !o.Active(now) })
	f.Notices = append(f.Notices, n)
	f.Sequence++
	f.Version = notices.FeedVersion
	f.Published = now.UTC().Truncate(time.Second)
}

// encodeFeed writes the feed as the service reads it, refusing what it
// would refuse.
func encodeFeed(f *notices.Feed) ([]byte, error) {
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("the feed is not valid: %w", err)
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding the feed: %w", err)
	}
	b = append(b, '\n')
	if len(b) > notices.MaxFeedBytes {
		return nil, fmt.Errorf("the feed would be %d bytes; the limit is %d", len(b), notices.MaxFeedBytes)
	}
	return b, nil
}

// writeAtomic replaces path with data: a temporary file beside it, synced
// and renamed, so a web server never serves half a file.
func writeAtomic(path string, data []byte, perm os.FileMode) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(perm); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// newKeyPair makes a key pair; with a password the secret key is
// encrypted as minisign does (scrypt, 1 GiB).
func newKeyPair(password []byte) (secret []byte, pub minisign.PublicKey, err error) {
	k, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		return nil, pub, fmt.Errorf("making a key: %w", err)
	}
	if password == nil {
		return k.MarshalFile(), k.Public(), nil
	}
	secret, err = k.MarshalEncryptedFile(rand.Reader, password, minisign.DefaultKDF())
	return secret, k.Public(), err
}
