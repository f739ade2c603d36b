package eml

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/firstline-it/firstline/internal/report/delivery"
)

// MessageID returns the Message-ID of the report with this key, brackets
// included: "<KEY@firstline>".
func MessageID(key string) string {
	return "<" + key + "@firstline>"
}

// Build returns the message of m from from to to, with CRLF line endings.
// Replies go to the reporter when their address is valid.
func Build(m *delivery.Message, from *mail.Address, to []*mail.Address) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if from == nil || from.Address == "" {
		return nil, errors.New("building mail: no From address")
	}
	if len(to) == 0 {
		return nil, errors.New("building mail: no recipient")
	}
	boundary := Boundary(m.Key)

	var b bytes.Buffer
	size := 4096 + 2*len(m.Text) + 2*len(m.Summary)
	for _, a := range m.Attachments {
		size += 512 + len(a.Data)*4/3 + len(a.Data)/28 // base64 plus CRLF every 76
	}
	b.Grow(size)
	h := headerWriter{&b}
	h.field("Message-ID", MessageID(m.Key))
	h.field("Date", m.CreatedAt.Format(time.RFC1123Z))
	h.field("From", from.String())
	h.field("To", joinAddresses(to))
	if reply := replyTo(m.Reporter); reply != nil {
		h.field("Reply-To", reply.String())
	}
	h.field("Subject", mime.QEncoding.Encode("utf-8", shorten(delivery.HeaderText(m.Subject), maxSubject)))
	h.field("MIME-Version", "1.0")
	h.field("X-Firstline-Key", m.Key)
	h.field("X-Firstline-Reference", m.Reference)
	h.field("Content-Type", "multipart/mixed; "+params([]param{{"boundary", boundary}}))
	b.WriteString("\r\n")

	b.WriteString("--" + boundary + "\r\n")
	h.field("Content-Type", "text/plain; charset=utf-8")
	h.field("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(m.Body())); err != nil {
		return nil, fmt.Errorf("encoding the mail body: %w", err)
	}
	if err := qp.Close(); err != nil {
		return nil, fmt.Errorf("encoding the mail body: %w", err)
	}
	b.WriteString("\r\n")

	for i, a := range m.Attachments {
		name := a.FileName(i)
		mt, typeParams, _ := mime.ParseMediaType(a.MediaType())
		var ps []param
		for _, k := range slices.Sorted(maps.Keys(typeParams)) {
			if k != "name" {
				ps = append(ps, param{k, typeParams[k]})
			}
		}
		ps = append(ps, param{"name", name})
		b.WriteString("--" + boundary + "\r\n")
		h.field("Content-Type", mt+"; "+params(ps))
		h.field("Content-Disposition", "attachment; "+params([]param{{"filename", name}}))
		h.field("Content-Transfer-Encoding", "base64")
		b.WriteString("\r\n")
		writeBase64(&b, a.Data)
	}
	b.WriteString("--" + boundary + "--\r\n")
	return b.Bytes(), nil
}

// Boundary returns the MIME boundary of the message with this key. It
// starts with "=_", which neither quoted-printable nor base64 output can
// contain, so it cannot collide with the content.
func Boundary(key string) string {
	sum := sha256.Sum256([]byte("firstline-boundary\x00" + key))
	return "=_fl_" + hex.EncodeToString(sum[:12])
}

func joinAddresses(list []*mail.Address) string {
	s := make([]string, len(list))
	for i, a := range list {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}

// replyTo is the reporter as an address, or nil when their address does
// not parse: a bad Reply-To would bounce IT's answers.
func replyTo(r delivery.Reporter) *mail.Address {
	addr, err := mail.ParseAddress(delivery.HeaderText(r.Email))
	if err != nil || addr.Name != "" {
		return nil
	}
	addr.Name = delivery.HeaderText(r.Name)
	return addr
}

// writeBase64 writes data in base64 lines of 76 characters (RFC 2045).
func writeBase64(b *bytes.Buffer, data []byte) {
	const line = 76
	enc := base64.StdEncoding.EncodeToString(data)
	b.Grow(len(enc) + len(enc)/line*2 + 2)
	for len(enc) > 0 {
		n := min(line, len(enc))
		b.WriteString(enc[:n])
		b.WriteString("\r\n")
		enc = enc[n:]
	}
}

// maxSubject bounds the subject in characters: mail clients show a line,
// and an unbroken run of text longer than a header line cannot be folded.
const maxSubject = 250

// shorten cuts s to at most n characters, marking the cut with "…".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
