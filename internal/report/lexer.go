package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// lexer reads JSON from a complete document in memory. It exists for
// speed: encoding/json scans every byte of a value through a state machine
// before decoding it, which makes a 1 MB base64 screenshot cost about 10 ms;
// here a string without escapes (all of base64) is found with
// bytes.IndexByte and taken as is. Anything unusual (escapes, invalid UTF-8)
// is handed back to encoding/json so the result is the same as its own, and
// FuzzDecodeSubmission checks the two agree.
type lexer struct {
	data []byte
	pos  int
}

// maxDepth bounds nesting in the snapshot, as encoding/json does, so a
// hostile "[[[[…" cannot exhaust the stack.
const maxDepth = 1000

// syntaxErr is a malformed document: where, what, and whether the
// document simply ended too early (a torn write, a cut connection).
type syntaxErr struct {
	Offset int
	Msg    string
	End    bool
}

func (e *syntaxErr) Error() string { return fmt.Sprintf("at byte %d: %s", e.Offset, e.Msg) }

func (l *lexer) fail(format string, args ...any) error {
	return &syntaxErr{Offset: l.pos, Msg: fmt.Sprintf(format, args...), End: l.pos >= len(l.data)}
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.data) {
		switch l.data[l.pos] {
		case ' ', '\t', '\n', '\r':
			l.pos++
		default:
			return
		}
	}
}

// peek returns the next byte that is not white space, or 0 at the end.
func (l *lexer) peek() byte {
	l.skipSpace()
	if l.pos >= len(l.data) {
		return 0
	}
	return l.data[l.pos]
}

// atEnd reports whether only white space is left.
func (l *lexer) atEnd() bool {
	l.skipSpace()
	return l.pos >= len(l.data)
}

// consume takes c if it is next and reports whether it did.
func (l *lexer) consume(c byte) bool {
	if l.peek() == c {
		l.pos++
		return true
	}
	return false
}

func (l *lexer) expect(c byte) error {
	if !l.consume(c) {
		if l.pos >= len(l.data) {
			return l.fail("unexpected end, want %q", c)
		}
		return l.fail("unexpected %q, want %q", l.data[l.pos], c)
	}
	return nil
}

// null takes a null literal if one is next.
func (l *lexer) null() bool {
	if l.peek() == 'n' && bytes.HasPrefix(l.data[l.pos:], []byte("null")) {
		l.pos += 4
		return true
	}
	return false
}

// rawString returns the next string token, quotes included, and whether it
// can be used without unescaping (no backslash, valid UTF-8).
func (l *lexer) rawString() (raw []byte, plain bool, err error) {
	if l.peek() != '"' {
		return nil, false, errNotString
	}
	start := l.pos
	i := start + 1
	plain = true
	for {
		j := bytes.IndexByte(l.data[i:], '"')
		if j < 0 {
			l.pos = len(l.data)
			return nil, false, l.fail("unterminated string")
		}
		seg := l.data[i : i+j]
		if k := bytes.IndexByte(seg, '\\'); k >= 0 {
			// Step over the escape and look again: the quote found
			// may be an escaped one.
			plain = false
			i += k + 2
			if i > len(l.data) {
				l.pos = len(l.data)
				return nil, false, l.fail("unterminated string")
			}
			continue
		}
		end := i + j + 1
		for p, c := range l.data[start+1 : end-1] {
			if c < 0x20 {
				l.pos = start + 1 + p
				return nil, false, l.fail("control character in string")
			}
		}
		l.pos = end
		raw = l.data[start:end]
		return raw, plain && utf8.Valid(raw), nil
	}
}

// errNotString is what rawString returns when the next value is not a
// string; callers turn it into "must be a string".
var errNotString = errors.New("not a string")

// bytesValue returns the next string's content: the bytes themselves when
// plain (no copy), otherwise unescaped by encoding/json.
func (l *lexer) bytesValue() ([]byte, error) {
	raw, plain, err := l.rawString()
	if err != nil {
		return nil, err
	}
	if plain {
		return raw[1 : len(raw)-1], nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, &syntaxErr{Offset: l.pos - len(raw), Msg: "bad escape in string"}
	}
	return []byte(s), nil
}

// skipValue steps over one value of any kind and returns its bytes. The
// caller checks them with json.Valid: this only needs to find the end.
func (l *lexer) skipValue(depth int) ([]byte, error) {
	if depth > maxDepth {
		return nil, l.fail("nested too deeply")
	}
	if l.atEnd() {
		return nil, l.fail("unexpected end")
	}
	start := l.pos
	switch c := l.data[l.pos]; c {
	case '"':
		if _, _, err := l.rawString(); err != nil {
			return nil, err
		}
	case '{', '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		l.pos++
		for first := true; !l.consume(closer); first = false {
			if !first {
				if err := l.expect(','); err != nil {
					return nil, err
				}
			}
			if c == '{' {
				if _, _, err := l.rawString(); err != nil {
					return nil, l.fail("want a member name")
				}
				if err := l.expect(':'); err != nil {
					return nil, err
				}
			}
			if _, err := l.skipValue(depth + 1); err != nil {
				return nil, err
			}
		}
	default:
		// A number or a literal: everything up to the next delimiter.
		l.pos++
		for l.pos < len(l.data) && strings.IndexByte(",]} \t\r\n", l.data[l.pos]) < 0 {
			l.pos++
		}
	}
	return l.data[start:l.pos], nil
}
