package config

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Duration is a time.Duration written in TOML as a string such as "30s" or
// "5m" (time.ParseDuration syntax). A bare TOML integer is refused by the
// loader: "timeout = 5" would otherwise mean five nanoseconds.
type Duration time.Duration

// Duration returns d as a time.Duration.
func (d Duration) Duration() time.Duration { return time.Duration(d) }

// String formats d the way the example file writes it ("1m", not "1m0s").
func (d Duration) String() string { return formatDuration(time.Duration(d)) }

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(text []byte) error {
	v, err := time.ParseDuration(string(text))
	if err != nil {
		// time's own message ("time: invalid duration ...") does not say
		// what a valid value looks like; an administrator needs that.
		return fmt.Errorf("%q is not a duration (write a number with a unit, like \"30s\" or \"5m\")", text)
	}
	*d = Duration(v)
	return nil
}

// formatDuration is time.Duration.String without the noise of zero trailing
// units, so that messages and rendered files read "1m" and "1h" rather than
// "1m0s" and "1h0m0s". The result still parses back to the same value.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// redacted is what a set Secret shows instead of its value.
const redacted = "<redacted>"

// Secret holds a credential (a helpdesk API token, for instance). Everything
// that may end up in a log, an error, the rendered effective configuration or
// a JSON document sees "<redacted>" instead of the value; only Reveal gives
// the value, so every use of it is explicit and easy to review.
//
// It is a struct rather than a named string on purpose: a string kind can be
// converted with string(s), and reflection-based encoders (go-toml's among
// them) print a string kind's raw value even when it has a MarshalText
// method. An unexported field closes both paths.
type Secret struct {
	value string
}

// NewSecret wraps value.
func NewSecret(value string) Secret { return Secret{value: value} }

// Reveal returns the secret value. Call it only where the credential is
// actually used.
func (s Secret) Reveal() string { return s.value }

// String returns "<redacted>", or "" when the secret is unset so that an
// unset credential is visibly unset.
func (s Secret) String() string {
	if s.value == "" {
		return ""
	}
	return redacted
}

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return fmt.Sprintf("config.Secret(%q)", s.String()) }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText implements encoding.TextMarshaler; it never returns the value.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler. It refuses the
// redaction placeholder: that means someone saved the output of
// "config check" as a config file, and the service would otherwise send
// "<redacted>" as a credential.
func (s *Secret) UnmarshalText(text []byte) error {
	if string(text) == redacted {
		return errors.New(`"<redacted>" is a placeholder from a rendered configuration; write the real secret here`)
	}
	s.value = string(text)
	return nil
}
