package eml_test

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/report/delivery/deliverytest"
	"github.com/firstline-it/firstline/internal/report/delivery/eml"
)

var (
	testFrom = &mail.Address{Name: "Firstline", Address: "firstline@example.com"}
	testTo   = []*mail.Address{{Name: "IT Helpdesk", Address: "helpdesk@example.com"}, {Address: "oncall@example.com"}}
)

func build(t *testing.T, m delivery.Message) (raw []byte, parsed *deliverytest.Mail) {
	t.Helper()
	raw, err := eml.Build(&m, testFrom, testTo)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	parsed, err = deliverytest.ParseMail(raw)
	if err != nil {
		t.Fatalf("ParseMail: %v\n%s", err, raw)
	}
	return raw, parsed
}

func TestBuildHeaders(t *testing.T) {
	m := deliverytest.Message()
	_, got := build(t, m)

	subject, err := deliverytest.DecodeHeader(got.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decoding Subject: %v", err)
	}
	date, err := got.Header.Date()
	if err != nil {
		t.Fatalf("Date: %v", err)
	}
	replyTo, err := got.Header.AddressList("Reply-To")
	if err != nil || len(replyTo) != 1 {
		t.Fatalf("Reply-To = %v, %v", replyTo, err)
	}
	to, err := got.Header.AddressList("To")
	if err != nil {
		t.Fatalf("To: %v", err)
	}

	checks := []struct{ name, got, want string }{
		{"Message-ID", got.Header.Get("Message-ID"), "<" + m.Key + "@firstline>"},
		{"X-Firstline-Key", got.Header.Get("X-Firstline-Key"), m.Key},
		{"X-Firstline-Reference", got.Header.Get("X-Firstline-Reference"), m.Reference},
		{"Subject", subject, m.Subject},
		{"From", got.Header.Get("From"), `"Firstline" <firstline@example.com>`},
		{"Reply-To", replyTo[0].Address, m.Reporter.Email},
		{"Reply-To name", replyTo[0].Name, m.Reporter.Name},
		{"To count", string(rune('0' + len(to))), "2"},
		{"To[1]", to[1].Address, "oncall@example.com"},
		{"MIME-Version", got.Header.Get("MIME-Version"), "1.0"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if !date.Equal(m.CreatedAt) {
		t.Errorf("Date = %v, want %v", date, m.CreatedAt)
	}
}

func TestBuildBodyAndAttachments(t *testing.T) {
	m := deliverytest.Message()
	_, got := build(t, m)

	body := strings.ReplaceAll(got.Body, "\r\n", "\n")
	if body != m.Body() {
		t.Errorf("body =\n%s\nwant\n%s", body, m.Body())
	}
	iSummary := strings.Index(body, "Default printer")
	iWords := strings.Index(body, "Größe A4")
	if iSummary < 0 || iWords < 0 || iSummary > iWords {
		t.Errorf("summary at %d, words at %d: the summary must come first", iSummary, iWords)
	}

	if len(got.Attachments) != len(m.Attachments) {
		t.Fatalf("%d attachments, want %d", len(got.Attachments), len(m.Attachments))
	}
	for i, want := range m.Attachments {
		a := got.Attachments[i]
		if a.Name != want.Name {
			t.Errorf("attachment %d name %q, want %q", i, a.Name, want.Name)
		}
		if !bytes.Equal(a.Data, want.Data) {
			t.Errorf("attachment %d (%s): %d bytes differ from the %d sent", i, want.Name, len(a.Data), len(want.Data))
		}
		if gotType := (delivery.Attachment{ContentType: a.ContentType}).MediaType(); !strings.HasPrefix(gotType, want.MediaType()) {
			t.Errorf("attachment %d type %q, want %q", i, gotType, want.MediaType())
		}
	}
}

func TestBuildWireFormat(t *testing.T) {
	m := deliverytest.Message()
	m.Attachments = append(m.Attachments, delivery.Attachment{
		Name: strings.Repeat("日本語のファイル名", 20) + ".log", ContentType: "text/plain", Data: []byte("x"),
	})
	m.Subject = strings.Repeat("Drucker druckt nicht – Größe A4 ", 6)
	raw, got := build(t, m)

	for i, line := range bytes.Split(raw, []byte("\r\n")) {
		if bytes.IndexByte(line, '\n') >= 0 || bytes.IndexByte(line, '\r') >= 0 {
			t.Fatalf("line %d has a bare CR or LF: %q", i, line)
		}
		if len(line) > 998 {
			t.Errorf("line %d is %d bytes, RFC 5322 allows 998", i, len(line))
		}
		// Headers fold, quoted-printable and base64 wrap at 76: every
		// line fits the recommended 78.
		if len(line) > 78 {
			t.Errorf("line %d is %d bytes, want at most 78: %q", i, len(line), line)
		}
		for _, c := range line {
			if c >= 0x80 {
				t.Fatalf("line %d has 8-bit data; the message must be 7-bit: %q", i, line)
			}
		}
	}
	last := got.Attachments[len(got.Attachments)-1]
	if want := m.Attachments[len(m.Attachments)-1].FileName(len(m.Attachments) - 1); last.Name != want {
		t.Errorf("long non-ASCII name came back as %q, want %q", last.Name, want)
	}
	subject, _ := deliverytest.DecodeHeader(got.Header.Get("Subject"))
	if subject != delivery.HeaderText(m.Subject) {
		t.Errorf("long subject came back as %q", subject)
	}
}

func TestBuildIsDeterministicPerKey(t *testing.T) {
	m := deliverytest.Message()
	a, _ := build(t, m)
	b, _ := build(t, m)
	if !bytes.Equal(a, b) {
		t.Error("the same report built twice differs; a re-delivery must be an identical copy")
	}
	m.Key = "0190f5b4-7c1e-7a3b-9f2d-000000000001"
	c, parsed := build(t, m)
	if bytes.Equal(a, c) {
		t.Error("a different key gave the same message")
	}
	if parsed.Header.Get("Message-ID") == "<"+deliverytest.Key+"@firstline>" {
		t.Error("Message-ID does not follow the key")
	}
}

func TestBuildRefusesHeaderInjection(t *testing.T) {
	m := deliverytest.Message()
	m.Subject = "help\r\nBcc: attacker@example.net\r\n\r\nforged body"
	m.Reporter = delivery.Reporter{Name: "Eve\r\nBcc: x@example.net", Email: "eve@example.com\r\nBcc: y@example.net"}
	m.Attachments = []delivery.Attachment{{Name: "a\r\nBcc: z@example.net.txt", ContentType: "text/plain\r\nBcc: w@example.net", Data: []byte("x")}}
	raw, got := build(t, m)
	if v := got.Header.Get("Bcc"); v != "" {
		t.Fatalf("injected Bcc header %q", v)
	}
	if got.Header.Get("Reply-To") != "" {
		t.Errorf("an address with a line break became Reply-To %q", got.Header.Get("Reply-To"))
	}
	if bytes.Contains(raw, []byte("\r\nBcc:")) {
		t.Error("a line starting with Bcc: reached the message")
	}
}

func TestBuildErrors(t *testing.T) {
	valid := deliverytest.Message()
	tests := []struct {
		name string
		edit func(*delivery.Message)
		from *mail.Address
		to   []*mail.Address
	}{
		{"bad key", func(m *delivery.Message) { m.Key = "../../etc/passwd" }, testFrom, testTo},
		{"bad reference", func(m *delivery.Message) { m.Reference = "FL 1" }, testFrom, testTo},
		{"no subject", func(m *delivery.Message) { m.Subject = "\r\n" }, testFrom, testTo},
		{"bad JSON", func(m *delivery.Message) { m.JSON = []byte("{") }, testFrom, testTo},
		{"no time", func(m *delivery.Message) { m.CreatedAt = time.Time{} }, testFrom, testTo},
		{"no from", func(*delivery.Message) {}, nil, testTo},
		{"no to", func(*delivery.Message) {}, testFrom, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid
			tt.edit(&m)
			if _, err := eml.Build(&m, tt.from, tt.to); err == nil {
				t.Fatal("Build succeeded")
			}
		})
	}
}

func FuzzBuild(f *testing.F) {
	m := deliverytest.Message()
	f.Add(m.Subject, m.Text, m.Attachments[2].Name, m.Reporter.Name)
	f.Add("a=?utf-8?q?x?=b", "line\r\n.\r\n", "..", "\"quoted\" \\ name")
	f.Add(strings.Repeat("ü", 300), "\x00\x01", strings.Repeat("é", 150), "Ünïcödé")
	f.Fuzz(func(t *testing.T, subject, text, fileName, name string) {
		m := deliverytest.Message()
		m.Subject, m.Text, m.Reporter.Name = subject, text, name
		m.Attachments = []delivery.Attachment{{Name: fileName, ContentType: "text/plain", Data: []byte(text)}}
		raw, err := eml.Build(&m, testFrom, testTo)
		if delivery.HeaderText(subject) == "" {
			if err == nil {
				t.Fatal("an empty subject was accepted")
			}
			return
		}
		if err != nil {
			t.Fatalf("Build: %v", err)
		}
		got, err := deliverytest.ParseMail(raw)
		if err != nil {
			t.Fatalf("the message does not parse: %v", err)
		}
		if got.Header.Get("X-Firstline-Key") != m.Key {
			t.Fatalf("key header lost")
		}
		if len(got.Attachments) != 1 || got.Attachments[0].Name != m.Attachments[0].FileName(0) || !bytes.Equal(got.Attachments[0].Data, []byte(text)) {
			t.Fatalf("attachment %q did not survive: %+v", fileName, got.Attachments)
		}
		if body := strings.ReplaceAll(got.Body, "\r\n", "\n"); body != m.Body() {
			t.Fatalf("body changed:\n%q\nwant\n%q", body, m.Body())
		}
		for _, line := range bytes.Split(raw, []byte("\r\n")) {
			if len(line) > 998 {
				t.Fatalf("line of %d bytes", len(line))
			}
		}
	})
}

func BenchmarkBuild(b *testing.B) {
	m := deliverytest.Message()
	m.Attachments = append(m.Attachments, delivery.Attachment{Name: "big.png", ContentType: "image/png", Data: deliverytest.Binary(1 << 20)})
	b.SetBytes(1 << 20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := eml.Build(&m, testFrom, testTo); err != nil {
			b.Fatal(err)
		}
	}
}
