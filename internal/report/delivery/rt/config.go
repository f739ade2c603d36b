package rt

import (
	"maps"
	"slices"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery"
)

// Requestor modes.
const (
	RequestorReporter = "reporter"
	RequestorNone     = "none"
)

// Config is the rt backend's table.
type Config struct {
	// URL is RT's base URL, as in the browser ("https://rt.example.com" or
	// "https://example.com/rt").
	URL string `toml:"url"`
	// Token is an RT auth token.
	Token config.Secret `toml:"token"`
	// Queue receives the tickets (default "General").
	Queue string `toml:"queue"`
	// KeyField is a ticket custom field that stores the report key, which
	// makes the duplicate check exact; empty searches subjects for the
	// reference instead.
	KeyField string `toml:"key_field"`
	// CustomFields maps RT custom field names to report field names
	// ("Category" = "category").
	CustomFields map[string]string `toml:"custom_fields"`
	// Requestor is "reporter" (default) or "none".
	Requestor string `toml:"requestor"`
	// CAFile is a PEM file of extra CAs to trust for RT.
	CAFile string `toml:"ca_file"`
	// Timeout bounds one request (default 30s, 1s..5m).
	Timeout config.Duration `toml:"timeout"`
}

// DefaultTimeout bounds a request when no timeout is configured.
const DefaultTimeout = 30 * time.Second

// Validate checks the configuration; problem keys are relative to the
// backend's table (see delivery.Qualify).
func (c Config) Validate() error {
	var p delivery.Problems
	p.URL("url", c.URL, false)
	if c.Token.Reveal() == "" {
		p.Add("token", "is empty; create an auth token in RT (Settings > Auth Tokens) for the user Firstline acts as")
	}
	if c.Queue != "" && !validName(c.Queue) {
		p.Add("queue", "%q is not a queue name (letters, digits, spaces, - _ . only)", c.Queue)
	}
	if c.KeyField != "" && !validName(c.KeyField) {
		p.Add("key_field", "%q is not a custom field name (letters, digits, spaces, - _ . only)", c.KeyField)
	}
	for _, name := range slices.Sorted(maps.Keys(c.CustomFields)) {
		field := c.CustomFields[name]
		if !validName(name) || field == "" {
			p.Add("custom_fields", "%q = %q: write an RT custom field name = a report field name", name, field)
		}
		if name == c.KeyField {
			p.Add("custom_fields", "%q is key_field already", name)
		}
	}
	switch c.Requestor {
	case "", RequestorReporter, RequestorNone:
	default:
		p.Add("requestor", "%q is not one of reporter, none", c.Requestor)
	}
	if c.Timeout != 0 {
		p.Duration("timeout", c.Timeout, time.Second, 5*time.Minute)
	}
	return p.Err()
}

func (c Config) queue() string {
	if c.Queue == "" {
		return "General"
	}
	return c.Queue
}

func (c Config) timeout() time.Duration {
	if c.Timeout == 0 {
		return DefaultTimeout
	}
	return c.Timeout.Duration()
}

// validName keeps queue and custom field names to characters that need no
// quoting inside TicketSQL's CF.{...} and '...'.
func validName(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == ' ' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}
