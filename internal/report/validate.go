package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrTooLarge is wrapped by the error for a submission over its size
// limits, so the LocalAPI can answer 413 rather than 400.
var ErrTooLarge = errors.New("report too large")

// FieldError is why a submission was refused, naming the field at fault
// the way the JSON spells it ("attachments[1].name"). Field is empty when
// the problem is the document as a whole.
type FieldError struct {
	Field   string
	Problem string
	// Err is an underlying cause, such as ErrTooLarge; may be nil.
	Err error
}

func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Problem
	}
	return e.Field + ": " + e.Problem
}

// Unwrap returns the underlying cause.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

func tooLarge(field, format string, args ...any) *FieldError {
	e := fieldErr(field, format, args...)
	e.Err = ErrTooLarge
	return e
}

// Validate checks s against l and returns the first problem as a
// *FieldError, or nil. Checks run in the order the fields are declared, so
// the same submission always yields the same error.
func (s *Submission) Validate(l Limits) error {
	if err := s.Key.check(); err != nil {
		return &FieldError{Field: "key", Problem: err.Error()}
	}
	if s.CreatedAt.IsZero() {
		return fieldErr("created_at", "is missing")
	}
	if y := s.CreatedAt.Year(); y < 2000 || y > 9999 {
		return fieldErr("created_at", "year %d is not plausible", y)
	}
	if err := validateText(s.Text, l.TextChars); err != nil {
		return err
	}
	if err := validateCategory(s.Category, l.CategoryBytes); err != nil {
		return err
	}
	if !slices.Contains(Severities(), s.Severity) {
		return fieldErr("severity", "must be one of %s", quoteAll(Severities()))
	}
	if err := s.Callback.validate(l.CallbackChars); err != nil {
		return err
	}
	if err := validateSnapshot(s.Snapshot, l.SnapshotBytes); err != nil {
		return err
	}
	if len(s.Attachments) > l.Attachments {
		return tooLarge("attachments", "has %d attachments; at most %d are allowed", len(s.Attachments), l.Attachments)
	}
	for i := range s.Attachments {
		if err := s.Attachments[i].validate("attachments["+strconv.Itoa(i)+"]", l); err != nil {
			return err
		}
	}
	if n := s.Size(); n > l.TotalBytes {
		return tooLarge("", "the report carries %s; at most %s are allowed", bytesText(n), bytesText(l.TotalBytes))
	}
	return nil
}

func validateText(text string, maxChars int) error {
	if !utf8.ValidString(text) {
		return fieldErr("text", "is not valid UTF-8")
	}
	if strings.TrimSpace(text) == "" {
		return fieldErr("text", "is required: say in a few words what is wrong")
	}
	if n := utf8.RuneCountInString(text); n > maxChars {
		return tooLarge("text", "has %d characters; at most %d are allowed", n, maxChars)
	}
	if strings.ContainsRune(text, 0) {
		return fieldErr("text", "contains a NUL character")
	}
	return nil
}

// validateCategory accepts empty or an id of lowercase letters, digits,
// '.', '_' and '-', starting with a letter or digit: a category is a key
// into IT's list, never display text.
func validateCategory(c string, maxBytes int) error {
	if c == "" {
		return nil
	}
	if len(c) > maxBytes {
		return tooLarge("category", "is %d bytes long; at most %d are allowed", len(c), maxBytes)
	}
	for i := 0; i < len(c); i++ {
		b := c[i]
		ok := b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || i > 0 && (b == '.' || b == '_' || b == '-')
		if !ok {
			return fieldErr("category", "%q is not a category id (lowercase letters, digits, '.', '_' and '-')", clip(c, 40))
		}
	}
	return nil
}

func (c Callback) validate(maxChars int) error {
	if c.Method != "" && !slices.Contains(CallbackMethods(), c.Method) {
		return fieldErr("callback.method", "must be one of %s", quoteAll(CallbackMethods()))
	}
	if err := validateLine("callback.number", c.Number, maxChars); err != nil {
		return err
	}
	return validateLine("callback.when", c.When, maxChars)
}

// validateLine checks a short single-line free-text field.
func validateLine(field, s string, maxChars int) error {
	if !utf8.ValidString(s) {
		return fieldErr(field, "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > maxChars {
		return tooLarge(field, "has %d characters; at most %d are allowed", n, maxChars)
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return fieldErr(field, "must be a single line without control characters")
	}
	return nil
}

func validateSnapshot(snap json.RawMessage, maxBytes int) error {
	if len(snap) == 0 {
		return nil
	}
	if len(snap) > maxBytes {
		return tooLarge("snapshot", "is %s; at most %s are allowed", bytesText(int64(len(snap))), bytesText(int64(maxBytes)))
	}
	if !json.Valid(snap) {
		return fieldErr("snapshot", "is not valid JSON")
	}
	return nil
}

func (a *Attachment) validate(field string, l Limits) error {
	if err := ValidateName(a.Name, l.NameBytes); err != nil {
		return fieldErr(field+".name", "%s", err)
	}
	if err := validateContentType(a.ContentType, l.ContentTypeBytes); err != nil {
		return fieldErr(field+".content_type", "%s", err)
	}
	if !slices.Contains(AttachmentKinds(), a.Kind) {
		return fieldErr(field+".kind", "must be one of %s", quoteAll(AttachmentKinds()))
	}
	if n := int64(len(a.Data)); n > l.AttachmentBytes {
		return tooLarge(field+".data", "is %s; an attachment may be at most %s", bytesText(n), bytesText(l.AttachmentBytes))
	}
	return nil
}

func validateContentType(ct string, maxBytes int) error {
	if ct == "" {
		return nil
	}
	if len(ct) > maxBytes {
		return fmt.Errorf("is %d bytes long; at most %d are allowed", len(ct), maxBytes)
	}
	if _, _, err := mime.ParseMediaType(ct); err != nil || strings.IndexFunc(ct, unicode.IsControl) >= 0 {
		return fmt.Errorf("%q is not a MIME type such as \"image/png\"", clip(ct, 40))
	}
	return nil
}

// ValidateName checks that name is a plain base name an attachment may
// carry: not empty, at most maxBytes bytes of UTF-8, no '/', '\\' or ':'
// (which would make it a path on some system), no "..", no control
// characters, no leading or trailing space or trailing dot (Windows drops
// them), and not a Windows device name such as "CON" or "nul.txt". The
// service never opens an attachment by name; the helpdesk and the IT
// person who downloads the file might.
func ValidateName(name string, maxBytes int) error {
	switch {
	case name == "":
		return errors.New("is required")
	case len(name) > maxBytes:
		return fmt.Errorf("is %d bytes long; at most %d are allowed", len(name), maxBytes)
	case !utf8.ValidString(name):
		return errors.New("is not valid UTF-8")
	case strings.ContainsAny(name, `/\:`):
		return fmt.Errorf("%q looks like a path: an attachment carries its content in \"data\" and only a base name, without '/', '\\' or ':'", clip(name, 60))
	case strings.Contains(name, ".."):
		return fmt.Errorf("%q contains \"..\": an attachment name is a base name, not a path", clip(name, 60))
	case strings.IndexFunc(name, badNameRune) >= 0:
		return fmt.Errorf("%q contains control or formatting characters", clip(name, 60))
	case strings.TrimSpace(name) != name || strings.HasSuffix(name, "."):
		return fmt.Errorf("%q starts or ends with a space or ends with a dot", clip(name, 60))
	case isDeviceName(name):
		return fmt.Errorf("%q is a reserved device name on Windows", clip(name, 60))
	}
	return nil
}

// isDeviceName reports whether Windows would take name (with any
// extension) for a device.
func isDeviceName(name string) bool {
	stem, _, _ := strings.Cut(name, ".")
	stem = strings.ToUpper(strings.TrimRight(stem, " "))
	switch stem {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(stem) == 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) {
		return stem[3] >= '0' && stem[3] <= '9'
	}
	return false
}

// SanitizeName turns any file name or path into a name ValidateName
// accepts with maxBytes: it keeps the last path element, replaces control
// characters, ':' and separators with '_', collapses runs of dots, trims
// spaces and trailing dots, prefixes device names with '_', and shortens
// the stem (keeping a short extension) to fit. The app uses it for files
// the employee picks; the service never does, it refuses bad names.
func SanitizeName(name string, maxBytes int) string {
	name = strings.ToValidUTF8(name, "_")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 && strings.Trim(name[i+1:], " .") != "" {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if badNameRune(r) || r == ':' || r == '/' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	for strings.Contains(name, "..") {
		name = strings.ReplaceAll(name, "..", ".")
	}
	if name = trimName(name); name == "" {
		name = "attachment"
	}
	if isDeviceName(name) {
		name = "_" + name
	}
	return shortenName(name, max(maxBytes, 32))
}

// badNameRune reports runes a name must not carry: control characters, and
// formatting characters such as U+202E, which can make "gpj.exe" display
// as "exe.jpg".
func badNameRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}

// trimName removes leading and trailing spaces and trailing dots until none
// is left: removing one can expose another.
func trimName(name string) string {
	for {
		t := strings.TrimRight(strings.TrimSpace(name), ".")
		if t == name {
			return t
		}
		name = t
	}
}

// shortenName cuts name to maxBytes on a rune boundary, keeping an
// extension of up to 16 bytes so the helpdesk still knows the file type.
func shortenName(name string, maxBytes int) string {
	if len(name) <= maxBytes {
		return name
	}
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= 16 {
		ext = name[i:]
	}
	stem := name[:len(name)-len(ext)]
	n := maxBytes - len(ext)
	for n > 0 && !utf8.RuneStart(stem[n]) {
		n--
	}
	if stem = trimName(stem[:n]); stem == "" {
		stem = "attachment"
	}
	return stem + ext
}

func quoteAll[T ~string](vals []T) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = strconv.Quote(string(v))
	}
	return strings.Join(q, ", ")
}

// bytesText formats a byte count for people: "1.5 MiB".
func bytesText(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KiB"
	default:
		return strconv.FormatInt(n, 10) + " bytes"
	}
}
