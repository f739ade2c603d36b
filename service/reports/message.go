package reports

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/mail"
	"path"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/sysinfo"
)

// Names of the attachments the pipeline adds to every report that carries
// a system snapshot.
const (
	SnapshotAttachment = "sysinfo.json"
	SummaryAttachment  = "summary.txt"
)

// DocumentVersion is the version of the machine-readable report
// (delivery.Message.JSON): the webhook's "report" member and the inbox's
// .json file.
const DocumentVersion = 1

// Message renders a stored report for the backends. hostname names this
// computer when the report's snapshot does not.
//
// The snapshot is JSON from the employee's app, shown to them before
// sending; it is decoded leniently (a snapshot that does not decode is
// still attached as it is, just not summarised) and never trusted for who
// sent the report: that is the owner the kernel named.
func Message(r *report.Report, hostname string) delivery.Message {
	snap := decodeSnapshot(r.Snapshot)
	host, osName := hostname, ""
	if snap != nil && snap.Host != nil {
		if h := delivery.HeaderText(snap.Host.Hostname); h != "" {
			host = h
		}
		osName = snap.Host.OS
	}
	m := delivery.Message{
		Key:       r.Key.String(),
		Reference: string(r.Reference),
		Subject:   subject(r, host),
		Text:      r.Text,
		Fields:    fields(r, host, osName),
		Reporter:  reporter(r),
		CreatedAt: r.CreatedAt,
		JSON:      reportDocument(r),
	}
	for _, a := range r.Attachments {
		m.Attachments = append(m.Attachments, delivery.Attachment{Name: a.Name, ContentType: contentType(a), Data: a.Data})
	}
	if len(r.Snapshot) > 0 {
		m.Attachments = append(m.Attachments, delivery.Attachment{
			Name: SnapshotAttachment, ContentType: "application/json", Data: r.Snapshot,
		})
	}
	if snap != nil {
		m.Summary = snap.Summary()
		m.Attachments = append(m.Attachments, delivery.Attachment{
			Name: SummaryAttachment, ContentType: "text/plain; charset=utf-8",
			Data: []byte(m.Summary + "\n" + snap.Detail()),
		})
	}
	return m
}

// decodeSnapshot returns the snapshot, or nil when there is none or it is
// not a snapshot.
func decodeSnapshot(raw json.RawMessage) *sysinfo.Snapshot {
	if len(raw) == 0 {
		return nil
	}
	var s sysinfo.Snapshot
	if err := json.Unmarshal(raw, &s); err != nil || s.Schema == 0 {
		return nil
	}
	return &s
}

// user is how the report's owner is named to IT.
func user(r *report.Report) string {
	if name := delivery.HeaderText(r.Owner.Name); name != "" {
		return name
	}
	return "uid " + r.Owner.UID
}

// subject is "[FL-XXXXX] category: title (user, hostname)".
func subject(r *report.Report, host string) string {
	var b strings.Builder
	b.WriteString("[" + string(r.Reference) + "] ")
	if r.Category != "" {
		b.WriteString(r.Category + ": ")
	}
	b.WriteString(r.Title())
	who := user(r)
	if host != "" {
		who += ", " + host
	}
	b.WriteString(" (" + who + ")")
	return delivery.HeaderText(b.String())
}

// fields are the facts helpdesks map to their own fields; the keys are
// documented for rt's custom_fields.
func fields(r *report.Report, host, osName string) map[string]string {
	f := map[string]string{
		"severity": string(r.Severity),
		"user":     user(r),
		"uid":      r.Owner.UID,
	}
	set := func(k, v string) {
		if v = delivery.HeaderText(v); v != "" {
			f[k] = v
		}
	}
	set("category", r.Category)
	set("hostname", host)
	set("os", osName)
	if c := r.Callback; c.Method != "" && c.Method != report.CallbackNone {
		set("callback", strings.Join(nonEmpty(string(c.Method), c.Number, c.When), ", "))
	}
	return f
}

// reporter is the employee, with an address when they asked to be called
// back by mail.
func reporter(r *report.Report) delivery.Reporter {
	rep := delivery.Reporter{Name: delivery.HeaderText(r.Owner.Name)}
	if r.Callback.Method == report.CallbackEmail {
		if a, err := mail.ParseAddress(r.Callback.Number); err == nil {
			rep.Email = a.Address
		}
	}
	return rep
}

// contentType is the attachment's own type, else the one its kind, its
// name or its first bytes suggest. Logs are plain text whatever their
// extension: IT's tools should show them, not offer to save them.
func contentType(a report.Attachment) string {
	switch {
	case a.ContentType != "":
		return a.ContentType
	case a.Kind == report.KindLog:
		return "text/plain; charset=utf-8"
	case a.Kind == report.KindSysinfo:
		return "application/json"
	}
	if t := mime.TypeByExtension(strings.ToLower(path.Ext(a.Name))); t != "" {
		return t
	}
	return http.DetectContentType(a.Data)
}

func nonEmpty(vals ...string) []string {
	var out []string
	for _, v := range vals {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// document is the machine-readable report: everything the service knows
// about it except attachment content (which travels as attachments) and
// the delivery state (which changes between retries: a re-sent report
// must be the same document).
type document struct {
	Version     int                     `json:"version"`
	Key         report.Key              `json:"key"`
	Reference   report.Reference        `json:"reference"`
	Owner       report.Owner            `json:"owner"`
	CreatedAt   time.Time               `json:"created_at"`
	ReceivedAt  time.Time               `json:"received_at"`
	Severity    report.Severity         `json:"severity"`
	Category    string                  `json:"category,omitempty"`
	Title       string                  `json:"title"`
	Text        string                  `json:"text"`
	Callback    report.Callback         `json:"callback,omitzero"`
	Attachments []report.AttachmentInfo `json:"attachments,omitempty"`
	Snapshot    json.RawMessage         `json:"snapshot,omitempty"`
}

func reportDocument(r *report.Report) json.RawMessage {
	rec := r.Record()
	doc := document{
		Version: DocumentVersion, Key: r.Key, Reference: r.Reference, Owner: r.Owner,
		CreatedAt: r.CreatedAt, ReceivedAt: r.ReceivedAt, Severity: r.Severity, Category: r.Category,
		Title: r.Title(), Text: r.Text, Callback: r.Callback, Attachments: rec.Attachments, Snapshot: r.Snapshot,
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		// Only a snapshot that is not JSON can fail, and the spool
		// refuses those; leave the backends to describe the message.
		return nil
	}
	return append(b, '\n')
}
