package delivery_test

import (
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/report/delivery/deliverytest"
)

func TestMessageValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*delivery.Message)
		bad  string // a word the error must contain; "" for valid
	}{
		{"valid", func(*delivery.Message) {}, ""},
		{"upper-case key", func(m *delivery.Message) { m.Key = strings.ToUpper(m.Key) }, ""},
		{"no JSON", func(m *delivery.Message) { m.JSON = nil }, ""},
		{"key not a UUID", func(m *delivery.Message) { m.Key = "0190f5b4-7c1e-7a3b-9f2d-3c4b5a6d7e8" }, "key"},
		{"key with a path", func(m *delivery.Message) { m.Key = "0190f5b4/7c1e-7a3b-9f2d-3c4b5a6d7e8f" }, "key"},
		{"reference with a slash", func(m *delivery.Message) { m.Reference = "FL/7K3Q2" }, "reference"},
		{"reference ending in a dash", func(m *delivery.Message) { m.Reference = "FL-" }, "reference"},
		{"reference too long", func(m *delivery.Message) { m.Reference = strings.Repeat("A", 41) }, "reference"},
		{"blank subject", func(m *delivery.Message) { m.Subject = " \t\r\n" }, "subject"},
		{"broken JSON", func(m *delivery.Message) { m.JSON = []byte(`{"a":`) }, "JSON"},
		{"no time", func(m *delivery.Message) { m.CreatedAt = time.Time{} }, "created"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := deliverytest.Message()
			tt.edit(&m)
			err := m.Validate()
			if tt.bad == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !delivery.IsPermanent(err) || !strings.Contains(err.Error(), tt.bad) {
				t.Errorf("Validate = %v, want a permanent error about %s", err, tt.bad)
			}
		})
	}
}

func TestHeaderText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"  two\r\nlines\t\there ", "two lines here"},
		{"nul\x00and\x7fdel", "nul and del"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"\u2028sep\u0085", "sep"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := delivery.HeaderText(tt.in); got != tt.want {
			t.Errorf("HeaderText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAttachmentFileName(t *testing.T) {
	long := strings.Repeat("ä", 150) + ".png"
	tests := []struct {
		name string
		want string
	}{
		{"screen.png", "screen.png"},
		{`C:\Users\jdoe\Desktop\log.txt`, "log.txt"},
		{"../../etc/passwd", "passwd"},
		{"a\r\nb.txt", "a b.txt"},
		{"", "attachment-3"},
		{"dir/", "attachment-3"},
		{"..", "attachment-3"},
		{long, strings.Repeat("ä", 96) + ".png"},
	}
	for _, tt := range tests {
		got := delivery.Attachment{Name: tt.name}.FileName(2)
		if got != tt.want {
			t.Errorf("FileName(%q) = %q, want %q", tt.name, got, tt.want)
		}
		if utf8.RuneCountInString(got) > 100 {
			t.Errorf("FileName(%q) is %d characters", tt.name, utf8.RuneCountInString(got))
		}
	}
}

func TestAttachmentMediaType(t *testing.T) {
	tests := []struct{ in, want string }{
		{"image/png", "image/png"},
		{"Text/Plain; Charset=UTF-8", "text/plain; charset=UTF-8"},
		{"", "application/octet-stream"},
		{"png", "application/octet-stream"},
		{"text/plain\r\nBcc: x", "application/octet-stream"},
	}
	for _, tt := range tests {
		if got := (delivery.Attachment{ContentType: tt.in}).MediaType(); got != tt.want {
			t.Errorf("MediaType(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBody(t *testing.T) {
	m := deliverytest.Message()
	want, err := os.ReadFile("testdata/body.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Body(); got != string(want) {
		t.Errorf("Body =\n%s\nwant (testdata/body.txt)\n%s", got, want)
	}

	m.Summary, m.Fields, m.Reporter.Name = "", nil, ""
	m.Text = "only\rwords\x1b[31m"
	got := m.Body()
	if strings.HasPrefix(got, "\n") || strings.Contains(got, "Details:") || !strings.HasPrefix(got, "Description:\nonly\nwords[31m\n") {
		t.Errorf("sparse body =\n%q", got)
	}
}
