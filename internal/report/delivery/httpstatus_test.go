package delivery_test

import (
	"bufio"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/report/delivery"
)

var testNow = time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC)

type retryAfterCase struct {
	value   string
	wait    time.Duration
	invalid bool
}

func retryAfterCases(t testing.TB) []retryAfterCase {
	t.Helper()
	f, err := os.Open("testdata/retry-after.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []retryAfterCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		value, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("bad fixture line %q", line)
		}
		c := retryAfterCase{value: value}
		if want == "invalid" {
			c.invalid = true
		} else if c.wait, err = time.ParseDuration(want); err != nil {
			t.Fatalf("bad fixture line %q: %v", line, err)
		}
		cases = append(cases, c)
	}
	return cases
}

func TestParseRetryAfter(t *testing.T) {
	for _, c := range retryAfterCases(t) {
		wait, ok := delivery.ParseRetryAfter(c.value, testNow)
		if ok == c.invalid || wait != c.wait {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, valid=%v", c.value, wait, ok, c.wait, !c.invalid)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, c := range retryAfterCases(f) {
		f.Add(c.value)
	}
	f.Fuzz(func(t *testing.T, value string) {
		wait, ok := delivery.ParseRetryAfter(value, testNow)
		if wait < 0 || wait > delivery.MaxRetryAfter {
			t.Fatalf("ParseRetryAfter(%q) = %v, outside 0..%v", value, wait, delivery.MaxRetryAfter)
		}
		if !ok && wait != 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v but invalid", value, wait)
		}
	})
}

func TestClassify(t *testing.T) {
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	tests := []struct {
		status     int
		header     http.Header
		body       string
		wantNil    bool
		permanent  bool
		retryAfter time.Duration
		message    string
	}{
		{status: 200, wantNil: true},
		{status: 201, wantNil: true},
		{status: 204, wantNil: true},
		{status: 429, header: hdr("Retry-After", "7"), permanent: false, retryAfter: 7 * time.Second},
		{status: 429, header: hdr("Retry-After", "Mon, 02 Mar 2026 09:17:00 GMT"), retryAfter: 2 * time.Minute},
		{status: 429, header: hdr("Retry-After", "soon"), retryAfter: 0},
		{status: 503, header: hdr("Retry-After", "60"), retryAfter: time.Minute},
		{status: 500, header: hdr("Retry-After", "60"), retryAfter: 0}, // only 429 and 503 mean it
		{status: 502},
		{status: 504},
		{status: 408},
		{status: 425},
		{status: 400, body: `{"message":"JSON parse error: x"}`, permanent: true, message: "HTTP 400 Bad Request: JSON parse error: x"},
		{status: 401, body: `{"message":"Unauthorized"}`, permanent: true, message: "HTTP 401 Unauthorized: Unauthorized"},
		{status: 403, permanent: true},
		{status: 404, body: "<html><body>Not here</body></html>", permanent: true, message: "HTTP 404 Not Found"},
		{status: 410, body: "channel_is_archived", permanent: true, message: "HTTP 410 Gone: channel_is_archived"},
		{status: 302, permanent: true},
		{status: 422, body: `{"error":"bad\nthing"}`, permanent: true, message: "HTTP 422 Unprocessable Entity: bad thing"},
	}
	for _, tt := range tests {
		err := delivery.Classify(tt.status, tt.header, []byte(tt.body), testNow)
		if tt.wantNil {
			if err != nil {
				t.Errorf("Classify(%d) = %v, want nil", tt.status, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("Classify(%d) = nil", tt.status)
			continue
		}
		if got := delivery.IsPermanent(err); got != tt.permanent {
			t.Errorf("Classify(%d): permanent = %v, want %v", tt.status, got, tt.permanent)
		}
		var te *delivery.TransientError
		if !tt.permanent && !errors.As(err, &te) {
			t.Errorf("Classify(%d) = %T, want a *TransientError", tt.status, err)
		}
		if got := delivery.RetryAfter(err); got != tt.retryAfter {
			t.Errorf("Classify(%d): RetryAfter = %v, want %v", tt.status, got, tt.retryAfter)
		}
		if got := delivery.HTTPStatus(err); got != tt.status {
			t.Errorf("Classify(%d): HTTPStatus = %d", tt.status, got)
		}
		if tt.message != "" && err.Error() != tt.message {
			t.Errorf("Classify(%d) says %q, want %q", tt.status, err.Error(), tt.message)
		}
	}
}

func TestBodyExcerptIsShortAndOneLine(t *testing.T) {
	long := strings.Repeat("é", 500) + "\nsecond line"
	got := delivery.BodyExcerpt([]byte(long))
	if strings.ContainsAny(got, "\r\n") || len(got) > 210 || !strings.HasSuffix(got, "…") {
		t.Errorf("excerpt %q", got)
	}
	if !strings.HasPrefix(got, "éé") || strings.ContainsRune(got, '\uFFFD') {
		t.Errorf("excerpt cut a character in half: %q", got[:10])
	}
}
