package notices

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	core "github.com/firstline-it/firstline/internal/notices"
	"github.com/firstline-it/firstline/internal/report"
)

// outboxRecorder stands in for the report pipeline.
type outboxRecorder struct {
	got  []report.Submission
	fail error
}

func (r *outboxRecorder) submit(_ context.Context, s report.Submission) error {
	if r.fail != nil {
		return r.fail
	}
	r.got = append(r.got, s)
	return nil
}

func decodeResponses(t *testing.T, s report.Submission) ResponsesAttachment {
	t.Helper()
	if len(s.Attachments) != 1 || s.Attachments[0].Name != "notice-responses.json" {
		t.Fatalf("attachments = %+v", s.Attachments)
	}
	var a ResponsesAttachment
	if err := json.Unmarshal(s.Attachments[0].Data, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestResponsesTravelBatchedAndOnce(t *testing.T) {
	k := newKey(t)
	drop := filepath.Join(t.TempDir(), "notices.d")
	n := notice("mail-down", core.SeverityCritical)
	n.Title = "Email is down"
	n.RequireAck, n.Incident = true, true
	other := notice("quiet", core.SeverityInfo)
	data, sig := signed(t, k, 1, n, other)
	writeDrop(t, drop, "mail.json", data, sig)
	state := t.TempDir()
	f := newService(t, k, "", nil, state, drop)
	rec := &outboxRecorder{}
	f.svc.opts.Respond = rec.submit
	ctx := context.Background()

	for _, a := range []struct {
		uid string
		act core.Action
	}{{"0", core.ActionAck}, {"0", core.ActionMeToo}, {"4242", core.ActionAck}, {"4242", core.ActionSeen}} {
		if _, err := f.svc.Act(a.uid, "mail-down", a.act); err != nil {
			t.Fatalf("%s %s: %v", a.uid, a.act, err)
		}
	}
	if _, err := f.svc.Act("4242", "quiet", core.ActionSeen); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.sendResponses(ctx); err != nil {
		t.Fatal(err)
	}
	if len(rec.got) != 1 {
		t.Fatalf("%d reports, want one batch for the one notice with responses", len(rec.got))
	}
	s := rec.got[0]
	if err := s.Validate(report.DefaultLimits()); err != nil {
		t.Fatalf("the batch is not a valid report: %v", err)
	}
	if s.Category != ResponseCategory || s.Severity != report.SeveritySlowed {
		t.Errorf("category %q severity %q", s.Category, s.Severity)
	}
	for _, want := range []string{"Notice mail-down \"Email is down\": 2 acknowledged, 1 \"me too\"\n", "employees of lab-01.example.com", "root acknowledged", "user 4242 acknowledged", "root is affected too"} {
		if !strings.Contains(s.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, s.Text)
		}
	}
	a := decodeResponses(t, s)
	if a.Type != "firstline.notice-responses" || a.Notice.ID != "mail-down" || a.Notice.Severity != "critical" || len(a.Responses) != 3 {
		t.Errorf("attachment = %+v", a)
	}

	if st := f.svc.Status(); len(st.Responses) != 2 || st.Responses[0].ID != "mail-down" || st.Responses[0].Sent != 3 || st.Responses[0].Acked != 2 {
		t.Errorf("status responses = %+v, want mail-down with 2 acked and 3 sent", st.Responses)
	}

	if v, _ := f.svc.View("0"); v.PopupsPerHour == nil || *v.PopupsPerHour != 3 {
		t.Errorf("view's popups_per_hour = %v, want IT's (default) 3", v.PopupsPerHour)
	}

	// Nothing new: nothing sent.
	if err := f.svc.sendResponses(ctx); err != nil || len(rec.got) != 1 {
		t.Fatalf("second flush sent again: %d reports, %v", len(rec.got), err)
	}

	// A new acknowledgement while the pipeline refuses: it stays pending
	// with its key, and the retry (after a restart) uses the same key.
	if _, err := f.svc.Act("4343", "mail-down", core.ActionAck); err != nil {
		t.Fatal(err)
	}
	rec.fail = errors.New("spool full")
	if err := f.svc.sendResponses(ctx); err == nil || !strings.Contains(err.Error(), "spool full") {
		t.Fatalf("flush with a failing pipeline: %v", err)
	}
	o, err := f.svc.store.LoadOutbox()
	if err != nil || o.Pending == nil || len(o.Pending.Responses) != 1 || o.Pending.Responses[0].UID != "4343" {
		t.Fatalf("pending batch = %+v, %v", o.Pending, err)
	}
	pendingKey := o.Pending.Key

	g := newService(t, k, "", nil, state, drop)
	rec.fail = nil
	g.svc.opts.Respond = rec.submit
	if err := g.svc.sendResponses(ctx); err != nil {
		t.Fatal(err)
	}
	if len(rec.got) != 2 || rec.got[1].Key.String() != pendingKey {
		t.Fatalf("after restart: %d reports, key %v want %s", len(rec.got), rec.got[len(rec.got)-1].Key, pendingKey)
	}
	if a := decodeResponses(t, rec.got[1]); len(a.Responses) != 1 || a.Responses[0].UID != "4343" {
		t.Errorf("retried batch = %+v, want only the new acknowledgement", a.Responses)
	}
	if err := g.svc.sendResponses(ctx); err != nil || len(rec.got) != 2 {
		t.Fatalf("sent twice: %d reports, %v", len(rec.got), err)
	}
}

func TestResponsesOfExpiredNoticesAreNotSent(t *testing.T) {
	k := newKey(t)
	drop := filepath.Join(t.TempDir(), "notices.d")
	n := notice("vpn", core.SeverityWarning)
	n.RequireAck = true
	n.Expires = t0.Add(time.Hour)
	data, sig := signed(t, k, 1, n)
	writeDrop(t, drop, "vpn.json", data, sig)
	f := newService(t, k, "", nil, t.TempDir(), drop)
	rec := &outboxRecorder{}
	f.svc.opts.Respond = rec.submit
	if _, err := f.svc.Act("4242", "vpn", core.ActionAck); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(t0.Add(2 * time.Hour))
	f.svc.readDrop()
	if err := f.svc.sendResponses(context.Background()); err != nil || len(rec.got) != 0 {
		t.Errorf("expired notice's responses sent: %d, %v", len(rec.got), err)
	}
}
