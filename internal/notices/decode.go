package notices

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Problem is one thing wrong with a feed document.
type Problem struct {
	// Path is the field at fault in JSON terms ("notices[2].title"); empty
	// for the document as a whole.
	Path string
	// Line is the 1-based line of the document where the problem was
	// found; 0 when not meaningful (validation of decoded values).
	Line int
	// Message says what is wrong and, where it helps, what would be right.
	Message string
}

// String formats the problem as "line N: path: message".
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		b.WriteString("line " + strconv.Itoa(p.Line) + ": ")
	}
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// FeedError is every problem found in a feed document, so whoever wrote it
// can fix it in one pass.
type FeedError struct {
	Problems []Problem
}

func (e *FeedError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "invalid feed: " + strings.Join(parts, "; ")
}

// maxProblems bounds the report on a hostile document.
const maxProblems = 50

// utf8BOM is what Notepad puts at the start of a UTF-8 file. It is skipped:
// it carries no meaning, and an administrator should not have to know it.
const utf8BOM = "\xEF\xBB\xBF"

// DecodeFeed parses and validates a feed document. It is strict: the size
// is capped at MaxFeedBytes, every field must be known and spelled exactly
// (lower case, as documented), appear once and have the documented type,
// and the values must pass Validate. All problems are returned together in
// a *FeedError.
//
// DecodeFeed does not check a signature; Accept does that before calling
// it, so unauthenticated bytes are never parsed.
func DecodeFeed(data []byte) (*Feed, error) {
	if len(data) > MaxFeedBytes {
		return nil, &FeedError{Problems: []Problem{{Message: fmt.Sprintf("the document is %d bytes; the limit is %d", len(data), MaxFeedBytes)}}}
	}
	data = bytes.TrimPrefix(data, []byte(utf8BOM))
	if !utf8.Valid(data) {
		return nil, &FeedError{Problems: []Problem{{Message: "the document is not valid UTF-8"}}}
	}
	w := walker{data: data, dec: json.NewDecoder(bytes.NewReader(data)), fields: map[reflect.Type]map[string]reflect.Type{}}
	w.dec.UseNumber()
	w.document(reflect.TypeFor[Feed]())
	if len(w.problems) > 0 {
		return nil, &FeedError{Problems: w.problems}
	}
	var f Feed
	if err := json.Unmarshal(data, &f); err != nil {
		// The walk checked what Unmarshal checks; reaching this is a bug.
		return nil, &FeedError{Problems: []Problem{{Message: "internal error: " + err.Error()}}}
	}
	for i := range f.Notices {
		// Windows editors write CRLF; the body is shown with "\n".
		f.Notices[i].Body = strings.ReplaceAll(f.Notices[i].Body, "\r\n", "\n")
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// walker checks a JSON document against a Go type token by token, so that
// every unknown field, duplicate and type mismatch is reported, not only
// the first one json.Unmarshal meets; and so that keys must match exactly,
// where json.Unmarshal would take "Title" for "title".
type walker struct {
	data     []byte
	dec      *json.Decoder
	fields   map[reflect.Type]map[string]reflect.Type
	problems []Problem
}

// errStop ends the walk at a syntax error: the rest cannot be read.
var errStop = errors.New("stop")

func (w *walker) document(t reflect.Type) {
	if err := w.value("", t); err != nil {
		return
	}
	if _, err := w.dec.Token(); err != io.EOF {
		w.add("", "data after the end of the JSON document")
	}
}

func (w *walker) add(path, msg string) {
	switch {
	case len(w.problems) < maxProblems:
		w.problems = append(w.problems, Problem{Path: path, Line: w.line(), Message: msg})
	case len(w.problems) == maxProblems:
		w.problems = append(w.problems, Problem{Message: "too many problems; stopped reporting"})
	}
}

// line is the line of the last token read.
func (w *walker) line() int {
	off := min(int(w.dec.InputOffset()), len(w.data))
	return bytes.Count(w.data[:off], []byte("\n")) + 1
}

func (w *walker) token() (json.Token, error) {
	tok, err := w.dec.Token()
	if err != nil {
		msg := "invalid JSON: " + err.Error()
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			msg = "the document ends too early"
		}
		w.add("", msg)
		return nil, errStop
	}
	return tok, nil
}

// value reads one value and checks it against t.
func (w *walker) value(path string, t reflect.Type) error {
	tok, err := w.token()
	if err != nil {
		return err
	}
	if tok == nil {
		// Go writes an empty list as null; anything else null is a mistake.
		if t.Kind() != reflect.Slice {
			w.add(path, "null is not allowed; leave the field out instead")
		}
		return nil
	}
	switch {
	case t == reflect.TypeFor[time.Time]():
		s, ok := tok.(string)
		if !ok {
			return w.mismatch(path, tok, "a date and time as a string, like \"2025-03-01T09:30:00Z\"")
		}
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			w.add(path, fmt.Sprintf("%q is not an RFC 3339 date and time (write it like \"2025-03-01T09:30:00Z\" or \"2025-03-01T10:30:00+01:00\")", s))
		}
	case t.Kind() == reflect.Struct:
		if tok != json.Delim('{') {
			return w.mismatch(path, tok, "an object")
		}
		return w.object(path, t)
	case t.Kind() == reflect.Slice:
		if tok != json.Delim('[') {
			return w.mismatch(path, tok, "a list")
		}
		for i := 0; w.dec.More(); i++ {
			if err := w.value(fmt.Sprintf("%s[%d]", path, i), t.Elem()); err != nil {
				return err
			}
		}
		_, err := w.token() // ']'
		return err
	case t.Kind() == reflect.String:
		if _, ok := tok.(string); !ok {
			return w.mismatch(path, tok, "a string")
		}
	case t.Kind() == reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return w.mismatch(path, tok, "true or false")
		}
	case t.Kind() == reflect.Int || t.Kind() == reflect.Uint64:
		n, ok := tok.(json.Number)
		if !ok {
			return w.mismatch(path, tok, "a whole number")
		}
		var err error
		if t.Kind() == reflect.Int {
			_, err = strconv.ParseInt(string(n), 10, 32)
		} else {
			_, err = strconv.ParseUint(string(n), 10, 64)
		}
		if err != nil {
			w.add(path, fmt.Sprintf("%s is not a whole number in range", n))
		}
	default:
		w.add(path, "internal error: no rule for "+t.String())
	}
	return nil
}

func (w *walker) object(path string, t reflect.Type) error {
	fields := w.fieldsOf(t)
	seen := map[string]bool{}
	for w.dec.More() {
		tok, err := w.token()
		if err != nil {
			return err
		}
		key, _ := tok.(string) // object keys are always strings
		sub := key
		if path != "" {
			sub = path + "." + key
		}
		ft, known := fields[key]
		switch {
		case !known:
			w.add(sub, unknownField(key, fields))
		case seen[key]:
			w.add(sub, "appears twice")
		}
		seen[key] = true
		if err := w.valueOrSkip(sub, ft, known); err != nil {
			return err
		}
	}
	_, err := w.token() // '}'
	return err
}

// valueOrSkip checks the next value against t, or just reads past it when
// the field is unknown (already reported).
func (w *walker) valueOrSkip(path string, t reflect.Type, check bool) error {
	if check {
		return w.value(path, t)
	}
	tok, err := w.token()
	if err != nil {
		return err
	}
	return w.skipRest(tok)
}

func unknownField(key string, fields map[string]reflect.Type) string {
	for name := range fields {
		if strings.EqualFold(name, key) {
			return fmt.Sprintf("unknown field %q (field names are case-sensitive: did you mean %q?)", key, name)
		}
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)
	return fmt.Sprintf("unknown field %q (known here: %s)", key, strings.Join(names, ", "))
}

// mismatch reports a value of the wrong type and reads past the rest of it.
func (w *walker) mismatch(path string, tok json.Token, want string) error {
	w.add(path, "want "+want+", got "+describe(tok))
	return w.skipRest(tok)
}

// skipRest reads past the rest of a value whose first token was tok.
func (w *walker) skipRest(tok json.Token) error {
	if tok != json.Delim('{') && tok != json.Delim('[') {
		return nil
	}
	for depth := 1; depth > 0; {
		tok, err := w.token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "a list"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}

// fieldsOf maps the exact JSON names of t's fields to their types.
func (w *walker) fieldsOf(t reflect.Type) map[string]reflect.Type {
	if m, ok := w.fields[t]; ok {
		return m
	}
	m := map[string]reflect.Type{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" && f.IsExported() {
			m[name] = f.Type
		}
	}
	w.fields[t] = m
	return m
}
