package webhook_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/report/delivery/deliverytest"
	"github.com/firstline-it/firstline/internal/report/delivery/webhook"
)

const testSecret = "s3cret-shared-with-IT-0123456789"

// receiver is an IT-side webhook endpoint: it checks the signature with
// its own HMAC code (not the package's), decodes the payload and counts
// the idempotency keys it sees.
type receiver struct {
	t      *testing.T
	now    time.Time
	mu     sync.Mutex
	keys   map[string]int
	last   webhook.Payload
	reply  func(w http.ResponseWriter) // nil: 200 with a receipt
	bodies [][]byte
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	ts := r.Header.Get("X-Firstline-Timestamp")
	mac := hmac.New(sha256.New, []byte(testSecret))
	mac.Write([]byte(ts + "." + string(body)))
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(r.Header.Get("X-Firstline-Signature")), []byte(want)) {
		rc.t.Errorf("receiver: bad signature %q", r.Header.Get("X-Firstline-Signature"))
		http.Error(w, `{"error":"bad signature"}`, http.StatusUnauthorized)
		return
	}
	if secs, _ := strconv.ParseInt(ts, 10, 64); secs != rc.now.Unix() {
		rc.t.Errorf("receiver: timestamp %q, want %d", ts, rc.now.Unix())
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		rc.t.Errorf("receiver: %s with Content-Type %q", r.Method, r.Header.Get("Content-Type"))
	}
	var p webhook.Payload
	if err := json.Unmarshal(body, &p); err != nil {
		rc.t.Errorf("receiver: payload: %v", err)
	}
	key := r.Header.Get("Idempotency-Key")
	if key != p.Key {
		rc.t.Errorf("receiver: Idempotency-Key %q, payload key %q", key, p.Key)
	}
	rc.mu.Lock()
	rc.keys[key]++
	rc.last = p
	rc.bodies = append(rc.bodies, body)
	reply := rc.reply
	rc.mu.Unlock()
	if reply != nil {
		reply(w)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"ticket_id": 4711, "ticket_url": "https://helpdesk.example.com/t/4711", "status": "open"}`)
}

func newReceiver(t *testing.T) (*receiver, *httptest.Server) {
	rc := &receiver{t: t, now: time.Unix(1772442900, 0), keys: map[string]int{}}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv
}

func newWebhook(t *testing.T, cfg webhook.Config, now time.Time, client *http.Client) *webhook.Webhook {
	t.Helper()
	w, err := webhook.New(cfg, webhook.Options{Now: func() time.Time { return now }, HTTPClient: client})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return w
}

func TestDeliverSignedPayload(t *testing.T) {
	rc, srv := newReceiver(t)
	w := newWebhook(t, webhook.Config{URL: config.NewSecret(srv.URL + "/hook/T0001/B0001/xyz"), Secret: config.NewSecret(testSecret)}, rc.now, nil)
	m := deliverytest.Message()

	r, err := w.Deliver(context.Background(), m)
	if err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	if want := (delivery.Receipt{TicketID: "4711", TicketURL: "https://helpdesk.example.com/t/4711", Status: "open"}); r != want {
		t.Errorf("receipt %+v, want %+v", r, want)
	}
	if _, err := w.Deliver(context.Background(), m); err != nil {
		t.Fatalf("second Deliver: %v", err)
	}
	if got := rc.keys[m.Key]; got != 2 {
		t.Errorf("receiver saw key %d times, want 2 (at-least-once, same key)", got)
	}
	if !bytes.Equal(rc.bodies[0], rc.bodies[1]) {
		t.Error("the retry's body differs from the first; the receiver cannot compare them")
	}

	p := rc.last
	if p.Version != 1 || p.Reference != m.Reference || p.Subject != m.Subject || p.Reporter.Email != m.Reporter.Email {
		t.Errorf("payload header fields: %+v", p)
	}
	if p.Body != m.Body() || !strings.Contains(p.Text, "Größe A4") || p.Fields["hostname"] != "LAPTOP-42" {
		t.Errorf("payload text fields: text %q, fields %v", p.Text, p.Fields)
	}
	if !p.CreatedAt.Equal(m.CreatedAt) {
		t.Errorf("created_at %v", p.CreatedAt)
	}
	if !bytes.Equal(compact(t, p.Report), compact(t, m.JSON)) {
		t.Errorf("report = %s", p.Report)
	}
	if len(p.Attachments) != len(m.Attachments) {
		t.Fatalf("%d attachments", len(p.Attachments))
	}
	for i, a := range p.Attachments {
		want := m.Attachments[i]
		sum := sha256.Sum256(want.Data)
		if a.Name != want.Name || a.Size != len(want.Data) || a.SHA256 != hex.EncodeToString(sum[:]) || !bytes.Equal(a.Data, want.Data) {
			t.Errorf("attachment %d: %s %d bytes sha256 %s", i, a.Name, a.Size, a.SHA256)
		}
	}
	// The schema promises standard base64 in "data".
	var raw struct {
		Attachments []struct{ Data string } `json:"attachments"`
	}
	json.Unmarshal(rc.bodies[0], &raw)
	if got := raw.Attachments[0].Data; got != base64.StdEncoding.EncodeToString(m.Attachments[0].Data) {
		t.Errorf("data is not standard base64: %q", got)
	}
}

func compact(t *testing.T, b []byte) []byte {
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		t.Fatalf("compact: %v", err)
	}
	return out.Bytes()
}

func TestDeliverClassifiesReplies(t *testing.T) {
	now := time.Unix(1772442900, 0)
	tests := []struct {
		name       string
		reply      func(w http.ResponseWriter)
		permanent  bool
		auth       bool
		retryAfter time.Duration
	}{
		{"429 with delta-seconds", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
		}, false, false, 120 * time.Second},
		{"429 with an HTTP-date", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", now.Add(90*time.Second).UTC().Format(http.TimeFormat))
			w.WriteHeader(http.StatusTooManyRequests)
		}, false, false, 90 * time.Second},
		{"503 with Retry-After", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusServiceUnavailable)
		}, false, false, 30 * time.Second},
		{"500", func(w http.ResponseWriter) { w.WriteHeader(http.StatusInternalServerError) }, false, false, 0},
		{"400", func(w http.ResponseWriter) { http.Error(w, `{"message":"missing field"}`, http.StatusBadRequest) }, true, false, 0},
		{"404", func(w http.ResponseWriter) { w.WriteHeader(http.StatusNotFound) }, true, false, 0},
		{"401", func(w http.ResponseWriter) { w.WriteHeader(http.StatusUnauthorized) }, true, true, 0},
		{"403", func(w http.ResponseWriter) { w.WriteHeader(http.StatusForbidden) }, true, true, 0},
		{"redirect", func(w http.ResponseWriter) {
			w.Header().Set("Location", "https://elsewhere.example.net/")
			w.WriteHeader(http.StatusFound)
		}, true, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc, srv := newReceiver(t)
			rc.reply = tt.reply
			w := newWebhook(t, webhook.Config{URL: config.NewSecret(srv.URL + "/hook/SECRETPATH"), Secret: config.NewSecret(testSecret)}, now, nil)
			_, err := w.Deliver(context.Background(), deliverytest.Message())
			if err == nil {
				t.Fatal("Deliver succeeded")
			}
			if got := delivery.IsPermanent(err); got != tt.permanent {
				t.Errorf("IsPermanent = %v, want %v: %v", got, tt.permanent, err)
			}
			var ae *delivery.AuthError
			if got := errors.As(err, &ae); got != tt.auth {
				t.Errorf("AuthError = %v, want %v: %v", got, tt.auth, err)
			}
			if tt.auth && !strings.Contains(err.Error(), "delivery.webhook.secret") {
				t.Errorf("auth error does not name the key: %v", err)
			}
			if got := delivery.RetryAfter(err); got != tt.retryAfter {
				t.Errorf("RetryAfter = %v, want %v", got, tt.retryAfter)
			}
			if strings.Contains(err.Error(), "SECRETPATH") || strings.Contains(err.Error(), testSecret) {
				t.Errorf("error reveals the URL path or the secret: %v", err)
			}
		})
	}
}

func TestDeliverNetworkFailures(t *testing.T) {
	now := time.Unix(1772442900, 0)
	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(release)
		client := &http.Client{Timeout: 100 * time.Millisecond}
		w := newWebhook(t, webhook.Config{URL: config.NewSecret(srv.URL + "/SECRETPATH"), Secret: config.NewSecret(testSecret)}, now, client)
		_, err := w.Deliver(context.Background(), deliverytest.Message())
		if err == nil || delivery.IsPermanent(err) || delivery.IsCanceled(err) {
			t.Fatalf("timeout: err = %v, want transient", err)
		}
		var te *delivery.TransientError
		if !errors.As(err, &te) {
			t.Errorf("timeout: %v is not a *TransientError", err)
		}
		if strings.Contains(err.Error(), "SECRETPATH") {
			t.Errorf("error reveals the URL path: %v", err)
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		w := newWebhook(t, webhook.Config{URL: config.NewSecret(url + "/SECRETPATH"), Secret: config.NewSecret(testSecret)}, now, nil)
		_, err := w.Deliver(context.Background(), deliverytest.Message())
		var te *delivery.TransientError
		if !errors.As(err, &te) {
			t.Fatalf("refused: err = %v, want transient", err)
		}
		if strings.Contains(err.Error(), "SECRETPATH") {
			t.Errorf("error reveals the URL path: %v", err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		_, srv := newReceiver(t)
		w := newWebhook(t, webhook.Config{URL: config.NewSecret(srv.URL), Secret: config.NewSecret(testSecret)}, now, nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := w.Deliver(ctx, deliverytest.Message())
		if !delivery.IsCanceled(err) {
			t.Fatalf("canceled: err = %v, want a cancellation", err)
		}
	})
}

func TestSlackFormat(t *testing.T) {
	var got map[string]any
	var raw []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ = io.ReadAll(r.Body)
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Errorf("slack body: %v", err)
		}
		io.WriteString(w, "ok") // what Slack answers
	}))
	defer srv.Close()
	w := newWebhook(t, webhook.Config{URL: config.NewSecret(srv.URL), Format: "slack"}, time.Now(), nil)
	m := deliverytest.Message()
	m.Text = "Click <https://evil.example|here> & see"
	for i := range 12 {
		m.Fields["extra"+strconv.Itoa(i)] = "v"
	}
	if r, err := w.Deliver(context.Background(), m); err != nil || r != (delivery.Receipt{}) {
		t.Fatalf("Deliver = %+v, %v", r, err)
	}

	blocks, _ := got["blocks"].([]any)
	if len(blocks) < 4 {
		t.Fatalf("blocks = %v", got["blocks"])
	}
	header := blocks[0].(map[string]any)
	if header["type"] != "header" || header["text"].(map[string]any)["text"] != m.Subject {
		t.Errorf("header block = %v", header)
	}
	if got["text"] != m.Subject {
		t.Errorf("fallback text = %v", got["text"])
	}
	text := blocks[1].(map[string]any)["text"].(map[string]any)["text"]
	if text != "Click &lt;https://evil.example|here&gt; &amp; see" {
		t.Errorf("employee text not escaped for mrkdwn: %q", text)
	}
	fields := blocks[2].(map[string]any)["fields"].([]any)
	if len(fields) != 10 {
		t.Errorf("%d fields, Slack allows 10", len(fields))
	}
	footer := blocks[len(blocks)-1].(map[string]any)
	if footer["type"] != "context" || !strings.Contains(string(raw), "4 attachments not shown") || !strings.Contains(string(raw), m.Reference) {
		t.Errorf("context block = %v", footer)
	}
	if bytes.Contains(raw, []byte(base64.StdEncoding.EncodeToString(m.Attachments[1].Data))) {
		t.Error("attachment data sent to Slack")
	}
}

func TestTeamsFormat(t *testing.T) {
	var got struct {
		Type        string `json:"type"`
		Attachments []struct {
			ContentType string `json:"contentType"`
			Content     struct {
				Type string           `json:"type"`
				Body []map[string]any `json:"body"`
			} `json:"content"`
		} `json:"attachments"`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Errorf("teams body: %v", err)
		}
		w.WriteHeader(http.StatusAccepted) // what Teams Workflows answer
	}))
	defer srv.Close()
	w := newWebhook(t, webhook.Config{URL: config.NewSecret(srv.URL), Format: "teams"}, time.Now(), nil)
	m := deliverytest.Message()
	if _, err := w.Deliver(context.Background(), m); err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	if got.Type != "message" || len(got.Attachments) != 1 || got.Attachments[0].ContentType != "application/vnd.microsoft.card.adaptive" {
		t.Fatalf("teams message = %+v", got)
	}
	card := got.Attachments[0].Content
	if card.Type != "AdaptiveCard" || card.Body[0]["text"] != m.Subject {
		t.Errorf("card = %+v", card)
	}
	var facts []any
	for _, b := range card.Body {
		if b["type"] == "FactSet" {
			facts = b["facts"].([]any)
		}
	}
	if len(facts) != len(m.Fields) {
		t.Errorf("%d facts, want %d", len(facts), len(m.Fields))
	}
}

func TestConfigValidate(t *testing.T) {
	s := config.NewSecret
	tests := []struct {
		name string
		cfg  webhook.Config
		keys []string
	}{
		{"firstline", webhook.Config{URL: s("https://hooks.example.com/x"), Secret: s(testSecret)}, nil},
		{"slack without secret", webhook.Config{URL: s("https://hooks.slack.com/services/T/B/X"), Format: "slack"}, nil},
		{"http to localhost", webhook.Config{URL: s("http://127.0.0.1:8080/x"), Secret: s(testSecret)}, nil},
		{"firstline without secret", webhook.Config{URL: s("https://hooks.example.com/x")}, []string{"secret"}},
		{"short secret", webhook.Config{URL: s("https://hooks.example.com/x"), Format: "teams", Secret: s("short")}, []string{"secret"}},
		{"http elsewhere", webhook.Config{URL: s("http://hooks.example.com/x"), Secret: s(testSecret)}, []string{"url"}},
		{"no url", webhook.Config{Secret: s(testSecret)}, []string{"url"}},
		{"credentials in url", webhook.Config{URL: s("https://u:p@hooks.example.com/x"), Secret: s(testSecret)}, []string{"url"}},
		{"bad format and timeout", webhook.Config{URL: s("https://h.example.com"), Format: "discord", Secret: s(testSecret), Timeout: config.Duration(time.Hour)}, []string{"format", "timeout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			var ce *config.Error
			if tt.keys == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if !errors.As(err, &ce) {
				t.Fatalf("Validate = %v, want *config.Error", err)
			}
			var keys []string
			for _, p := range ce.Problems {
				keys = append(keys, p.Key)
			}
			if !slices.Equal(keys, tt.keys) {
				t.Errorf("keys %v, want %v (%v)", keys, tt.keys, err)
			}
			if strings.Contains(err.Error(), "hooks.slack.com/services") || strings.Contains(err.Error(), "u:p@") {
				t.Errorf("message repeats the secret URL: %v", err)
			}
		})
	}
}

func BenchmarkDeliver(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) }))
	defer srv.Close()
	w, err := webhook.New(webhook.Config{URL: config.NewSecret(srv.URL), Secret: config.NewSecret(testSecret)}, webhook.Options{})
	if err != nil {
		b.Fatal(err)
	}
	m := deliverytest.Message()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.Deliver(context.Background(), m); err != nil {
			b.Fatal(err)
		}
	}
}

func TestNoSecretInOutput(t *testing.T) {
	cfg := webhook.Config{URL: config.NewSecret("https://hooks.slack.com/services/T000/B000/XXSECRETXX"), Format: "slack", Secret: config.NewSecret(testSecret)}
	w, err := webhook.New(cfg, webhook.Options{})
	if err != nil {
		t.Fatal(err)
	}
	deliverytest.NoLeak(t, []string{"XXSECRETXX", testSecret}, cfg, &cfg, w)
}
