package delivery

import (
	"slices"
	"strings"
	"unicode"
)

// Body renders the plain-text body every human-facing backend sends (mail,
// RT ticket content): the system summary first, the employee's words, the
// structured fields, then the reference and key so that IT can search for
// them. Lines end in "\n"; empty sections are left out. Control characters
// other than newline and tab are dropped: they have no business in a
// ticket and some break terminals and mail clients.
func (m *Message) Body() string {
	var b strings.Builder
	section := func(title, text string) {
		text = strings.TrimSpace(PlainText(text))
		if text == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		if title != "" {
			b.WriteString(title + "\n")
		}
		b.WriteString(text + "\n")
	}
	section("", m.Summary)
	title := "Description:"
	if name := HeaderText(m.Reporter.Name); name != "" {
		title = "Description from " + name + ":"
	}
	section(title, m.Text)
	section("Details:", m.fieldLines())
	section("", "Reference: "+m.Reference+"\nFirstline key: "+m.Key)
	return b.String()
}

// fieldLines lists Fields as "key: value" lines, sorted by key so that the
// same report always renders the same text.
func (m *Message) fieldLines() string {
	keys := make([]string, 0, len(m.Fields))
	for k, v := range m.Fields {
		if HeaderText(k) != "" && HeaderText(v) != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(HeaderText(k) + ": " + HeaderText(m.Fields[k]) + "\n")
	}
	return b.String()
}

// PlainText normalises multi-line text: CRLF and CR become LF, invalid
// UTF-8 is replaced, and control characters other than LF and tab are
// dropped.
func PlainText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}
