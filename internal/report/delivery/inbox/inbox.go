package inbox

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/privdir"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/report/delivery/eml"
)

// Config is the inbox backend's table.
type Config struct {
	// Dir is the folder the reports are written to; it must be absolute.
	Dir string `toml:"dir"`
	// From is the From address of the .eml files; default
	// "Firstline <firstline@localhost>".
	From string `toml:"from"`
	// To are the To addresses of the .eml files; default
	// ["IT <helpdesk@localhost>"].
	To []string `toml:"to"`
}

// Defaults for the .eml headers: the inbox is often a developer's folder,
// where no real addresses exist.
const (
	DefaultFrom = "Firstline <firstline@localhost>"
	DefaultTo   = "IT <helpdesk@localhost>"
)

// Validate checks the configuration; problem keys are relative to the
// backend's table (see delivery.Qualify).
func (c Config) Validate() error {
	var p delivery.Problems
	switch {
	case c.Dir == "":
		p.Add("dir", "is empty; name the folder reports are written to")
	case !filepath.IsAbs(c.Dir):
		p.Add("dir", "%q is not an absolute path", c.Dir)
	}
	if c.From != "" {
		p.Address("from", c.From)
	}
	for i, to := range c.To {
		p.Address(fmt.Sprintf("to[%d]", i), to)
	}
	return p.Err()
}

// Options are the parts of an Inbox that do not come from its table.
type Options struct {
	// Name is the destination's name (default "inbox").
	Name   string
	Logger *slog.Logger
}

// Inbox is the backend. It is safe for concurrent use.
type Inbox struct {
	name string
	dir  string
	from *mail.Address
	to   []*mail.Address
	log  *slog.Logger
	mu   sync.Mutex // serialises the look-then-write of a delivery
}

var _ delivery.Backend = (*Inbox)(nil)

// New returns an inbox writing to cfg.Dir. The folder is created on the
// first delivery, so a missing one does not stop the service starting.
func New(cfg Config, opts Options) (*Inbox, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Name == "" {
		opts.Name = "inbox"
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.From == "" {
		cfg.From = DefaultFrom
	}
	if len(cfg.To) == 0 {
		cfg.To = []string{DefaultTo}
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("inbox from: %w", err)
	}
	to, err := mail.ParseAddressList(strings.Join(cfg.To, ", "))
	if err != nil {
		return nil, fmt.Errorf("inbox to: %w", err)
	}
	return &Inbox{name: opts.Name, dir: filepath.Clean(cfg.Dir), from: from, to: to, log: opts.Logger}, nil
}

// Name implements delivery.Backend.
func (in *Inbox) Name() string { return in.name }

// Deliver writes m as NAME.json and NAME.eml, unless NAME.eml of this key
// is there already.
func (in *Inbox) Deliver(ctx context.Context, m delivery.Message) (delivery.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return delivery.Receipt{}, err
	}
	raw, err := eml.Build(&m, in.from, in.to)
	if err != nil {
		return delivery.Receipt{}, delivery.Permanent(fmt.Errorf("%s: %w", in.name, err))
	}
	doc, err := document(&m)
	if err != nil {
		return delivery.Receipt{}, delivery.Permanent(fmt.Errorf("%s: %w", in.name, err))
	}

	in.mu.Lock()
	defer in.mu.Unlock()
	if err := privdir.MkdirAll(in.dir); err != nil {
		return delivery.Receipt{}, in.fail(err)
	}
	base, exists, err := in.slot(&m)
	if err != nil {
		return delivery.Receipt{}, in.fail(err)
	}
	emlPath := filepath.Join(in.dir, base+".eml")
	if exists {
		in.log.DebugContext(ctx, "report already in the inbox", "reference", m.Reference, "file", emlPath)
		return in.receipt(base, emlPath), nil
	}
	if err := writeAtomic(in.dir, base+".json", doc); err != nil {
		return delivery.Receipt{}, in.fail(err)
	}
	if err := writeAtomic(in.dir, base+".eml", raw); err != nil {
		return delivery.Receipt{}, in.fail(err)
	}
	in.log.InfoContext(ctx, "report written to the inbox", "reference", m.Reference, "file", emlPath)
	return in.receipt(base, emlPath), nil
}

// fail classifies a file system error. A full disk or a folder being
// repaired may clear up; a folder the service may not write will not.
func (in *Inbox) fail(err error) error {
	err = fmt.Errorf("%s: %w", in.name, err)
	if errors.Is(err, fs.ErrPermission) {
		return delivery.Permanent(err)
	}
	return delivery.Transient(err, 0)
}

func (in *Inbox) receipt(base, path string) delivery.Receipt {
	return delivery.Receipt{TicketID: base, TicketURL: fileURL(path)}
}

// slot picks the file name (without extension) for m and reports whether
// m is already stored under it: REFERENCE, unless that holds another
// report, then REFERENCE-KEYPREFIX, then REFERENCE-KEY.
func (in *Inbox) slot(m *delivery.Message) (base string, exists bool, err error) {
	candidates := []string{m.Reference, m.Reference + "-" + m.Key[:8], m.Reference + "-" + m.Key}
	for _, base := range candidates {
		key, err := storedKey(filepath.Join(in.dir, base+".eml"))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return base, false, nil
		case err != nil:
			return "", false, err
		case strings.EqualFold(key, m.Key):
			return base, true, nil
		}
	}
	return "", false, fmt.Errorf("%s.eml and its alternatives hold other reports", m.Reference)
}

// maxHeader bounds how much of an existing .eml is read to find its key.
const maxHeader = 64 << 10

// storedKey returns the X-Firstline-Key of the message file at path. A
// file that is not a regular file (a symlink planted in the folder) is an
// error rather than something to follow.
func storedKey(path string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	msg, err := mail.ReadMessage(bufio.NewReader(io.LimitReader(f, maxHeader)))
	if err != nil {
		// Not a message of ours: treat it as taken by another report.
		return "", nil
	}
	return msg.Header.Get("X-Firstline-Key"), nil
}

// document is the .json file: the report's own JSON when the spool gave
// one, otherwise a summary of the message without attachment data.
func document(m *delivery.Message) ([]byte, error) {
	if len(m.JSON) > 0 {
		return append([]byte(nil), m.JSON...), nil
	}
	type attachment struct {
		Name        string `json:"name"`
		ContentType string `json:"content_type"`
		Size        int    `json:"size"`
	}
	doc := struct {
		Key         string            `json:"key"`
		Reference   string            `json:"reference"`
		Subject     string            `json:"subject"`
		Text        string            `json:"text"`
		Summary     string            `json:"summary"`
		Fields      map[string]string `json:"fields,omitempty"`
		Reporter    delivery.Reporter `json:"reporter"`
		Attachments []attachment      `json:"attachments,omitempty"`
		CreatedAt   time.Time         `json:"created_at"`
	}{m.Key, m.Reference, m.Subject, m.Text, m.Summary, m.Fields, m.Reporter, nil, m.CreatedAt}
	for i, a := range m.Attachments {
		doc.Attachments = append(doc.Attachments, attachment{a.FileName(i), a.MediaType(), len(a.Data)})
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding the report: %w", err)
	}
	return append(b, '\n'), nil
}

// fileURL is path as a file:// URL; Windows paths get the leading slash
// file URLs need ("file:///C:/...").
func fileURL(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
