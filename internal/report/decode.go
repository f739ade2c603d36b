package report

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"time"
)

// DecodeSubmission reads one submission from r (a LocalAPI request body or
// a file of the app's own spool) and validates it against l. It reads at
// most l.MaxRequestBytes()+1 bytes and refuses, naming the field:
//
//   - a document over that size (the error wraps ErrTooLarge);
//   - fields it does not know, and a field given twice (JSON decoders
//     disagree on which copy wins, so neither may);
//   - fields only the service sets ("owner", "reference", ...);
//   - anything that names a file instead of carrying it ("path", "file",
//     "url" ...): the service never opens a path a client names;
//   - data after the submission's closing brace.
//
// Field names must be spelt exactly as documented (encoding/json would
// also take "TEXT"). Every error it returns is a *FieldError.
func DecodeSubmission(r io.Reader, l Limits) (Submission, error) {
	limit := l.MaxRequestBytes()
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return Submission{}, &FieldError{Problem: "the report could not be read: " + err.Error(), Err: err}
	}
	if int64(len(data)) > limit {
		return Submission{}, tooLarge("", "the report is larger than %s", bytesText(limit))
	}
	d := &decoder{lex: lexer{data: data}, limits: l}
	var s Submission
	if err := d.submission(&s); err != nil {
		return Submission{}, err
	}
	if !d.lex.atEnd() {
		return Submission{}, fieldErr("", "unexpected data after the report (at byte %d)", d.lex.pos)
	}
	if err := s.Validate(l); err != nil {
		return Submission{}, err
	}
	return s, nil
}

// decoder walks the document member by member, so that it knows which
// field it is in when something is wrong and sees duplicate and unknown
// fields.
type decoder struct {
	lex    lexer
	limits Limits
}

func (d *decoder) submission(s *Submission) error {
	return d.object("", func(name, field string) error {
		switch name {
		case "key":
			return d.text(field, &s.Key)
		case "created_at":
			return d.time(field, &s.CreatedAt)
		case "text":
			return d.str(field, &s.Text)
		case "category":
			return d.str(field, &s.Category)
		case "severity":
			return d.str(field, (*string)(&s.Severity))
		case "callback":
			return d.callback(field, &s.Callback)
		case "snapshot":
			return d.raw(field, &s.Snapshot)
		case "attachments":
			return d.attachments(field, &s.Attachments)
		case "owner", "reference", "received_at", "state", "destinations":
			return fieldErr(field, "is set by the service, never by the app")
		}
		return unknownField(field, name)
	})
}

func (d *decoder) callback(path string, c *Callback) error {
	return d.object(path, func(name, field string) error {
		switch name {
		case "method":
			return d.str(field, (*string)(&c.Method))
		case "number":
			return d.str(field, &c.Number)
		case "when":
			return d.str(field, &c.When)
		}
		return unknownField(field, name)
	})
}

func (d *decoder) attachments(path string, list *[]Attachment) error {
	if d.lex.null() {
		return nil
	}
	if !d.lex.consume('[') {
		return d.wrongType(path, "a list")
	}
	for i := 0; !d.lex.consume(']'); i++ {
		if i > 0 {
			if err := d.lex.expect(','); err != nil {
				return syntaxError(path, err)
			}
		}
		if i >= d.limits.Attachments {
			return tooLarge(path, "has more than %d attachments", d.limits.Attachments)
		}
		var a Attachment
		if err := d.attachment(path+"["+strconv.Itoa(i)+"]", &a); err != nil {
			return err
		}
		*list = append(*list, a)
	}
	return nil
}

func (d *decoder) attachment(path string, a *Attachment) error {
	return d.object(path, func(name, field string) error {
		switch name {
		case "name":
			return d.str(field, &a.Name)
		case "content_type":
			return d.str(field, &a.ContentType)
		case "kind":
			return d.str(field, (*string)(&a.Kind))
		case "data":
			return d.base64(field, &a.Data)
		}
		return unknownField(field, name)
	})
}

// unknownField refuses a member the model does not have. Names a client
// might use to point at a file rather than send it get a message saying
// why, not just "unknown".
func unknownField(field, name string) error {
	switch name {
	case "path", "file", "filename", "file_path", "filepath", "location", "uri", "url", "source", "src":
		return fieldErr(field, "refused: attachments and reports carry their content; the service never opens a file a request names")
	}
	return fieldErr(field, "is not a field of a report")
}

// object reads a JSON object (or null) at path, calling member for each
// member with its name and full path. It refuses a name seen twice.
func (d *decoder) object(path string, member func(name, path string) error) error {
	if d.lex.null() {
		return nil
	}
	if !d.lex.consume('{') {
		return d.wrongType(path, "an object")
	}
	seen := map[string]bool{}
	for first := true; !d.lex.consume('}'); first = false {
		if !first {
			if err := d.lex.expect(','); err != nil {
				return syntaxError(path, err)
			}
		}
		nameBytes, err := d.lex.bytesValue()
		if err != nil {
			return syntaxError(path, err)
		}
		name := string(nameBytes)
		sub := name
		if path != "" {
			sub = path + "." + name
		}
		if err := d.lex.expect(':'); err != nil {
			return syntaxError(sub, err)
		}
		if seen[name] {
			return fieldErr(sub, "is given twice")
		}
		seen[name] = true
		if err := member(name, sub); err != nil {
			return err
		}
	}
	return nil
}

// str reads a string (or null, which leaves *v alone, as encoding/json
// does).
func (d *decoder) str(path string, v *string) error {
	if d.lex.null() {
		return nil
	}
	b, err := d.lex.bytesValue()
	if err != nil {
		return d.valueError(path, err, "a string")
	}
	*v = string(b)
	return nil
}

// text reads a string into a TextUnmarshaler, as encoding/json would.
func (d *decoder) text(path string, v encoding.TextUnmarshaler) error {
	if d.lex.null() {
		return nil
	}
	b, err := d.lex.bytesValue()
	if err != nil {
		return d.valueError(path, err, "a string")
	}
	if err := v.UnmarshalText(b); err != nil {
		return &FieldError{Field: path, Problem: err.Error(), Err: err}
	}
	return nil
}

// time reads a date and time with time.Time's own JSON rules.
func (d *decoder) time(path string, v *time.Time) error {
	if d.lex.null() {
		return nil
	}
	raw, _, err := d.lex.rawString()
	if err == nil {
		err = v.UnmarshalJSON(raw)
	}
	if err != nil {
		return d.valueError(path, err, `a date and time like "2025-06-01T09:30:00Z"`)
	}
	return nil
}

// base64 reads standard base64 in a string, as encoding/json does for
// []byte.
func (d *decoder) base64(path string, v *[]byte) error {
	if d.lex.null() {
		*v = nil
		return nil
	}
	b, err := d.lex.bytesValue()
	if err != nil {
		return d.valueError(path, err, "base64 text")
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(b)))
	n, err := base64.StdEncoding.Decode(out, b)
	if err != nil {
		return fieldErr(path, "is not valid base64")
	}
	*v = out[:n]
	return nil
}

// raw reads any JSON value and keeps its bytes; null leaves *v nil.
func (d *decoder) raw(path string, v *json.RawMessage) error {
	if d.lex.null() {
		*v = nil
		return nil
	}
	b, err := d.lex.skipValue(0)
	if err != nil {
		return syntaxError(path, err)
	}
	if int64(len(b)) > int64(d.limits.SnapshotBytes) {
		return tooLarge(path, "is %s; at most %s are allowed", bytesText(int64(len(b))), bytesText(int64(d.limits.SnapshotBytes)))
	}
	if !json.Valid(b) {
		return fieldErr(path, "is not valid JSON")
	}
	*v = append(json.RawMessage(nil), b...)
	return nil
}

// valueError turns a failure to read a value into a *FieldError: a
// syntax error if the document is broken there, else "must be want".
func (d *decoder) valueError(path string, err error, want string) error {
	var se *syntaxErr
	switch {
	case errors.As(err, &se):
		return syntaxError(path, err)
	case errors.Is(err, errNotString):
		return d.wrongType(path, want)
	}
	return fieldErr(path, "must be %s", want)
}

// wrongType reports a value of the wrong kind, unless the document is
// broken at that point, which matters more.
func (d *decoder) wrongType(path, want string) error {
	if _, err := d.lex.skipValue(0); err != nil {
		return syntaxError(path, err)
	}
	if path == "" {
		return fieldErr("", "the report must be a JSON object")
	}
	return fieldErr(path, "must be %s", want)
}

// syntaxError reports a malformed document at path (the member being read
// when it broke).
func syntaxError(path string, err error) error {
	var se *syntaxErr
	if errors.As(err, &se) && se.End {
		return &FieldError{Field: path, Problem: "the report ends too early (incomplete JSON)", Err: err}
	}
	what := "is not valid JSON"
	if path == "" {
		what = "the report is not valid JSON"
	}
	return &FieldError{Field: path, Problem: what + " (" + err.Error() + ")", Err: err}
}
