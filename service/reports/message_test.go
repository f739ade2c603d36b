package reports

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/report/delivery"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// storedReport is a report as the spool hands it to the loop.
func storedReport(snapshot []byte, mutate func(*report.Report)) report.Report {
	created := time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC)
	s := report.Submission{
		Key:       report.NewKey(created),
		CreatedAt: created,
		Text:      "Everything is slow since this morning\nChrome hangs when I open the CRM.",
		Category:  "computer-slow",
		Severity:  report.SeveritySlowed,
		Callback:  report.Callback{Method: report.CallbackEmail, Number: "Jane Doe <jane.doe@example.com>"},
		Snapshot:  snapshot,
		Attachments: []report.Attachment{
			{Name: "screen-1.png", Kind: report.KindScreenshot, Data: []byte("\x89PNG\r\n\x1a\nrest")},
			{Name: "crm.log", Kind: report.KindLog, Data: []byte("ERROR timeout\n")},
			{Name: "blob", Kind: report.KindFile, Data: []byte("%PDF-1.7 ...")},
			{Name: "notes.dat", ContentType: "text/csv", Kind: report.KindFile, Data: []byte("a,b\n")},
		},
	}
	r := report.NewReport(s, report.Owner{UID: "1000", Name: "Jane Doe"}, created.Add(2*time.Second))
	if mutate != nil {
		mutate(&r)
	}
	return r
}

func TestMessageWithSnapshot(t *testing.T) {
	r := storedReport(fixture(t, "snapshot-laptop.json"), nil)
	m := Message(&r, "SERVICEHOST")
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	want := "[" + string(r.Reference) + "] computer-slow: Everything is slow since this morning (Jane Doe, LAPTOP-42)"
	if m.Subject != want {
		t.Errorf("subject\n%q\nwant\n%q", m.Subject, want)
	}
	if m.Key != r.Key.String() || m.Reference != string(r.Reference) || !m.CreatedAt.Equal(r.CreatedAt) {
		t.Errorf("identity %s %s %v", m.Key, m.Reference, m.CreatedAt)
	}
	for _, s := range []string{"LAPTOP-42", "Debian GNU/Linux 12", "93%"} {
		if !strings.Contains(m.Summary, s) {
			t.Errorf("summary lacks %q:\n%s", s, m.Summary)
		}
	}
	wantFields := map[string]string{
		"category": "computer-slow", "severity": "slowed", "user": "Jane Doe", "uid": "1000",
		"hostname": "LAPTOP-42", "os": "Debian GNU/Linux 12 (bookworm)", "callback": "email, Jane Doe <jane.doe@example.com>",
	}
	for k, v := range wantFields {
		if m.Fields[k] != v {
			t.Errorf("field %s = %q, want %q", k, m.Fields[k], v)
		}
	}
	if m.Reporter != (delivery.Reporter{Name: "Jane Doe", Email: "jane.doe@example.com"}) {
		t.Errorf("reporter %+v", m.Reporter)
	}
	var got []string
	for _, a := range m.Attachments {
		got = append(got, a.Name+" "+a.MediaType())
	}
	wantAtt := []string{
		"screen-1.png image/png", "crm.log text/plain; charset=utf-8", "blob application/pdf", "notes.dat text/csv",
		"sysinfo.json application/json", "summary.txt text/plain; charset=utf-8",
	}
	if strings.Join(got, "|") != strings.Join(wantAtt, "|") {
		t.Errorf("attachments\n%v\nwant\n%v", got, wantAtt)
	}
	if !bytes.Equal(m.Attachments[4].Data, r.Snapshot) {
		t.Error("sysinfo.json is not the snapshot as submitted")
	}
	summary := string(m.Attachments[5].Data)
	if !strings.HasPrefix(summary, m.Summary) || !strings.Contains(summary, "ThinkPad T14") {
		t.Errorf("summary.txt:\n%s", summary)
	}

	var doc map[string]any
	if err := json.Unmarshal(m.JSON, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["version"] != float64(DocumentVersion) || doc["key"] != r.Key.String() || doc["text"] != r.Text || doc["snapshot"] == nil {
		t.Errorf("document %v", doc)
	}
	if _, ok := doc["state"]; ok {
		t.Error("the document carries the delivery state, which changes between retries")
	}
	atts, _ := doc["attachments"].([]any)
	if len(atts) != len(r.Attachments) {
		t.Fatalf("document lists %d attachments", len(atts))
	}
	for _, a := range atts {
		if _, ok := a.(map[string]any)["data"]; ok {
			t.Errorf("the document carries attachment content: %v", a)
		}
	}
}

func TestMessageVariants(t *testing.T) {
	tests := []struct {
		name        string
		snapshot    string
		mutate      func(*report.Report)
		subject     string // after "[FL-XXXXX] "
		summary     bool
		attachments int
		email       string
	}{
		{"no snapshot, no category, no name", "", func(r *report.Report) {
			r.Category, r.Owner.Name = "", ""
		}, "Everything is slow since this morning (uid 1000, SERVICEHOST)", false, 4, "jane.doe@example.com"},
		{"not a snapshot", `{"hello": "world"}`, nil,
			"computer-slow: Everything is slow since this morning (Jane Doe, SERVICEHOST)", false, 5, "jane.doe@example.com"},
		{"snapshot without host", `{"schema": 1, "sections": []}`, func(r *report.Report) {
			r.Callback = report.Callback{Method: report.CallbackPhone, Number: "+49 30 1234567"}
		}, "computer-slow: Everything is slow since this morning (Jane Doe, SERVICEHOST)", false, 6, ""},
		{"control characters", `{"schema": 1, "host": {"hostname": "EVIL\r\nBcc: x@y"}}`, func(r *report.Report) {
			r.Owner.Name = "Jane\nDoe"
			r.Attachments = nil
		}, "computer-slow: Everything is slow since this morning (Jane Doe, EVIL Bcc: x@y)", true, 2, "jane.doe@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := storedReport([]byte(tt.snapshot), tt.mutate)
			m := Message(&r, "SERVICEHOST")
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimPrefix(m.Subject, "["+string(r.Reference)+"] "); got != tt.subject {
				t.Errorf("subject %q, want %q", got, tt.subject)
			}
			if (m.Summary != "") != tt.summary || len(m.Attachments) != tt.attachments || m.Reporter.Email != tt.email {
				t.Errorf("summary %q, %d attachments, reporter %+v", m.Summary, len(m.Attachments), m.Reporter)
			}
		})
	}
}

// TestMessageIsStable: the same report renders the same message, so a
// retry sends the same document.
func TestMessageIsStable(t *testing.T) {
	r := storedReport(fixture(t, "snapshot-laptop.json"), nil)
	a, b := Message(&r, "H"), Message(&r, "H")
	if a.Subject != b.Subject || !bytes.Equal(a.JSON, b.JSON) || a.Body() != b.Body() {
		t.Error("two renderings of one report differ")
	}
}

// FuzzMessage: whatever snapshot and text an app sends (the decoder lets
// any valid JSON through as the snapshot), rendering never panics and
// always gives a message the backends accept, with a one-line subject.
func FuzzMessage(f *testing.F) {
	f.Add(fixture(f, "snapshot-laptop.json"), "printer offline", "Jane Doe")
	f.Add([]byte(`{"schema": 1, "host": {"hostname": "\u0000x"}, "hardware": {"disks": [{}]}}`), "x", "")
	f.Add([]byte(`{"schema": 2, "processes": {"top_cpu": [{"pid": -1}]}, "network": {"interfaces": null}}`), "\n\n  t  \r\n", "\u202e")
	f.Add([]byte(`[]`), "a", "b")
	f.Fuzz(func(t *testing.T, snapshot []byte, text, name string) {
		if !json.Valid(snapshot) {
			return
		}
		r := storedReport(snapshot, func(r *report.Report) {
			r.Text, r.Owner.Name = text, name
		})
		if strings.TrimSpace(text) == "" {
			r.Text = "x"
		}
		m := Message(&r, "HOST")
		if err := m.Validate(); err != nil {
			t.Fatalf("invalid message: %v", err)
		}
		if strings.ContainsAny(m.Subject, "\r\n") || !strings.HasPrefix(m.Subject, "["+string(r.Reference)+"]") {
			t.Fatalf("subject %q", m.Subject)
		}
		if !bytes.Equal(m.Attachments[len(r.Attachments)].Data, snapshot) {
			t.Fatal("snapshot not attached as sent")
		}
	})
}
