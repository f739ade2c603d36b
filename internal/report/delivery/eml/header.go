package eml

import (
	"bytes"
	"strconv"
	"strings"
)

// maxLine is the line length RFC 5322 asks header lines to stay within.
const maxLine = 78

// headerWriter writes header fields, folding long ones at spaces.
type headerWriter struct {
	b *bytes.Buffer
}

// field writes "name: value" folded at spaces to stay within maxLine where
// the value allows. A value may already contain folds ("\r\n "); they
// are kept.
func (h headerWriter) field(name, value string) {
	col := len(name) + 1
	h.b.WriteString(name + ":")
	for i, line := range strings.Split(value, "\r\n") {
		if i > 0 {
			h.b.WriteString("\r\n")
			col = 0
		}
		for j, word := range strings.Split(line, " ") {
			if j == 0 && i > 0 {
				// A kept fold: its leading space is this empty word.
				h.b.WriteString(word)
				col += len(word)
				continue
			}
			// Folding right after "Name:" is allowed and is what an
			// encoded-word of the full 75 characters needs.
			if col+1+len(word) > maxLine && col > 0 && word != "" {
				h.b.WriteString("\r\n")
				col = 0
			}
			h.b.WriteString(" " + word)
			col += 1 + len(word)
		}
	}
	h.b.WriteString("\r\n")
}

// param is one MIME parameter, name and raw value.
type param struct {
	name, value string
}

// params formats MIME parameters, each on its own folded line when there
// are several. A value that is plain printable ASCII and short is written
// as a quoted string; anything else (non-ASCII file names above all) is
// written per RFC 2231: percent-encoded UTF-8, split into numbered
// continuations short enough for a header line.
func params(ps []param) string {
	var parts []string
	for _, p := range ps {
		parts = append(parts, encodeParam(p)...)
	}
	return strings.Join(parts, ";\r\n ")
}

// maxSegment keeps an RFC 2231 continuation within a header line with
// room for its name, its number and the charset prefix.
const maxSegment = 50

func encodeParam(p param) []string {
	if isPlain(p.value) && len(p.value) <= maxSegment {
		return []string{p.name + "=" + quote(p.value)}
	}
	// Segments end on character boundaries: RFC 2231 leaves open whether a
	// reader may decode each segment on its own.
	var segs []string
	var seg strings.Builder
	for _, r := range p.value {
		enc := percentEncode(string(r))
		if seg.Len()+len(enc) > maxSegment {
			segs = append(segs, seg.String())
			seg.Reset()
		}
		seg.WriteString(enc)
	}
	segs = append(segs, seg.String())
	if len(segs) == 1 {
		return []string{p.name + "*=utf-8''" + segs[0]}
	}
	out := make([]string, len(segs))
	for n, s := range segs {
		prefix := ""
		if n == 0 {
			prefix = "utf-8''"
		}
		out[n] = p.name + "*" + strconv.Itoa(n) + "*=" + prefix + s
	}
	return out
}

// isPlain reports whether s is printable ASCII without characters that
// would need escaping inside a quoted string.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func quote(s string) string {
	return `"` + s + `"`
}

// percentEncode encodes s per RFC 2231/5987: attr-chars stay, every other
// byte of its UTF-8 becomes %XX.
func percentEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0xf])
	}
	return b.String()
}

func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
