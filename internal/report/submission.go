package report

import (
	"encoding/json"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Submission is what the app sends when the employee presses Send, and what
// it keeps in its own spool while the service is unreachable.
type Submission struct {
	// Key is chosen by the app (NewKey) so that handing the same report
	// over twice never makes two reports.
	Key Key `json:"key"`
	// CreatedAt is when the employee pressed Send, by the app's clock.
	CreatedAt time.Time `json:"created_at"`
	// Text is the employee's own words: required, at most
	// Limits.TextChars characters.
	Text string `json:"text"`
	// Category is the id of a category from IT's list ("printing",
	// "vpn"); empty when the employee picked none.
	Category string `json:"category,omitempty"`
	// Severity is how much the problem stops the employee's work.
	Severity Severity `json:"severity"`
	// Callback is how the employee would like IT to come back to them.
	Callback Callback `json:"callback,omitzero"`
	// Snapshot is the system snapshot the employee was shown, as JSON. It
	// is opaque here: internal/sysinfo owns its shape.
	Snapshot json.RawMessage `json:"snapshot,omitempty"`
	// Attachments carry their content; they are never a path.
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Severity is how much a problem stops the employee's work.
type Severity string

// Severities, as the app offers them.
const (
	SeverityBlocked  Severity = "blocked"  // "I can't work"
	SeveritySlowed   Severity = "slowed"   // "I can work, but it's slow or awkward"
	SeverityQuestion Severity = "question" // "I have a question"
)

// Severities lists the valid severities, most urgent first.
func Severities() []Severity {
	return []Severity{SeverityBlocked, SeveritySlowed, SeverityQuestion}
}

// Callback is the employee's preference for how IT gets back to them.
type Callback struct {
	// Method is how; empty means CallbackNone.
	Method CallbackMethod `json:"method,omitempty"`
	// Number is a phone number or chat handle, as the employee typed it.
	Number string `json:"number,omitempty"`
	// When is free text such as "after 2pm" or "today".
	When string `json:"when,omitempty"`
}

// CallbackMethod is a way IT can come back to the employee.
type CallbackMethod string

// Callback methods.
const (
	CallbackNone  CallbackMethod = "none"
	CallbackPhone CallbackMethod = "phone"
	CallbackEmail CallbackMethod = "email"
	CallbackChat  CallbackMethod = "chat"
)

// CallbackMethods lists the valid methods.
func CallbackMethods() []CallbackMethod {
	return []CallbackMethod{CallbackNone, CallbackPhone, CallbackEmail, CallbackChat}
}

// Attachment is a file that travels with a report, by content.
type Attachment struct {
	// Name is a base name for the helpdesk to show ("screen-1.png"): no
	// folders, no "..", at most Limits.NameBytes bytes. SanitizeName makes
	// one from any file name.
	Name string `json:"name"`
	// ContentType is a MIME type such as "image/png"; empty lets the
	// delivery backend choose one from Kind.
	ContentType string `json:"content_type,omitempty"`
	// Kind says what the attachment is, so IT's tools can treat a
	// screenshot differently from a log.
	Kind AttachmentKind `json:"kind"`
	// Data is the content, base64 in JSON.
	Data []byte `json:"data"`
}

// AttachmentKind says what an attachment is.
type AttachmentKind string

// Attachment kinds.
const (
	KindScreenshot AttachmentKind = "screenshot"
	KindChart      AttachmentKind = "chart"
	KindLog        AttachmentKind = "log"
	KindFile       AttachmentKind = "file"
	KindSysinfo    AttachmentKind = "sysinfo"
)

// AttachmentKinds lists the valid kinds.
func AttachmentKinds() []AttachmentKind {
	return []AttachmentKind{KindScreenshot, KindChart, KindLog, KindFile, KindSysinfo}
}

// titleChars caps Title: a ticket subject or a list row, not a paragraph.
const titleChars = 80

// Title is a one-line summary for a ticket subject or a list: the first
// non-blank line of Text, shortened to 80 characters with an ellipsis.
func (s *Submission) Title() string {
	return titleOf(s.Text)
}

func titleOf(text string) string {
	line := ""
	for l := range strings.Lines(text) {
		if l = strings.TrimSpace(l); l != "" {
			line = l
			break
		}
	}
	line = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, line)
	if utf8.RuneCountInString(line) <= titleChars {
		return line
	}
	runes := []rune(line)
	return strings.TrimSpace(string(runes[:titleChars-1])) + "…"
}

// Size is the number of content bytes the submission carries (text,
// snapshot and attachment data): what Limits.TotalBytes bounds.
func (s *Submission) Size() int64 {
	n := int64(len(s.Text) + len(s.Snapshot))
	for _, a := range s.Attachments {
		n += int64(len(a.Data))
	}
	return n
}
