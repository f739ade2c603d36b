package delivery

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/config"
)

// Problems collects configuration problems so that Validate reports every
// bad value at once, the way the service's config loader does.
type Problems struct {
	list []config.Problem
}

// Add records a problem with key (relative to the table being validated).
func (p *Problems) Add(key, format string, args ...any) {
	p.list = append(p.list, config.Problem{Key: key, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil or a *config.Error with the problems added.
func (p *Problems) Err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &config.Error{Problems: p.list}
}

// Qualify prefixes the keys of the problems in a *config.Error with table
// ("delivery.email"), so that a backend's Validate, which names keys
// relative to its own table, reads right in the service's configuration.
// Other errors are returned as they are.
func Qualify(err error, table string) error {
	ce, ok := err.(*config.Error)
	if !ok || table == "" {
		return err
	}
	out := &config.Error{Problems: make([]config.Problem, len(ce.Problems))}
	for i, p := range ce.Problems {
		switch {
		case p.Key == "":
			p.Key = table
		case strings.HasPrefix(p.Key, "["):
			p.Key = table + p.Key
		default:
			p.Key = table + "." + p.Key
		}
		out.Problems[i] = p
	}
	return out
}

// Duration checks that d lies in lo..hi.
func (p *Problems) Duration(key string, d config.Duration, lo, hi time.Duration) {
	if v := d.Duration(); v < lo || v > hi {
		p.Add(key, "%q is outside the allowed range %s..%s", d.String(), config.Duration(lo), config.Duration(hi))
	}
}

// URL checks that value is an absolute https:// URL. Plain http:// is
// accepted only for a loopback host (a helpdesk on the same machine, dev
// setups): anywhere else it would send credentials and reports in clear.
// A URL that is a secret itself (a Slack webhook) is not repeated in the
// message.
func (p *Problems) URL(key, value string, secret bool) {
	shown := fmt.Sprintf("%q ", value)
	if secret {
		shown = ""
	}
	u, err := url.Parse(value)
	switch {
	case value == "":
		p.Add(key, "is empty; write an https:// URL")
	case err != nil || u.Host == "" || u.Opaque != "":
		p.Add(key, "%sis not an absolute https:// URL", shown)
	case u.User != nil:
		p.Add(key, "%scarries a user name or password; put credentials in their own keys", shown)
	case u.Scheme == "http" && !IsLoopback(u.Hostname()):
		p.Add(key, "%suses http://, which is refused except for localhost; use https://", shown)
	case u.Scheme != "https" && u.Scheme != "http":
		p.Add(key, "%sis not an https:// URL", shown)
	}
}

// Address checks that value is one mail address, with or without a display
// name ("IT <it@example.com>").
func (p *Problems) Address(key, value string) {
	if _, err := mail.ParseAddress(value); err != nil {
		p.Add(key, "%q is not a mail address like it@example.com", value)
	}
}

// IsLoopback reports whether host (a name or an IP literal) is this
// machine: "localhost" or a loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
