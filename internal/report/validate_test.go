package report

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func validSubmission() Submission {
	return Submission{
		Key:       NewKey(time.Date(2025, 6, 1, 9, 30, 0, 0, time.UTC)),
		CreatedAt: time.Date(2025, 6, 1, 9, 30, 0, 0, time.UTC),
		Text:      "Outlook keeps asking for my password",
		Severity:  SeverityBlocked,
		Attachments: []Attachment{
			{Name: "screen.png", ContentType: "image/png", Kind: KindScreenshot, Data: []byte("png")},
		},
	}
}

func TestValidateNamesTheField(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Submission)
		field  string
	}{
		{"valid", func(*Submission) {}, ""},
		{"zero key", func(s *Submission) { s.Key = Key{} }, "key"},
		{"v4 key", func(s *Submission) { s.Key[6] = 0x40 }, "key"},
		{"no created_at", func(s *Submission) { s.CreatedAt = time.Time{} }, "created_at"},
		{"created_at year 1", func(s *Submission) { s.CreatedAt = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC) }, "created_at"},
		{"bad utf8", func(s *Submission) { s.Text = "a\xffb" }, "text"},
		{"NUL in text", func(s *Submission) { s.Text = "a\x00b" }, "text"},
		{"newlines and tabs are fine", func(s *Submission) { s.Text = "line 1\n\tline 2\r\n" }, ""},
		{"no severity", func(s *Submission) { s.Severity = "" }, "severity"},
		{"category upper", func(s *Submission) { s.Category = "VPN" }, "category"},
		{"category leading dash", func(s *Submission) { s.Category = "-vpn" }, "category"},
		{"category ok", func(s *Submission) { s.Category = "network.vpn-2" }, ""},
		{"callback empty method is none", func(s *Submission) { s.Callback = Callback{Number: "123"} }, ""},
		{"callback when too long", func(s *Submission) { s.Callback.When = strings.Repeat("x", 201) }, "callback.when"},
		{"snapshot not json", func(s *Submission) { s.Snapshot = []byte("{") }, "snapshot"},
		{"no attachment name", func(s *Submission) { s.Attachments[0].Name = "" }, "attachments[0].name"},
		{"no attachment kind", func(s *Submission) { s.Attachments[0].Kind = "" }, "attachments[0].kind"},
		{"empty attachment ok", func(s *Submission) { s.Attachments[0].Data = nil }, ""},
		{"content type with params ok", func(s *Submission) { s.Attachments[0].ContentType = "text/plain; charset=utf-8" }, ""},
		{"content type with newline", func(s *Submission) { s.Attachments[0].ContentType = "text/plain\r\nX: y" }, "attachments[0].content_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validSubmission()
			tt.change(&s)
			err := s.Validate(DefaultLimits())
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Fatalf("got %v, want an error for %q", err, tt.field)
			}
		})
	}
}

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"screen.png", true},
		{"Résumé 2025 (final).pdf", true},
		{".bashrc", true},
		{"a.b.c", true},
		{"", false},
		{"dir/file", false},
		{`dir\file`, false},
		{"C:file", false},
		{"file.txt:stream", false},
		{"..", false},
		{"a..b", false},
		{".", false},
		{"name.", false},
		{" name", false},
		{"name ", false},
		{"tab\there", false},
		{"bad\xffutf8", false},
		{"gpj\u202e.exe", false},
		{"zero\u200bwidth", false},
		{"CON", false},
		{"con.txt", false},
		{"Com1.log", false},
		{"LPT9", false},
		{"COM10", true},
		{"console.log", true},
		{strings.Repeat("a", 255), true},
		{strings.Repeat("a", 256), false},
	}
	for _, tt := range tests {
		err := ValidateName(tt.name, 255)
		if (err == nil) != tt.ok {
			t.Errorf("ValidateName(%.40q) = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestSanitizeNameMakesValidNames(t *testing.T) {
	tests := []struct{ in, want string }{
		{"screen.png", "screen.png"},
		{"/home/me/Desktop/error.log", "error.log"},
		{`C:\Users\me\error.log`, "error.log"},
		{"../../etc/passwd", "passwd"},
		{"dir/", "dir_"},
		{"..", "attachment"},
		{"", "attachment"},
		{"report..final...pdf", "report.final.pdf"},
		{"name. . ", "name"},
		{"a.\u00a0", "a"},
		{"CON.txt", "_CON.txt"},
		{"gpj\u202e.exe", "gpj_.exe"},
		{"x:y", "x_y"},
		{strings.Repeat("é", 200) + ".png", strings.Repeat("é", 125) + ".png"},
	}
	for _, tt := range tests {
		got := SanitizeName(tt.in, 255)
		if got != tt.want {
			t.Errorf("SanitizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if err := ValidateName(got, 255); err != nil {
			t.Errorf("SanitizeName(%q) = %q, which ValidateName refuses: %v", tt.in, got, err)
		}
	}
}

func TestTitle(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Printer offline", "Printer offline"},
		{"\n\n  Printer offline  \nmore", "Printer offline"},
		{"a\tb", "a b"},
		{strings.Repeat("x", 100), strings.Repeat("x", 79) + "…"},
		{"", ""},
	}
	for _, tt := range tests {
		s := Submission{Text: tt.text}
		if got := s.Title(); got != tt.want {
			t.Errorf("Title(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestMaxRequestBytesCoversAFullReport(t *testing.T) {
	l := DefaultLimits()
	if got, min := l.MaxRequestBytes(), l.TotalBytes*4/3; got < min || got > min+2<<20 {
		t.Errorf("MaxRequestBytes = %d; want a little over %d", got, min)
	}
}
