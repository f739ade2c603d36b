package webhook_test

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/report/delivery/webhook"
)

func TestVerify(t *testing.T) {
	secret := []byte("0123456789abcdef-shared")
	body := []byte(`{"version":1,"key":"k"}`)
	now := time.Unix(1772442900, 0)
	ts := "1772442900"
	good := webhook.Sign(secret, ts, body)

	tests := []struct {
		name      string
		secret    []byte
		ts, sig   string
		body      []byte
		now       time.Time
		wantErr   error
		wantValid bool
	}{
		{"valid", secret, ts, good, body, now, nil, true},
		{"valid, upper-case hex", secret, ts, "sha256=" + strings.ToUpper(strings.TrimPrefix(good, "sha256=")), body, now, nil, true},
		{"valid at the edge of the window", secret, ts, good, body, now.Add(webhook.DefaultTolerance), nil, true},
		{"body changed", secret, ts, good, append(bytes.Clone(body), ' '), now, webhook.ErrBadSignature, false},
		{"wrong secret", []byte("another-secret-of-16"), ts, good, body, now, webhook.ErrBadSignature, false},
		{"timestamp changed", secret, "1772442901", good, body, now, webhook.ErrBadSignature, false},
		{"replayed later", secret, ts, good, body, now.Add(webhook.DefaultTolerance + time.Second), webhook.ErrStale, false},
		{"from the future", secret, ts, good, body, now.Add(-webhook.DefaultTolerance - time.Second), webhook.ErrStale, false},
		{"no prefix", secret, ts, strings.TrimPrefix(good, "sha256="), body, now, webhook.ErrBadSignature, false},
		{"truncated", secret, ts, good[:len(good)-2], body, now, webhook.ErrBadSignature, false},
		{"empty", secret, ts, "", body, now, webhook.ErrBadSignature, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := webhook.Verify(tt.secret, tt.ts, tt.sig, tt.body, tt.now, 0)
			if tt.wantValid != (err == nil) {
				t.Fatalf("Verify = %v, want valid=%v", err, tt.wantValid)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Verify = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func FuzzVerify(f *testing.F) {
	file, err := os.Open("testdata/signatures.txt")
	if err != nil {
		f.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			ts, sig, _ := strings.Cut(line, "\t")
			f.Add(ts, sig, []byte(`{"version":1}`))
		}
	}
	secret := []byte("0123456789abcdef-shared")
	now := time.Unix(1772442900, 0)
	f.Fuzz(func(t *testing.T, ts, sig string, body []byte) {
		err := webhook.Verify(secret, ts, sig, body, now, 0)
		if err != nil {
			return
		}
		// Accepted: it must be the real signature of this body and time.
		want := webhook.Sign(secret, strings.TrimSpace(ts), body)
		if !strings.EqualFold(strings.TrimSpace(sig), want) {
			t.Fatalf("accepted signature %q for ts %q, the real one is %q", sig, ts, want)
		}
	})
}
