package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Message is what a backend receives: a report already rendered, with its
// attachments as content (the service never hands a backend a path a user
// named).
type Message struct {
	// Key is the report's idempotency key, a UUID (v7 in practice). Every
	// delivery of the same report carries the same key.
	Key string
	// Reference is the short id employees and IT quote ("FL-7K3Q2"):
	// letters, digits and dashes, at most 40 characters.
	Reference string
	// Subject is the one-line title of the ticket or mail, such as
	// "[FL-7K3Q2] Printer: can't print (Jane Doe, LAPTOP-42)".
	Subject string
	// Text is what the employee wrote, in their words.
	Text string
	// Summary is the plain-text system summary for the top of the ticket.
	Summary string
	// Fields are the report's structured facts (category, severity,
	// callback, user, hostname, os, ...), for helpdesks that map them to
	// their own fields.
	Fields map[string]string
	// Reporter is who asked for help.
	Reporter Reporter
	// Attachments are sent as content, in this order.
	Attachments []Attachment
	// JSON is the full machine-readable report (for webhook and inbox);
	// when set it must be valid JSON.
	JSON json.RawMessage
	// CreatedAt is when the employee submitted the report; mail uses it as
	// its Date so that a re-sent copy is identical.
	CreatedAt time.Time
}

// Reporter is the employee a report comes from.
type Reporter struct {
	Name  string
	Email string
}

// Attachment is one file of a report.
type Attachment struct {
	// Name is the file name shown to IT; only its last path element is
	// used.
	Name string
	// ContentType is a MIME type such as "image/png"; an invalid or empty
	// one is sent as application/octet-stream.
	ContentType string
	Data        []byte
}

// Receipt is what a destination says it did with a report.
type Receipt struct {
	// TicketID is the destination's own id: a ticket number, a
	// Message-ID, a file name.
	TicketID string `json:"ticket_id,omitempty"`
	// TicketURL is where IT can look at it, when there is such a place.
	TicketURL string `json:"ticket_url,omitempty"`
	// Status is the destination's own status word ("new", "open") when it
	// reports one.
	Status string `json:"status,omitempty"`
}

// Backend is a destination reports can be delivered to.
type Backend interface {
	// Name is the destination's name in the configuration, as routes and
	// logs refer to it.
	Name() string
	// Deliver hands m over. It may be called more than once for the same
	// m.Key and must not create a second ticket where the peer lets it
	// tell. Errors are classified as described in the package
	// documentation.
	Deliver(ctx context.Context, m Message) (Receipt, error)
}

// StatusReader is implemented by backends that can read back what became
// of a delivered report, for the employee's "My reports" view.
type StatusReader interface {
	// Status returns the destination's status word for the ticket a
	// Receipt named.
	Status(ctx context.Context, ticketID string) (string, error)
}

// Limits on the identifiers that end up in file names, mail headers and
// search queries.
const (
	maxReferenceLen = 40
	maxFileNameLen  = 100
)

// Validate reports what makes m undeliverable. The error is permanent:
// sending the same message again cannot fix it.
func (m *Message) Validate() error {
	var problems []string
	if !IsUUID(m.Key) {
		problems = append(problems, fmt.Sprintf("key %q is not a UUID", m.Key))
	}
	if !IsReference(m.Reference) {
		problems = append(problems, fmt.Sprintf("reference %q is not 1 to %d letters, digits and dashes", m.Reference, maxReferenceLen))
	}
	if HeaderText(m.Subject) == "" {
		problems = append(problems, "subject is empty")
	}
	if len(m.JSON) > 0 && !json.Valid(m.JSON) {
		problems = append(problems, "JSON is not valid JSON")
	}
	if m.CreatedAt.IsZero() {
		problems = append(problems, "created-at time is not set")
	}
	if len(problems) == 0 {
		return nil
	}
	return Permanent(errors.New("invalid report: " + strings.Join(problems, "; ")))
}

// IsUUID reports whether s is a UUID in its canonical 8-4-4-4-12 hex form.
// Keys go into Message-IDs, file names and search queries, so nothing else
// is accepted.
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// IsReference reports whether s can serve as a report reference: it names
// files in the inbox and is searched for in ticket subjects, so it is kept
// to ASCII letters, digits and inner dashes.
func IsReference(s string) bool {
	if s == "" || len(s) > maxReferenceLen || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

// HeaderText returns s on one line: control characters (CR and LF above
// all, which would let a subject inject mail headers) become spaces, runs
// of spaces collapse, and invalid UTF-8 is replaced.
func HeaderText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
}

// FileName returns the attachment's name as safe to put in a header or a
// form: the last path element (either slash), no control characters, at
// most 100 characters, and "attachment-N" (N = index+1) when nothing is
// left.
func (a Attachment) FileName(index int) string {
	name := a.Name
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = HeaderText(name)
	if utf8.RuneCountInString(name) > maxFileNameLen {
		// Keep the extension: it is what tells IT's tools how to open it.
		ext := ""
		if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= 10 {
			ext = name[i:]
		}
		runes := []rune(strings.TrimSuffix(name, ext))
		name = string(runes[:maxFileNameLen-utf8.RuneCountInString(ext)]) + ext
	}
	if name == "" || name == "." || name == ".." {
		return "attachment-" + strconv.Itoa(index+1)
	}
	return name
}

// MediaType returns the attachment's content type, normalised (parameters
// such as charset kept), or application/octet-stream when it is missing or
// malformed.
func (a Attachment) MediaType() string {
	const fallback = "application/octet-stream"
	mt, params, err := mime.ParseMediaType(a.ContentType)
	if err != nil || !strings.Contains(mt, "/") {
		return fallback
	}
	if s := mime.FormatMediaType(mt, params); s != "" {
		return s
	}
	return fallback
}
