package report

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// decodeFixture maps every file of testdata/decode to what decoding it must
// give: "" for success, else the field the *FieldError must name and a
// word its problem must contain.
var decodeFixtures = map[string]struct{ field, problem string }{
	"ok-minimal.json":             {},
	"ok-full.json":                {},
	"ok-nulls.json":               {},
	"bad-unknown-field.json":      {"colour", "not a field"},
	"bad-path-field.json":         {"attachments[0].path", "never opens a file"},
	"bad-top-path.json":           {"file", "never opens a file"},
	"bad-name-slash.json":         {"attachments[1].name", "looks like a path"},
	"bad-name-backslash.json":     {"attachments[0].name", "looks like a path"},
	"bad-name-dotdot.json":        {"attachments[0].name", `".."`},
	"bad-name-bidi.json":          {"attachments[0].name", "formatting"},
	"bad-owner.json":              {"owner", "set by the service"},
	"bad-duplicate.json":          {"text", "twice"},
	"bad-trailing-nul.json":       {"", "after the report"},
	"bad-trailing.json":           {"", "after the report"},
	"bad-truncated.json":          {"attachments[0].data", "ends too early"},
	"bad-severity.json":           {"severity", `"blocked"`},
	"bad-text-blank.json":         {"text", "required"},
	"bad-text-type.json":          {"text", "a string"},
	"bad-base64.json":             {"attachments[0].data", "base64"},
	"bad-key-v4.json":             {"key", "version 4"},
	"bad-key-missing.json":        {"key", "missing"},
	"bad-created.json":            {"created_at", "date and time"},
	"bad-callback-method.json":    {"callback.method", `"phone"`},
	"bad-callback-unknown.json":   {"callback.phone", "not a field"},
	"bad-callback-newline.json":   {"callback.number", "single line"},
	"bad-kind.json":               {"attachments[0].kind", `"screenshot"`},
	"bad-content-type.json":       {"attachments[0].content_type", "MIME"},
	"bad-category.json":           {"category", "category id"},
	"bad-not-object.json":         {"", "object"},
	"bad-attachments-object.json": {"attachments", "list"},
	"bad-syntax.json":             {"", "not valid JSON"},
}

func TestDecodeFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "decode", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		want, ok := decodeFixtures[name]
		if !ok {
			t.Errorf("%s has no expectation in decodeFixtures", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			s, err := DecodeSubmission(f, DefaultLimits())
			if want.problem == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if s.Key.IsZero() || s.Text == "" {
					t.Errorf("decoded %+v", s)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is not a *FieldError", err, err)
			}
			if fe.Field != want.field || !strings.Contains(fe.Problem, want.problem) {
				t.Errorf("got field %q problem %q; want field %q problem containing %q", fe.Field, fe.Problem, want.field, want.problem)
			}
		})
	}
	for name := range decodeFixtures {
		if _, err := os.Stat(filepath.Join("testdata", "decode", name)); err != nil {
			t.Errorf("expectation for missing fixture %s", name)
		}
	}
}

func TestDecodeFullFixtureContent(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "decode", "ok-full.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := DecodeSubmission(bytes.NewReader(data), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if s.Severity != SeveritySlowed || s.Category != "vpn" || s.Callback.Method != CallbackPhone || s.Callback.When != "after 2pm" {
		t.Errorf("fields: %+v", s)
	}
	if len(s.Attachments) != 2 || s.Attachments[1].Name != "vpn.log" || string(s.Attachments[1].Data) != "line 1\nline 2\n" {
		t.Errorf("attachments: %+v", s.Attachments)
	}
	if !strings.Contains(string(s.Snapshot), `"Debian 12"`) {
		t.Errorf("snapshot: %s", s.Snapshot)
	}
	if s.Title() != "VPN drops every 10 minutes." {
		t.Errorf("Title() = %q", s.Title())
	}
}

func TestDecodeSizeLimits(t *testing.T) {
	small := DefaultLimits()
	small.TotalBytes = 1000
	small.AttachmentBytes = 600
	small.TextChars = 50
	small.Attachments = 2
	small.SnapshotBytes = 64

	attachment := func(n int) string {
		return `{"name":"a.bin","kind":"file","data":"` + base64.StdEncoding.EncodeToString(make([]byte, n)) + `"}`
	}
	head := `{"key":"0190f2c4-5e1a-7b3c-8d4e-5f6a7b8c9d0e","created_at":"2025-06-01T09:30:00Z","severity":"blocked",`
	tests := []struct {
		name, body, field string
	}{
		{"text too long", head + `"text":"` + strings.Repeat("é", 51) + `"}`, "text"},
		{"attachment too big", head + `"text":"x","attachments":[` + attachment(601) + `]}`, "attachments[0].data"},
		{"too many attachments", head + `"text":"x","attachments":[` + attachment(1) + "," + attachment(1) + "," + attachment(1) + `]}`, "attachments"},
		{"total too big", head + `"text":"x","attachments":[` + attachment(500) + "," + attachment(500) + `]}`, ""},
		{"snapshot too big", head + `"text":"x","snapshot":{"k":"` + strings.Repeat("s", 70) + `"}}`, "snapshot"},
		{"document too big", head + `"text":"x","category":"` + strings.Repeat("a", int(small.MaxRequestBytes())) + `"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeSubmission(strings.NewReader(tt.body), small)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Fatalf("got %v, want a *FieldError for %q", err, tt.field)
			}
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("%v does not wrap ErrTooLarge", err)
			}
		})
	}
	// Exactly at the limits is fine.
	body := head + `"text":"` + strings.Repeat("é", 50) + `","attachments":[` + attachment(450) + "," + attachment(448) + `]}`
	if _, err := DecodeSubmission(strings.NewReader(body), small); err != nil {
		t.Errorf("at the limits: %v", err)
	}
}

func TestDecodeStopsReadingAtTheCap(t *testing.T) {
	l := DefaultLimits()
	r := &countingReader{}
	_, err := DecodeSubmission(r, l)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if r.n > l.MaxRequestBytes()+1 {
		t.Errorf("read %d bytes, cap is %d", r.n, l.MaxRequestBytes())
	}
}

// countingReader is an endless JSON string: `{"text":"aaaa…`.
type countingReader struct{ n int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	const prefix = `{"text":"`
	for i := range p {
		if at := c.n + int64(i); at < int64(len(prefix)) {
			p[i] = prefix[at]
		} else {
			p[i] = 'a'
		}
	}
	c.n += int64(len(p))
	return len(p), nil
}
