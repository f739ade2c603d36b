// Package deliverytest provides what the delivery backends' tests share: a
// realistic report with awkward attachments, and a mail parser built only
// on the standard library, independent of the code under test.
package deliverytest

import (
	"bytes"
	"embed"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/report/delivery"
)

//go:embed testdata
var fixtures embed.FS

// Key and Reference are those of [Message].
const (
	Key       = "0190f5b4-7c1e-7a3b-9f2d-3c4b5a6d7e8f"
	Reference = "FL-7K3Q2"
)

// Message returns a fresh report as the spool would hand it over: a real
// PNG, a JSON file, a text file with a non-ASCII name, and a binary blob
// holding every byte value.
func Message() delivery.Message {
	return delivery.Message{
		Key:       Key,
		Reference: Reference,
		Subject:   "[FL-7K3Q2] Printer: can't print (Jane Doe, LAPTOP-42)",
		Text:      "The printer on floor 3 says \"offline\".\r\nI need the report printed before 11:00 — Größe A4.\n",
		Summary:   "Windows 11 Pro 23H2 on LAPTOP-42, user jdoe\nDefault printer: HP LaserJet (offline)\nNetwork: office Wi-Fi, internet reachable",
		Fields: map[string]string{
			"category": "printer",
			"severity": "normal",
			"callback": "+49 30 1234567",
			"user":     "jdoe",
			"hostname": "LAPTOP-42",
			"os":       "Windows 11 Pro 23H2",
		},
		Reporter: delivery.Reporter{Name: "Jane Doe", Email: "jane.doe@example.com"},
		Attachments: []delivery.Attachment{
			{Name: "screen.png", ContentType: "image/png", Data: Fixture("screen.png")},
			{Name: "diag.json", ContentType: "application/json", Data: Fixture("diag.json")},
			{Name: "Überblick der Fehler – März.txt", ContentType: "text/plain; charset=utf-8", Data: []byte("Fehler 1: Papierstau\nFehler 2: offline\n")},
			{Name: "trace.bin", ContentType: "application/octet-stream", Data: Binary(70_000)},
		},
		JSON:      Fixture("report.json"),
		CreatedAt: time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC),
	}
}

// Fixture returns a file of this package's testdata; it panics when the
// file is missing, which is a broken build, not a test failure.
func Fixture(name string) []byte {
	b, err := fixtures.ReadFile("testdata/" + name)
	if err != nil {
		panic(err)
	}
	return b
}

// Binary returns n bytes cycling through every byte value, with a stride
// that keeps neighbours different: the data any text-mode mangling breaks.
func Binary(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/256)
	}
	return b
}

// Mail is a parsed message.
type Mail struct {
	Header      mail.Header
	Body        string // the decoded text/plain part
	Attachments []delivery.Attachment
}

// ParseMail parses raw the way a mail client would: headers with net/mail,
// the multipart structure with mime/multipart, transfer encodings decoded.
// It returns an error for anything a client would choke on.
func ParseMail(raw []byte) (*Mail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("reading message: %w", err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("message Content-Type: %w", err)
	}
	out := &Mail{Header: msg.Header}
	if !strings.HasPrefix(mt, "multipart/") {
		body, err := io.ReadAll(msg.Body)
		out.Body = string(body)
		return out, err
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading part: %w", err)
		}
		data, err := io.ReadAll(p) // multipart decodes quoted-printable itself
		if err != nil {
			return nil, fmt.Errorf("reading part: %w", err)
		}
		if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
			data, err = base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(data)))
			if err != nil {
				return nil, fmt.Errorf("decoding base64 part: %w", err)
			}
		}
		disp, dparams, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		if disp != "attachment" {
			out.Body += string(data)
			continue
		}
		out.Attachments = append(out.Attachments, delivery.Attachment{
			Name:        dparams["filename"],
			ContentType: p.Header.Get("Content-Type"),
			Data:        data,
		})
	}
}

// DecodeHeader decodes RFC 2047 encoded-words in a header value.
func DecodeHeader(v string) (string, error) {
	return new(mime.WordDecoder).DecodeHeader(v)
}
