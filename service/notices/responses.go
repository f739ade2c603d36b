package notices

import (
	"context"
	"encoding/json"
	"fmt"
	"os/user"
	"slices"
	"strings"
	"time"

	core "github.com/firstline-it/firstline/internal/notices"
	"github.com/firstline-it/firstline/internal/report"
)

// Acknowledgements and "me too" travel to IT as ordinary reports through
// the report pipeline, so they reach the same helpdesk, survive being
// offline and arrive exactly once. They are batched: one report per notice
// per flush carries every employee of this machine who responded since the
// last one, never a report per click.

// DefaultRespondInterval is how often new responses are sent.
const DefaultRespondInterval = 15 * time.Minute

// ResponseCategory is the category of the reports that carry responses,
// so IT's helpdesk can route or filter them apart from problems.
const ResponseCategory = "notice-response"

// maxBatch bounds the responses of one report, so its text stays well
// inside the report limits; the rest go with the next flush.
const maxBatch = 50

// ResponsesAttachment is the machine-readable form of a batch, attached
// to its report as JSON.
type ResponsesAttachment struct {
	Type      string          `json:"type"` // "firstline.notice-responses"
	Version   int             `json:"version"`
	Host      string          `json:"host"`
	Notice    NoticeRef       `json:"notice"`
	Responses []core.Response `json:"responses"`
}

// NoticeRef names the notice a batch answers.
type NoticeRef struct {
	ID       string `json:"id"`
	Title    string `json:"title,omitempty"`
	Severity string `json:"severity,omitempty"`
}

// sendResponses sends every response not sent yet, one batch at a time.
// A batch left pending by a crash goes first, with its original key.
func (s *Service) sendResponses(ctx context.Context) error {
	s.respondMu.Lock()
	defer s.respondMu.Unlock()
	o, err := s.store.LoadOutbox()
	if err != nil {
		return err
	}
	if o.Pending != nil {
		if err := s.submitBatch(ctx, &o); err != nil {
			return err
		}
	}
	for _, b := range s.newBatches(o) {
		o.Pending = &b
		if err := s.store.SaveOutbox(o); err != nil {
			return err
		}
		if err := s.submitBatch(ctx, &o); err != nil {
			return err
		}
	}
	return nil
}

// submitBatch hands o.Pending to the pipeline and records it as sent.
func (s *Service) submitBatch(ctx context.Context, o *core.Outbox) error {
	b := o.Pending
	sub, err := s.batchReport(b)
	if err != nil {
		return err
	}
	if err := s.opts.Respond(ctx, sub); err != nil {
		return fmt.Errorf("sending the responses to notice %s: %w", b.NoticeID, err)
	}
	for _, r := range b.Responses {
		byAction := o.Sent[b.NoticeID]
		if byAction == nil {
			byAction = map[string][]string{}
			o.Sent[b.NoticeID] = byAction
		}
		if !slices.Contains(byAction[string(r.Action)], r.UID) {
			byAction[string(r.Action)] = append(byAction[string(r.Action)], r.UID)
		}
	}
	o.Pending = nil
	s.pruneSent(o)
	if err := s.store.SaveOutbox(*o); err != nil {
		return err
	}
	s.log.Info("notice responses sent to IT", "notice", b.NoticeID, "responses", len(b.Responses), "key", b.Key)
	return nil
}

// newBatches collects the acknowledgements and "me too" not sent yet, one
// batch per notice in force, oldest response first.
func (s *Service) newBatches(o core.Outbox) []core.ResponseBatch {
	now := s.opts.Now()
	inForce := map[string]bool{}
	for _, n := range s.inForce(now) {
		inForce[n.ID] = true
	}
	fresh := map[string][]core.Response{}
	s.eachRecord(func(uid, id string, r core.Record) {
		if !inForce[id] {
			return
		}
		for _, f := range []struct {
			a  core.Action
			at time.Time
		}{{core.ActionAck, r.Acked}, {core.ActionMeToo, r.MeToo}} {
			if !f.at.IsZero() && !slices.Contains(o.Sent[id][string(f.a)], uid) {
				fresh[id] = append(fresh[id], core.Response{UID: uid, User: accountName(uid), Action: f.a, At: f.at})
			}
		}
	})
	var out []core.ResponseBatch
	for id, rs := range fresh {
		slices.SortFunc(rs, func(a, b core.Response) int { return a.At.Compare(b.At) })
		rs = rs[:min(len(rs), maxBatch)]
		out = append(out, core.ResponseBatch{Key: report.NewKey(now).String(), NoticeID: id, Responses: rs, Created: now})
	}
	slices.SortFunc(out, func(a, b core.ResponseBatch) int { return strings.Compare(a.NoticeID, b.NoticeID) })
	return out
}

// pruneSent forgets notices no longer in the feed or drop folder: their
// responses can no longer change.
func (s *Service) pruneSent(o *core.Outbox) {
	for id := range o.Sent {
		if !s.isCurrent(id) {
			delete(o.Sent, id)
		}
	}
}

// batchReport is the report that carries b: words for a person reading the
// ticket, and the same as JSON for a tool.
func (s *Service) batchReport(b *core.ResponseBatch) (report.Submission, error) {
	key, err := report.ParseKey(b.Key)
	if err != nil {
		return report.Submission{}, fmt.Errorf("the pending notice responses have a bad key: %w", err)
	}
	ref := NoticeRef{ID: b.NoticeID}
	for _, n := range s.current() {
		if n.ID == b.NoticeID {
			ref.Title, ref.Severity = n.Title, string(n.Severity)
		}
	}
	att, err := json.MarshalIndent(ResponsesAttachment{
		Type: "firstline.notice-responses", Version: 1, Host: s.opts.Machine.Hostname,
		Notice: ref, Responses: b.Responses,
	}, "", "  ")
	if err != nil {
		return report.Submission{}, fmt.Errorf("encoding notice responses: %w", err)
	}
	sev := report.SeverityQuestion
	if slices.ContainsFunc(b.Responses, func(r core.Response) bool { return r.Action == core.ActionMeToo }) {
		sev = report.SeveritySlowed // someone says they are affected
	}
	return report.Submission{
		Key: key, CreatedAt: b.Created, Category: ResponseCategory, Severity: sev,
		Text: responsesText(ref, s.opts.Machine.Hostname, b.Responses),
		Attachments: []report.Attachment{{
			Name: "notice-responses.json", ContentType: "application/json", Kind: report.KindFile, Data: att,
		}},
	}, nil
}

func responsesText(n NoticeRef, host string, rs []core.Response) string {
	var acks, metoo int
	for _, r := range rs {
		if r.Action == core.ActionAck {
			acks++
		} else {
			metoo++
		}
	}
	// The first line is the ticket's subject: the notice's id first, so
	// IT can sort and search by it, and the counts before any clipping.
	var b strings.Builder
	fmt.Fprintf(&b, "Notice %s", n.ID)
	if n.Title != "" {
		fmt.Fprintf(&b, " %q", n.Title)
	}
	fmt.Fprintf(&b, ": %d acknowledged, %d \"me too\"\n\n", acks, metoo)
	fmt.Fprintf(&b, "Responses from the employees of %s since the last report:\n", host)
	for _, r := range rs {
		who := r.User
		if who == "" {
			who = "user " + r.UID
		}
		what := "acknowledged"
		if r.Action == core.ActionMeToo {
			what = "is affected too (\"me too\")"
		}
		fmt.Fprintf(&b, "- %s %s at %s\n", who, what, r.At.UTC().Format("2006-01-02 15:04 MST"))
	}
	b.WriteString("\nSent by Firstline; notice-responses.json has the same for tools.")
	return b.String()
}

// accountName resolves uid (a Unix uid or a Windows SID) for the report;
// "" when the account is unknown.
func accountName(uid string) string {
	u, err := user.LookupId(uid)
	if err != nil {
		return ""
	}
	return u.Username
}

// respondLoop sends new responses every RespondInterval until ctx ends.
// A failure (the spool is full) is logged and tried again next time: the
// responses stay in the users' state files meanwhile.
func (s *Service) respondLoop(ctx context.Context) {
	t := time.NewTicker(s.opts.RespondInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.sendResponses(ctx); err != nil {
				s.log.Warn("sending notice responses to IT", "err", err)
			}
		}
	}
}
