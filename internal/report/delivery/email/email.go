package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"os"
	"strconv"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/report/delivery/eml"
)

// Options are the parts of an Email backend that do not come from its
// table.
type Options struct {
	// Name is the destination's name (default "email").
	Name string
	// Table is the dotted configuration table, for messages that tell IT
	// which key to fix (default "delivery.<Name>").
	Table  string
	Logger *slog.Logger
}

// Email is the backend. It is safe for concurrent use: every delivery has
// its own connection.
type Email struct {
	name, table string
	mode        string
	addr        string
	host        string
	username    string
	password    config.Secret
	helo        string
	from        *mail.Address
	to          []*mail.Address
	tls         *tls.Config
	cfg         Config
	log         *slog.Logger
}

var _ delivery.Backend = (*Email)(nil)

// New returns an email backend for cfg.
func New(cfg Config, opts Options) (*Email, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Name == "" {
		opts.Name = "email"
	}
	if opts.Table == "" {
		opts.Table = "delivery." + opts.Name
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("%s.from: %w", opts.Table, err)
	}
	to, err := mail.ParseAddressList(strings.Join(cfg.To, ", "))
	if err != nil {
		return nil, fmt.Errorf("%s.to: %w", opts.Table, err)
	}
	tlsConfig, err := delivery.TLSConfig(cfg.CAFile)
	if err != nil {
		return nil, fmt.Errorf("%s.ca_file: %w", opts.Table, err)
	}
	tlsConfig.ServerName = cfg.Host
	helo := cfg.HeloName
	if helo == "" {
		helo = hostName()
	}
	return &Email{
		name: opts.Name, table: opts.Table, mode: cfg.tlsMode(),
		addr: net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.port())), host: cfg.Host,
		username: cfg.Username, password: cfg.Password, helo: helo,
		from: from, to: to, tls: tlsConfig, cfg: cfg, log: opts.Logger,
	}, nil
}

// hostName is this machine's name for EHLO when it is usable as one;
// servers that check it want a name, and "localhost" is the neutral
// fallback.
func hostName() string {
	h, err := os.Hostname()
	if err != nil || !validHost(h) {
		return "localhost"
	}
	return h
}

// Name implements delivery.Backend.
func (e *Email) Name() string { return e.name }

// String and LogValue keep the backend's fields (the password among them)
// out of logs and %v output.
func (e *Email) String() string { return "email destination " + e.name + " (" + e.addr + ")" }

// GoString keeps %#v from printing the fields.
func (e *Email) GoString() string { return e.String() }

// LogValue implements slog.LogValuer.
func (e *Email) LogValue() slog.Value { return slog.StringValue(e.String()) }

// Deliver sends m as one message over a new SMTP connection.
func (e *Email) Deliver(ctx context.Context, m delivery.Message) (delivery.Receipt, error) {
	raw, err := eml.Build(&m, e.from, e.to)
	if err != nil {
		return delivery.Receipt{}, delivery.Permanent(fmt.Errorf("%s: %w", e.name, err))
	}
	ctx, cancel := context.WithTimeout(ctx, e.cfg.timeout())
	defer cancel()

	c, release, err := e.connect(ctx)
	if err != nil {
		return delivery.Receipt{}, err
	}
	defer c.Close()
	defer release()
	reply, err := e.send(ctx, c, raw)
	if err != nil {
		return delivery.Receipt{}, err
	}
	_ = c.Quit() // the message is accepted; a failing QUIT changes nothing
	id := eml.MessageID(m.Key)
	e.log.InfoContext(ctx, "report mailed", "destination", e.name, "reference", m.Reference,
		"server", e.addr, "message_id", id, "reply", reply)
	return delivery.Receipt{TicketID: id}, nil
}

// connect dials the server, sets up TLS as configured and greets it. The
// connection is closed when ctx ends, which aborts whatever SMTP command
// is waiting (go-smtp's own timeouts are per command); release ends that
// watch and must be called once the client is done with.
func (e *Email) connect(ctx context.Context) (c *smtp.Client, release func(), err error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", e.addr)
	if err != nil {
		return nil, nil, e.fail(ctx, "connecting to "+e.addr, err)
	}
	closed := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		conn.Close()
		close(closed)
	})
	unwatch := func() {
		if !stop() {
			<-closed // the closing func runs; wait so it does not outlive us
		}
	}
	defer func() {
		if err != nil {
			unwatch()
			conn.Close()
		}
	}()

	switch e.mode {
	case TLSImplicit:
		tc := tls.Client(conn, e.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, nil, e.fail(ctx, "TLS handshake with "+e.addr, err)
		}
		c = smtp.NewClient(tc)
	case TLSStartTLS:
		if c, err = smtp.NewClientStartTLS(conn, e.tls); err != nil {
			return nil, nil, e.fail(ctx, "STARTTLS with "+e.addr, err)
		}
	default:
		c = smtp.NewClient(conn)
	}
	timeout := e.cfg.timeout()
	c.CommandTimeout, c.SubmissionTimeout = timeout, timeout
	// After STARTTLS this is the second EHLO, the first under TLS.
	if err := c.Hello(e.helo); err != nil {
		return nil, nil, e.fail(ctx, "greeting "+e.addr, err)
	}
	return c, unwatch, nil
}

// send authenticates when configured and transfers raw; it returns the
// server's reply to the message (its queue id, usually).
func (e *Email) send(ctx context.Context, c *smtp.Client, raw []byte) (string, error) {
	if e.username != "" {
		if err := e.auth(c); err != nil {
			return "", e.fail(ctx, "authenticating", err)
		}
	}
	if limit, ok := c.MaxMessageSize(); ok && limit > 0 && len(raw) > limit {
		return "", delivery.Permanent(fmt.Errorf("%s: the report is %d bytes, %s accepts at most %d; send fewer or smaller attachments",
			e.name, len(raw), e.addr, limit))
	}
	if err := c.Mail(e.from.Address, &smtp.MailOptions{Size: int64(len(raw))}); err != nil {
		return "", e.fail(ctx, "MAIL FROM", err)
	}
	for _, to := range e.to {
		if err := c.Rcpt(to.Address, nil); err != nil {
			return "", e.fail(ctx, "RCPT TO <"+to.Address+">", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return "", e.fail(ctx, "DATA", err)
	}
	if _, err := w.Write(raw); err != nil {
		return "", e.fail(ctx, "sending the message", err)
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return "", e.fail(ctx, "sending the message", err)
	}
	return resp.StatusText, nil
}

// auth picks PLAIN, or LOGIN when that is all the server offers. It never
// sends the password over a connection without TLS, except to this
// machine.
func (e *Email) auth(c *smtp.Client) error {
	if _, secure := c.TLSConnectionState(); !secure && !delivery.IsLoopback(e.host) {
		return errCleartext
	}
	if ok, _ := c.Extension("AUTH"); !ok {
		return errNoAuth
	}
	switch {
	case c.SupportsAuth("PLAIN"):
		return c.Auth(sasl.NewPlainClient("", e.username, e.password.Reveal()))
	case c.SupportsAuth("LOGIN"):
		return c.Auth(sasl.NewLoginClient(e.username, e.password.Reveal()))
	default:
		_, mechs := c.Extension("AUTH")
		return fmt.Errorf("%w: the server offers AUTH %s, Firstline speaks PLAIN and LOGIN", errNoMechanism, mechs)
	}
}

// Reasons auth fails before the server has a say.
var (
	errNoAuth      = errors.New("the server does not offer AUTH")
	errNoMechanism = errors.New("no common AUTH mechanism")
	errCleartext   = errors.New("refusing to send the password without TLS")
)

// fail classifies err from stage. A closed connection because ctx ended is
// reported as the timeout or cancellation it is.
func (e *Email) fail(ctx context.Context, stage string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return delivery.ClassifyNetwork(fmt.Errorf("%s: %s %s: %w", e.name, stage, e.addr, ctxErr))
	}
	wrapped := fmt.Errorf("%s: %s: %w", e.name, stage, err)
	var se *smtp.SMTPError
	switch {
	case errors.As(err, &se):
		return e.classifyReply(stage, se, wrapped)
	case errors.Is(err, errNoAuth), errors.Is(err, errNoMechanism):
		return delivery.AuthFailed(e.name, wrapped, e.table+".username", e.table+".tls")
	case errors.Is(err, errCleartext):
		return delivery.Permanent(fmt.Errorf("%w; set %s.tls to starttls or tls", wrapped, e.table))
	case strings.Contains(err.Error(), "doesn't support STARTTLS"):
		// go-smtp reports this with a plain error. A server without
		// STARTTLS is a configuration matter, not something to wait out.
		return delivery.Permanent(fmt.Errorf(`%w; the server offers no STARTTLS: set %s.tls to "tls" (port 465) or, for a relay on a trusted network, "none"`, wrapped, e.table))
	default:
		return delivery.ClassifyNetwork(wrapped)
	}
}

// classifyReply maps an SMTP error reply: 4xx transient, 5xx permanent,
// with the configuration key that most likely needs fixing named.
func (e *Email) classifyReply(stage string, se *smtp.SMTPError, err error) error {
	if se.Code/100 == 4 {
		return delivery.Transient(err, 0)
	}
	switch {
	case se.Code == 530 || se.Code == 534 || se.Code == 535 || se.Code == 538 || stage == "authenticating":
		return delivery.AuthFailed(e.name, err, e.table+".username", e.table+".password")
	case strings.HasPrefix(stage, "RCPT"):
		return delivery.Permanent(fmt.Errorf("%w; check %s.to", err, e.table))
	case stage == "MAIL FROM":
		return delivery.Permanent(fmt.Errorf("%w; check %s.from", err, e.table))
	default:
		return delivery.Permanent(err)
	}
}
