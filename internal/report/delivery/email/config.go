package email

import (
	"fmt"
	"net"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery"
)

// TLS modes.
const (
	TLSStartTLS = "starttls"
	TLSImplicit = "tls"
	TLSNone     = "none"
)

// Config is the email backend's table.
type Config struct {
	// Host is the SMTP server's name or address.
	Host string `toml:"host"`
	// Port defaults to 587 (starttls), 465 (tls) or 25 (none).
	Port int `toml:"port"`
	// TLS is "starttls" (default), "tls" or "none".
	TLS string `toml:"tls"`
	// Username enables AUTH; Password goes with it.
	Username string        `toml:"username"`
	Password config.Secret `toml:"password"`
	// From is the sender ("Firstline <firstline@example.com>"); also the
	// envelope sender.
	From string `toml:"from"`
	// To are the recipients.
	To []string `toml:"to"`
	// HeloName is the name sent with EHLO (default: the host name).
	HeloName string `toml:"helo_name"`
	// CAFile is a PEM file of extra CAs to trust for the server.
	CAFile string `toml:"ca_file"`
	// Timeout bounds a whole delivery (default 1m, 5s..10m).
	Timeout config.Duration `toml:"timeout"`
}

// DefaultTimeout bounds a delivery when no timeout is configured.
const DefaultTimeout = time.Minute

// Validate checks the configuration; problem keys are relative to the
// backend's table (see delivery.Qualify).
func (c Config) Validate() error {
	var p delivery.Problems
	switch {
	case c.Host == "":
		p.Add("host", "is empty; name the SMTP server")
	case !validHost(c.Host):
		p.Add("host", "%q is not a host name or IP address (write the port in port)", c.Host)
	}
	if c.Port < 0 || c.Port > 65535 {
		p.Add("port", "%d is outside the allowed range 0..65535", c.Port)
	}
	switch c.tlsMode() {
	case TLSStartTLS, TLSImplicit:
	case TLSNone:
		if c.Username != "" && !delivery.IsLoopback(c.Host) {
			p.Add("tls", `"none" would send the password in clear to %s; use "starttls" or "tls"`, c.Host)
		}
	default:
		p.Add("tls", "%q is not one of starttls, tls, none", c.TLS)
	}
	switch {
	case c.Username == "" && c.Password.Reveal() != "":
		p.Add("username", "is empty but a password is set; set both or neither")
	case c.Username != "" && c.Password.Reveal() == "":
		p.Add("password", "is empty but a username is set; set both or neither")
	}
	if c.From == "" {
		p.Add("from", "is empty; write the sender address, like \"Firstline <firstline@example.com>\"")
	} else {
		p.Address("from", c.From)
	}
	if len(c.To) == 0 {
		p.Add("to", "names no recipient")
	}
	for i, to := range c.To {
		p.Address(fmt.Sprintf("to[%d]", i), to)
	}
	if c.HeloName != "" && !validHost(c.HeloName) {
		p.Add("helo_name", "%q is not a host name", c.HeloName)
	}
	if c.Timeout != 0 {
		p.Duration("timeout", c.Timeout, 5*time.Second, 10*time.Minute)
	}
	return p.Err()
}

func (c Config) tlsMode() string {
	if c.TLS == "" {
		return TLSStartTLS
	}
	return c.TLS
}

func (c Config) port() int {
	switch {
	case c.Port != 0:
		return c.Port
	case c.tlsMode() == TLSImplicit:
		return 465
	case c.tlsMode() == TLSNone:
		return 25
	default:
		return 587
	}
}

func (c Config) timeout() time.Duration {
	if c.Timeout == 0 {
		return DefaultTimeout
	}
	return c.Timeout.Duration()
}

// validHost accepts an IP address or a DNS name of letters, digits, dots,
// dashes and underscores; it keeps a port or a URL out of host.
func validHost(h string) bool {
	if net.ParseIP(h) != nil {
		return true
	}
	if len(h) > 253 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return h != "" && h[0] != '.' && h[0] != '-'
}
