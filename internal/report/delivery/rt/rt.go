package rt

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/mail"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery"
)

// Options are the parts of the backend that do not come from its table.
type Options = delivery.HTTPOptions

// RT is the backend. It is safe for concurrent use.
type RT struct {
	name, table string
	api         *url.URL // <url>/REST/2.0/
	web         *url.URL // <url>/
	token       config.Secret
	cfg         Config
	client      *http.Client
	userAgent   string
	now         func() time.Time
	log         *slog.Logger
}

var (
	_ delivery.Backend      = (*RT)(nil)
	_ delivery.StatusReader = (*RT)(nil)
)

// maxReply bounds a reply body: a search page of 20 tickets with two
// fields, or one ticket record, is far below.
const maxReply = 1 << 20

// New returns an RT backend for cfg.
func New(cfg Config, opts Options) (*RT, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	opts = opts.WithDefaults("rt")
	web, err := url.Parse(strings.TrimSuffix(cfg.URL, "/") + "/")
	if err != nil {
		return nil, fmt.Errorf("%s.url: %w", opts.Table, err)
	}
	web.RawQuery, web.Fragment = "", ""
	client := opts.HTTPClient
	if client == nil {
		if client, err = delivery.NewHTTPClient(cfg.CAFile, cfg.timeout()); err != nil {
			return nil, fmt.Errorf("%s.ca_file: %w", opts.Table, err)
		}
	}
	return &RT{
		name: opts.Name, table: opts.Table,
		api: web.JoinPath("REST", "2.0"), web: web,
		token: cfg.Token, cfg: cfg, client: client,
		userAgent: opts.UserAgent, now: opts.Now, log: opts.Logger,
	}, nil
}

// Name implements delivery.Backend.
func (r *RT) Name() string { return r.name }

// String and LogValue keep the backend's fields (the token among them)
// out of logs and %v output.
func (r *RT) String() string { return "rt destination " + r.name + " (" + delivery.Origin(r.web) + ")" }

// GoString keeps %#v from printing the fields.
func (r *RT) GoString() string { return r.String() }

// LogValue implements slog.LogValuer.
func (r *RT) LogValue() slog.Value { return slog.StringValue(r.String()) }

// Deliver returns the ticket already made from m if there is one, and
// creates it otherwise.
func (r *RT) Deliver(ctx context.Context, m delivery.Message) (delivery.Receipt, error) {
	if err := m.Validate(); err != nil {
		return delivery.Receipt{}, fmt.Errorf("%s: %w", r.name, err)
	}
	found, ok, err := r.find(ctx, &m)
	if err != nil {
		// Creating blind could make a duplicate; wait for the search to
		// work again.
		return delivery.Receipt{}, err
	}
	if ok {
		r.log.InfoContext(ctx, "ticket exists already, not creating another", "destination", r.name,
			"reference", m.Reference, "ticket", string(found.ID))
		return r.receipt(found), nil
	}

	id, err := r.create(ctx, &m)
	if err != nil {
		return delivery.Receipt{}, err
	}
	t := ticket{ID: id}
	if st, err := r.Status(ctx, string(id)); err == nil {
		t.Status = st
	} else {
		// The ticket exists; not knowing its status yet is no failure.
		r.log.WarnContext(ctx, "could not read the new ticket back", "destination", r.name, "ticket", string(id), "error", err)
	}
	r.log.InfoContext(ctx, "ticket created", "destination", r.name, "reference", m.Reference, "ticket", string(id))
	return r.receipt(t), nil
}

// Status implements delivery.StatusReader: the ticket's status word.
func (r *RT) Status(ctx context.Context, id string) (string, error) {
	if !ticketID(id).valid() {
		return "", delivery.Permanent(fmt.Errorf("%s: %q is not an RT ticket number", r.name, id))
	}
	body, err := r.do(ctx, http.MethodGet, r.api.JoinPath("ticket", id), nil, nil)
	if err != nil {
		return "", err
	}
	t, err := decodeTicket(body)
	if err != nil {
		return "", delivery.Transient(fmt.Errorf("%s: %w", r.name, err), 0)
	}
	return t.Status, nil
}

// find searches RT for a ticket made from m; the oldest wins should an
// earlier failure have made several.
func (r *RT) find(ctx context.Context, m *delivery.Message) (ticket, bool, error) {
	query := "Subject LIKE " + quoteSQL(m.Reference)
	if r.cfg.KeyField != "" {
		query = "CF.{" + r.cfg.KeyField + "} = " + quoteSQL(m.Key)
	}
	u := r.api.JoinPath("tickets")
	u.RawQuery = url.Values{
		"query":    {query},
		"fields":   {"Subject,Status"},
		"orderby":  {"id"},
		"order":    {"ASC"},
		"per_page": {"20"},
	}.Encode()
	body, err := r.do(ctx, http.MethodGet, u, nil, nil)
	if err != nil {
		return ticket{}, false, err
	}
	items, err := decodeSearch(body)
	if err != nil {
		return ticket{}, false, delivery.Transient(fmt.Errorf("%s: %w", r.name, err), 0)
	}
	for _, t := range items {
		// A custom field match is exact; a subject match must carry the
		// reference as a whole word.
		if r.cfg.KeyField != "" || hasReference(t.Subject, m.Reference) {
			return t, true, nil
		}
	}
	return ticket{}, false, nil
}

// create posts the ticket and returns its id.
//
// The request is multipart/form-data (a JSON part plus one file part per
// attachment), not JSON with base64 attachments: RT 5.0.3 mangles a
// non-ASCII FileName given in JSON (Latin-1 letters become U+FFFD, and
// anything beyond Latin-1 fails the request with HTTP 500), while file
// parts keep their names intact. It also saves the base64 third.
func (r *RT) create(ctx context.Context, m *delivery.Message) (ticketID, error) {
	req := createRequest{
		Queue:       r.cfg.queue(),
		Subject:     delivery.HeaderText(m.Subject),
		Content:     m.Body(),
		ContentType: "text/plain",
	}
	if r.cfg.Requestor != RequestorNone {
		if a, err := mail.ParseAddress(delivery.HeaderText(m.Reporter.Email)); err == nil {
			req.Requestor = a.Address
		}
	}
	cfs := map[string]string{}
	for rtName, field := range r.cfg.CustomFields {
		if v := delivery.HeaderText(m.Fields[field]); v != "" {
			cfs[rtName] = v
		}
	}
	if r.cfg.KeyField != "" {
		cfs[r.cfg.KeyField] = m.Key
	}
	if len(cfs) > 0 {
		req.CustomFields = cfs
	}
	payload, contentType, err := r.form(ctx, &req, m)
	if err != nil {
		return "", delivery.Permanent(fmt.Errorf("%s: encoding the ticket: %w", r.name, err))
	}
	body, err := r.do(ctx, http.MethodPost, r.api.JoinPath("ticket"), payload, map[string]string{"Content-Type": contentType})
	if err != nil {
		return "", err
	}
	id, err := decodeCreated(body)
	if err != nil {
		// RT said 2xx but no id: the ticket may exist; the next attempt's
		// search finds it rather than making another.
		return "", delivery.Transient(fmt.Errorf("%s: %w", r.name, err), 0)
	}
	return id, nil
}

// form encodes the creation request: the "JSON" part, then an
// "Attachments" part per file with its name and type.
func (r *RT) form(ctx context.Context, req *createRequest, m *delivery.Message) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	js, err := json.Marshal(req)
	if err != nil {
		return nil, "", err
	}
	part, err := w.CreatePart(textproto.MIMEHeader{
		"Content-Disposition": {`form-data; name="JSON"`},
		"Content-Type":        {"application/json"},
	})
	if err != nil {
		return nil, "", err
	}
	part.Write(js)
	for i, a := range m.Attachments {
		if len(a.Data) == 0 {
			// RT refuses empty files.
			r.log.WarnContext(ctx, "leaving out an empty attachment", "destination", r.name, "reference", m.Reference, "file", a.FileName(i))
			continue
		}
		part, err := w.CreatePart(textproto.MIMEHeader{
			"Content-Disposition": {`form-data; name="Attachments"; filename="` + formFileName(a.FileName(i)) + `"`},
			"Content-Type":        {a.MediaType()},
		})
		if err != nil {
			return nil, "", err
		}
		part.Write(a.Data)
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// formFileName makes name safe inside filename="...": RT's form parser
// does not undo backslash escapes, so quotes and backslashes are replaced
// rather than escaped. Other characters, UTF-8 included, pass as they
// are, as browsers send them.
func formFileName(name string) string {
	return strings.NewReplacer(`"`, "'", `\`, "_").Replace(name)
}

// do sends one request and returns the body of a 2xx reply; anything else
// is a classified error naming the keys to check.
func (r *RT) do(ctx context.Context, method string, u *url.URL, payload []byte, header map[string]string) ([]byte, error) {
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, delivery.Permanent(fmt.Errorf("%s: building the request: %w", r.name, err))
	}
	req.Header.Set("Authorization", "token "+r.token.Reveal())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", r.userAgent)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	what := method + " " + u.Path
	reply, err := delivery.Send(r.client, req, maxReply)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", r.name, what, err)
	}
	if err := delivery.Classify(reply.Status, reply.Header, reply.Body, r.now()); err != nil {
		err = fmt.Errorf("%s: %s: %w", r.name, what, err)
		switch reply.Status {
		case http.StatusUnauthorized:
			return nil, delivery.AuthFailed(r.name, err, r.table+".token")
		case http.StatusForbidden:
			return nil, delivery.AuthFailed(r.name, err, r.table+".token", r.table+".queue")
		case http.StatusNotFound:
			if !strings.Contains(u.Path, "/ticket/") {
				// The collection itself is missing: not RT's REST2 here.
				return nil, fmt.Errorf("%w; check %s.url (RT's base URL, without /REST/2.0)", err, r.table)
			}
		}
		return nil, err
	}
	return reply.Body, nil
}

func (r *RT) receipt(t ticket) delivery.Receipt {
	link := r.web.JoinPath("Ticket", "Display.html")
	link.RawQuery = url.Values{"id": {string(t.ID)}}.Encode()
	return delivery.Receipt{TicketID: string(t.ID), TicketURL: link.String(), Status: t.Status}
}
