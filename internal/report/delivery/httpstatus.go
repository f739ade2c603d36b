package delivery

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxRetryAfter caps the wait a server can impose through Retry-After, so
// that a broken proxy answering "Retry-After: 99999999" cannot park a
// report for years.
const MaxRetryAfter = 24 * time.Hour

// StatusError is an HTTP reply outside 2xx.
type StatusError struct {
	Code int
	// Message is a short, single-line excerpt of what the server said, if
	// anything readable.
	Message string
}

func (e *StatusError) Error() string {
	s := "HTTP " + strconv.Itoa(e.Code)
	if t := http.StatusText(e.Code); t != "" {
		s += " " + t
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Classify turns an HTTP reply into nil (2xx), a transient error (408, 425,
// 429, 5xx; with the Retry-After of a 429 or 503 honoured, both as
// delta-seconds and as an HTTP-date relative to now) or a permanent one
// (every other status, including 3xx: backends do not follow redirects, so
// that a report never lands on a host IT did not configure). The errors
// wrap a *StatusError carrying an excerpt of body.
//
// 401 and 403 come back as plain permanent errors; a backend that knows
// which keys hold its credentials wraps them with [AuthFailed].
func Classify(status int, header http.Header, body []byte, now time.Time) error {
	if status >= 200 && status <= 299 {
		return nil
	}
	err := &StatusError{Code: status, Message: BodyExcerpt(body)}
	switch {
	case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable:
		wait, _ := ParseRetryAfter(header.Get("Retry-After"), now)
		return Transient(err, wait)
	case status == http.StatusRequestTimeout || status == http.StatusTooEarly || status >= 500:
		return Transient(err, 0)
	default:
		return Permanent(err)
	}
}

// ParseRetryAfter reads an HTTP Retry-After value (RFC 9110 section
// 10.2.3): delay-seconds or an HTTP-date. A date in the past means no wait.
// The result is capped at [MaxRetryAfter]; ok is false when value is
// neither form.
func ParseRetryAfter(value string, now time.Time) (wait time.Duration, ok bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if isDigits(value) {
		secs, err := strconv.ParseInt(value, 10, 64)
		if err != nil || secs > int64(MaxRetryAfter/time.Second) {
			// Only overflow fails on a string of digits.
			return MaxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	at, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	return min(max(at.Sub(now), 0), MaxRetryAfter), true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// maxExcerpt is how much of a server's error reply goes into an error
// message: enough for RT's "No permission to create tickets in the queue
// 'Nope'", not enough to flood a log.
const maxExcerpt = 200

// BodyExcerpt returns a short single-line excerpt of an error reply: the
// "message" or "error" member of a JSON object when there is one (RT,
// most JSON APIs), otherwise the text itself, and nothing for HTML pages,
// which are noise in a log line.
func BodyExcerpt(body []byte) string {
	text := strings.TrimSpace(string(body))
	if strings.HasPrefix(text, "{") {
		var obj map[string]any
		if json.Unmarshal(body, &obj) == nil {
			for _, k := range []string{"message", "error", "error_description", "detail"} {
				if s, ok := obj[k].(string); ok && s != "" {
					text = s
					break
				}
			}
		}
	} else if strings.HasPrefix(text, "<") {
		return ""
	}
	text = HeaderText(text)
	if len(text) > maxExcerpt {
		cut := maxExcerpt
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut] + "…"
	}
	return text
}

// HTTPStatus returns the status code of the *StatusError in err's chain,
// and 0 when there is none.
func HTTPStatus(err error) int {
	var s *StatusError
	if errors.As(err, &s) {
		return s.Code
	}
	return 0
}
