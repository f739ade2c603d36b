package delivery

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"
)

// NewHTTPClient returns the HTTP client HTTP backends use: TLS 1.2 or
// newer against the system's roots plus those in caFile (PEM; "" for
// none), proxies from the environment like any other HTTP client on the
// machine, the given overall timeout, and redirects not followed (a
// redirect is reported as an error so that a report never goes to a host
// IT did not configure).
func NewHTTPClient(caFile string, timeout time.Duration) (*http.Client, error) {
	tlsConfig, err := TLSConfig(caFile)
	if err != nil {
		return nil, err
	}
	tr, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return nil, errors.New("http.DefaultTransport is not an *http.Transport")
	}
	tr = tr.Clone()
	tr.TLSClientConfig = tlsConfig
	return &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}, nil
}

// TLSConfig returns a client TLS configuration (TLS 1.2 or newer) trusting
// the system's roots plus the certificates in caFile, a PEM file IT
// configures for a helpdesk or mail relay with an internal CA; "" adds
// none.
func TLSConfig(caFile string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile == "" {
		return cfg, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("reading CA file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("CA file %s holds no PEM certificate", caFile)
	}
	cfg.RootCAs = pool
	return cfg, nil
}

// Reply is an HTTP reply with its body read.
type Reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// Send sends req with client and reads at most limit bytes of the reply.
// Transport failures come back classified by [ClassifyNetwork], with the
// request URL cut down to its scheme and host: webhook URLs (Slack's,
// Teams') are credentials in their path, and this error may be logged and
// shown in the CLI. The reply's status is not judged here; see
// [Classify].
func Send(client *http.Client, req *http.Request, limit int64) (Reply, error) {
	resp, err := client.Do(req)
	if err != nil {
		return Reply{}, ClassifyNetwork(scrubURL(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return Reply{}, ClassifyNetwork(fmt.Errorf("reading the reply from %s: %w", Origin(req.URL), scrubURL(err)))
	}
	if int64(len(body)) > limit {
		return Reply{}, Transient(fmt.Errorf("reply from %s is larger than %s bytes", Origin(req.URL), strconv.FormatInt(limit, 10)), 0)
	}
	return Reply{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// Origin returns u's scheme and host only ("https://hooks.slack.com"): what
// may appear in logs and errors when the rest of the URL can be a secret.
func Origin(u *url.URL) string {
	if u == nil {
		return ""
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
}

func scrubURL(err error) error {
	ue, ok := err.(*url.Error) // client.Do's errors are one, unwrapped
	if !ok {
		return err
	}
	scrubbed := ue.URL
	if u, perr := url.Parse(ue.URL); perr == nil {
		scrubbed = Origin(u)
	} else {
		scrubbed = "(URL withheld)"
	}
	return &url.Error{Op: ue.Op, URL: scrubbed, Err: ue.Err}
}

// HTTPOptions are the parts of an HTTP backend (webhook, rt) that do not
// come from its configuration table.
type HTTPOptions struct {
	// Name is the destination's name (default: the backend's type).
	Name string
	// Table is the dotted configuration table, for messages that tell IT
	// which key to fix (default "delivery.<Name>").
	Table string
	// UserAgent is sent with each request (default "Firstline").
	UserAgent string
	// HTTPClient replaces the client built from the configuration (tests).
	HTTPClient *http.Client
	// Now replaces time.Now for Retry-After dates (tests).
	Now    func() time.Time
	Logger *slog.Logger
}

// WithDefaults fills what o leaves empty, kind naming the backend type.
func (o HTTPOptions) WithDefaults(kind string) HTTPOptions {
	if o.Name == "" {
		o.Name = kind
	}
	if o.Table == "" {
		o.Table = "delivery." + o.Name
	}
	if o.UserAgent == "" {
		o.UserAgent = "Firstline"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}
