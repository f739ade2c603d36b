package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery"
)

// Options are the parts of the backend that do not come from its table.
type Options = delivery.HTTPOptions

// Webhook is the backend. It is safe for concurrent use.
type Webhook struct {
	name, table string
	url         *url.URL
	format      string
	secret      config.Secret
	client      *http.Client
	userAgent   string
	now         func() time.Time
	log         *slog.Logger
}

var _ delivery.Backend = (*Webhook)(nil)

// maxReply bounds the reply body read: a receipt is a few fields.
const maxReply = 64 << 10

// New returns a webhook backend for cfg.
func New(cfg Config, opts Options) (*Webhook, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	opts = opts.WithDefaults("webhook")
	u, err := url.Parse(cfg.URL.Reveal())
	if err != nil {
		return nil, fmt.Errorf("%s: the url does not parse", opts.Table) // the URL is a secret
	}
	client := opts.HTTPClient
	if client == nil {
		if client, err = delivery.NewHTTPClient(cfg.CAFile, cfg.timeout()); err != nil {
			return nil, fmt.Errorf("%s.ca_file: %w", opts.Table, err)
		}
	}
	return &Webhook{
		name: opts.Name, table: opts.Table, url: u, format: cfg.format(),
		secret: cfg.Secret, client: client, userAgent: opts.UserAgent,
		now: opts.Now, log: opts.Logger,
	}, nil
}

// Name implements delivery.Backend.
func (w *Webhook) Name() string { return w.name }

// String and LogValue keep the backend's fields (the secret and the URL,
// itself a credential, among them) out of logs and %v output.
func (w *Webhook) String() string {
	return "webhook destination " + w.name + " (" + w.format + ", " + delivery.Origin(w.url) + ")"
}

// GoString keeps %#v from printing the fields.
func (w *Webhook) GoString() string { return w.String() }

// LogValue implements slog.LogValuer.
func (w *Webhook) LogValue() slog.Value { return slog.StringValue(w.String()) }

// Deliver posts m. The receiver deduplicates by the Idempotency-Key; a
// webhook has no API to ask whether it saw the key already.
func (w *Webhook) Deliver(ctx context.Context, m delivery.Message) (delivery.Receipt, error) {
	if err := m.Validate(); err != nil {
		return delivery.Receipt{}, fmt.Errorf("%s: %w", w.name, err)
	}
	body, err := encode(w.format, &m)
	if err != nil {
		return delivery.Receipt{}, delivery.Permanent(fmt.Errorf("%s: %w", w.name, err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url.String(), bytes.NewReader(body))
	if err != nil {
		return delivery.Receipt{}, delivery.Permanent(fmt.Errorf("%s: building the request: %w", w.name, err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", w.userAgent)
	req.Header.Set(HeaderKey, m.Key)
	if secret := w.secret.Reveal(); secret != "" {
		ts := strconv.FormatInt(w.now().Unix(), 10)
		req.Header.Set(HeaderTimestamp, ts)
		req.Header.Set(HeaderSignature, Sign([]byte(secret), ts, body))
	}

	origin := delivery.Origin(w.url)
	reply, err := delivery.Send(w.client, req, maxReply)
	if err != nil {
		return delivery.Receipt{}, fmt.Errorf("%s: posting to %s: %w", w.name, origin, err)
	}
	if err := delivery.Classify(reply.Status, reply.Header, reply.Body, w.now()); err != nil {
		err = fmt.Errorf("%s: %s answered: %w", w.name, origin, err)
		if reply.Status == http.StatusUnauthorized || reply.Status == http.StatusForbidden {
			return delivery.Receipt{}, delivery.AuthFailed(w.name, err, w.table+".secret", w.table+".url")
		}
		return delivery.Receipt{}, err
	}
	w.log.InfoContext(ctx, "report posted", "destination", w.name, "reference", m.Reference, "to", origin, "status", reply.Status)
	return receiptFrom(reply.Body), nil
}

// receiptFrom reads the optional receipt a receiver may answer with; a
// reply that is not such a JSON object (Slack's "ok") is simply no receipt.
func receiptFrom(body []byte) delivery.Receipt {
	var r struct {
		TicketID  json.RawMessage `json:"ticket_id"`
		ID        json.RawMessage `json:"id"`
		TicketURL string          `json:"ticket_url"`
		URL       string          `json:"url"`
		Status    string          `json:"status"`
	}
	if json.Unmarshal(body, &r) != nil {
		return delivery.Receipt{}
	}
	id := scalar(r.TicketID)
	if id == "" {
		id = scalar(r.ID)
	}
	link := r.TicketURL
	if link == "" {
		link = r.URL
	}
	if u, err := url.Parse(link); err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		// Only web links: the app shows this to employees.
		link = ""
	}
	return delivery.Receipt{
		TicketID:  delivery.HeaderText(id),
		TicketURL: link,
		Status:    delivery.HeaderText(r.Status),
	}
}

// scalar renders a JSON string or number as text; anything else is "".
func scalar(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}
