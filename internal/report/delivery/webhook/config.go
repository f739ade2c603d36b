package webhook

import (
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery"
)

// Formats of the request body.
const (
	FormatFirstline = "firstline"
	FormatSlack     = "slack"
	FormatTeams     = "teams"
)

// Config is the webhook backend's table.
type Config struct {
	// URL receives the POST. It is a secret: Slack's and Teams' webhook
	// URLs are credentials.
	URL config.Secret `toml:"url"`
	// Format is "firstline" (default), "slack" or "teams".
	Format string `toml:"format"`
	// Secret is the HMAC-SHA256 key requests are signed with.
	Secret config.Secret `toml:"secret"`
	// Timeout bounds one request (default 30s, 1s..5m).
	Timeout config.Duration `toml:"timeout"`
	// CAFile is a PEM file of extra CAs to trust for the receiver.
	CAFile string `toml:"ca_file"`
}

// DefaultTimeout is the per-request timeout when none is configured.
const DefaultTimeout = 30 * time.Second

// minSecretLen keeps the HMAC key out of brute-force reach.
const minSecretLen = 16

// Validate checks the configuration; problem keys are relative to the
// backend's table (see delivery.Qualify).
func (c Config) Validate() error {
	var p delivery.Problems
	p.URL("url", c.URL.Reveal(), true)
	switch c.format() {
	case FormatFirstline:
		if c.Secret.Reveal() == "" {
			p.Add("secret", "is empty; the firstline format is always signed, set a shared secret of at least %d characters", minSecretLen)
		}
	case FormatSlack, FormatTeams:
	default:
		p.Add("format", "%q is not one of firstline, slack, teams", c.Format)
	}
	if s := c.Secret.Reveal(); s != "" && len(s) < minSecretLen {
		p.Add("secret", "is %d characters long; use at least %d", len(s), minSecretLen)
	}
	if c.Timeout != 0 {
		p.Duration("timeout", c.Timeout, time.Second, 5*time.Minute)
	}
	return p.Err()
}

func (c Config) format() string {
	if c.Format == "" {
		return FormatFirstline
	}
	return c.Format
}

func (c Config) timeout() time.Duration {
	if c.Timeout == 0 {
		return DefaultTimeout
	}
	return c.Timeout.Duration()
}
