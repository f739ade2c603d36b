package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Header names of the signature scheme.
const (
	HeaderSignature = "X-Firstline-Signature"
	HeaderTimestamp = "X-Firstline-Timestamp"
	HeaderKey       = "Idempotency-Key"
)

// Sign returns the X-Firstline-Signature value for body sent at timestamp
// (the X-Firstline-Timestamp value): "sha256=" and the hex HMAC-SHA256
// with secret over timestamp "." body.
func Sign(secret []byte, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// DefaultTolerance is how far a request's timestamp may be from the
// receiver's clock; it allows for clock skew and slow networks, not more.
const DefaultTolerance = 5 * time.Minute

// Errors of Verify, for receivers that answer differently (a stale request
// is not an attack on the secret).
var (
	ErrBadSignature = errors.New("webhook signature does not match")
	ErrStale        = errors.New("webhook timestamp outside the allowed window")
)

// Verify checks a received request the way receivers should: the
// signature over the raw body in constant time, then the timestamp within
// tolerance of now (0 means DefaultTolerance). signature and timestamp are
// the header values as received.
func Verify(secret []byte, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	hexSum, ok := strings.CutPrefix(strings.TrimSpace(signature), "sha256=")
	if !ok {
		return fmt.Errorf("%w: %s is not sha256=<hex>", ErrBadSignature, HeaderSignature)
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil || len(got) != sha256.Size {
		return fmt.Errorf("%w: %s is not sha256=<hex>", ErrBadSignature, HeaderSignature)
	}
	ts := strings.TrimSpace(timestamp)
	want, _ := hex.DecodeString(strings.TrimPrefix(Sign(secret, ts, body), "sha256="))
	if !hmac.Equal(got, want) {
		return ErrBadSignature
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %s %q is not Unix seconds", ErrStale, HeaderTimestamp, ts)
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	if d := now.Sub(time.Unix(secs, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: %s is %s away from now", ErrStale, HeaderTimestamp, d.Round(time.Second))
	}
	return nil
}
