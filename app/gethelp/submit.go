package gethelp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"slices"
	"time"

	"github.com/firstline-it/firstline/app/gethelp/screen"
	"github.com/firstline-it/firstline/app/handover"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/sysinfo"
)

// Names of the attachments the page makes.
const (
	screenshotName = "screenshot.png"
	chartName      = "last-hour.png"
)

// Phrases for a report kept on this computer, beside report's own.
const (
	PhraseKept      = "Saved on this computer — will be sent when the Firstline service is back"
	PhraseKeptFull  = "Saved on this computer — will be sent when the Firstline service has room for it"
	PhraseKeptLater = "Saved on this computer — will be sent when the Firstline service can take it"
)

// Outcome is what became of a report once Send finished.
type Outcome struct {
	Record    report.Record
	Reference report.Reference
	// Phrase is the report's honest state.
	Phrase string
	// Why explains the phrase in a sentence or two.
	Why string
	// Local is set while the report waits on this computer.
	Local bool
}

// Send checks the form and sends the report; a report the service cannot
// take right now is kept on this computer instead. It returns at once; the
// page shows the outcome.
func (p *Page) Send() {
	s := &p.state
	if s.Sending || s.Result != nil {
		return
	}
	s.Form = p.f.read(s.Form)
	if msg := p.check(); msg != "" {
		s.Problem = msg
		p.render()
		return
	}
	s.Problem, s.SendErr, s.Sending = "", nil, true
	p.render()
	j := p.job()
	p.work.Load(sendTimeout+captureTimeout, func(ctx context.Context) func() {
		sub, err := j.build(p.opts.Limits)
		var out *Outcome
		if err == nil {
			out, err = p.deliver(ctx, sub)
		}
		return func() { p.sent(out, err) }
	})
}

// sent shows how Send ended.
func (p *Page) sent(out *Outcome, err error) {
	s := &p.state
	s.Sending = false
	var pe *problemError
	switch {
	case errors.As(err, &pe):
		s.Problem = pe.msg
	case err != nil:
		s.SendErr = err
		p.log.Warn("a report could not be sent or kept", "reference", s.Key.Reference(), "err", err)
	default:
		s.Result = out
		p.dirty = false
		p.clearDraft()
		if !out.Local {
			p.follow(s.Key)
		}
		p.log.Info("report submitted", "reference", out.Reference, "kept_on_this_computer", out.Local)
		if p.opts.OnSubmitted != nil {
			p.opts.OnSubmitted(out.Record)
		}
	}
	p.render()
}

// deliver hands sub to the service, or keeps it on this computer when the
// service cannot take it now.
func (p *Page) deliver(ctx context.Context, sub *report.Submission) (*Outcome, error) {
	sctx, cancel := context.WithTimeout(ctx, sendTimeout)
	res, err := p.opts.Source.SubmitReport(sctx, sub)
	cancel()
	if err == nil {
		out := serviceOutcome(res.Record)
		return &out, nil
	}
	if handover.Refused(err) {
		return nil, &problemError{msg: "IT's service did not accept the report: " + serviceMessage(err) +
			". Please change it and send it again, or call IT."}
	}
	if p.opts.Outbox == nil {
		return nil, fmt.Errorf("sending the report: %w", err)
	}
	// Whatever happened (the service is away, full, or the answer was
	// lost), the same key makes keeping it safe: the service recognises
	// it when it is handed over.
	rec, kerr := p.opts.Outbox.Save(context.WithoutCancel(ctx), *sub)
	if kerr != nil {
		return nil, fmt.Errorf("the report could not be sent (%v) nor saved on this computer: %w", err, kerr)
	}
	p.log.Info("the service could not take a report; kept on this computer", "reference", rec.Reference, "err", err)
	out := localOutcome(rec, err)
	return &out, nil
}

// serviceOutcome is the outcome of a report the service has.
func serviceOutcome(rec report.Record) Outcome {
	out := Outcome{Record: rec, Reference: rec.Reference, Phrase: rec.Phrase()}
	switch rec.State.Overall() {
	case report.OverallSent:
		out.Why = "IT has your report."
	case report.OverallOffline:
		out.Why = "This computer is offline. Your report is kept safely and goes to IT as soon as the connection is back. You don't need to do anything."
	case report.OverallNeedsAttention:
		out.Why = "Your report is kept safely, but it cannot reach IT without help. Please call IT and quote the reference."
	default:
		out.Why = "Your report is kept safely and on its way to IT. You can close this window."
	}
	return out
}

// localOutcome is the outcome of a report kept on this computer because
// of why.
func localOutcome(rec report.Record, why error) Outcome {
	out := Outcome{Record: rec, Reference: rec.Reference, Phrase: PhraseKept, Local: true}
	switch {
	case localapi.IsCode(why, localapi.CodeSpoolFull):
		out.Phrase = PhraseKeptFull
		out.Why = "Too many reports are waiting to be sent from this computer. Yours is kept safely here and goes to IT when there is room. If it is urgent, please call IT."
	case localapi.IsCode(why, localapi.CodeNotFound), localapi.IsCode(why, localapi.CodeMethodNotAllowed):
		out.Phrase = PhraseKeptLater
		out.Why = "The Firstline service on this computer cannot take reports yet. Yours is kept safely here and goes to IT once it can. If it is urgent, please call IT."
	case errors.Is(why, localapi.ErrUnreachable):
		out.Why = "The Firstline service on this computer is not running right now. Your report is kept safely here and goes to IT as soon as it runs again. You don't need to do anything."
	default:
		out.Why = "The Firstline service did not answer in time. Your report is kept safely here and goes to IT as soon as it does. You don't need to do anything."
	}
	return out
}

// serviceMessage is the service's own words for a refusal.
func serviceMessage(err error) string {
	var e *localapi.Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}

// problemError is a refusal the employee can fix in the form.
type problemError struct{ msg string }

func (e *problemError) Error() string { return e.msg }

// job is everything Send needs, copied off the page so the report is
// built away from the UI goroutine.
type job struct {
	key       report.Key
	now       time.Time
	form      Form
	snapshot  *sysinfo.Snapshot
	chart     []byte
	logs      []localapi.LogExcerpt
	shot      *image.RGBA
	blackOuts []image.Rectangle
}

func (p *Page) job() job {
	s := p.state
	j := job{key: s.Key, now: p.opts.Now(), form: s.Form}
	if !s.Form.SkipSummary {
		j.snapshot = s.Snapshot
	}
	if !s.Form.SkipChart {
		j.chart = s.Chart
	}
	for _, l := range s.Logs {
		if l.Error == "" && !slices.Contains(s.Form.SkipLogs, l.Name) {
			j.logs = append(j.logs, l)
		}
	}
	if sh := s.Shot; sh.Include && len(sh.Shots) > 0 {
		j.shot = sh.Shots[sh.Chosen].Image
		j.blackOuts = append([]image.Rectangle(nil), sh.BlackOuts...)
	}
	return j
}

// build makes the submission: the form, the summary, the chart, the
// files, and the screenshot with its black-outs burnt in.
func (j job) build(l report.Limits) (*report.Submission, error) {
	f := j.form
	sub := &report.Submission{
		Key:       j.key,
		CreatedAt: j.now,
		Text:      f.Text,
		Category:  f.Category,
		Severity:  f.Severity,
		Callback:  f.Callback,
	}
	if j.snapshot != nil {
		b, err := json.Marshal(j.snapshot)
		if err != nil {
			return nil, fmt.Errorf("encoding the summary of this computer: %w", err)
		}
		sub.Snapshot = b
	}
	for _, file := range f.Files {
		sub.Attachments = append(sub.Attachments, report.Attachment{
			Name: file.Name, ContentType: file.Type, Kind: report.KindFile, Data: file.Data,
		})
	}
	if j.chart != nil {
		sub.Attachments = append(sub.Attachments, report.Attachment{
			Name: chartName, ContentType: "image/png", Kind: report.KindChart, Data: j.chart,
		})
	}
	for _, l := range j.logs {
		sub.Attachments = append(sub.Attachments, report.Attachment{
			Name: report.SanitizeName(l.Name+".log.txt", 255), ContentType: "text/plain; charset=utf-8", Kind: report.KindLog, Data: []byte(l.Text),
		})
	}
	if j.shot != nil {
		png, err := encodeShot(screen.Redact(j.shot, j.blackOuts), l.AttachmentBytes)
		if err != nil {
			return nil, err
		}
		sub.Attachments = append(sub.Attachments, report.Attachment{
			Name: screenshotName, ContentType: "image/png", Kind: report.KindScreenshot, Data: png,
		})
	}
	if err := sub.Validate(l); err != nil {
		return nil, &problemError{msg: "The report cannot be sent as it is: " + err.Error() + "."}
	}
	return sub, nil
}

// encodeShot encodes the screenshot, scaling it down until it fits limit:
// a busy 4K screen can exceed it, and a smaller picture is still useful.
func encodeShot(img *image.RGBA, limit int64) ([]byte, error) {
	b := img.Bounds()
	for w, h := b.Dx(), b.Dy(); ; w, h = w*7/10, h*7/10 {
		scaled := img
		if w != b.Dx() {
			scaled = screen.Thumbnail(img, w, h)
		}
		data, err := screen.EncodePNG(scaled)
		if err != nil || int64(len(data)) <= limit {
			return data, err
		}
		if w < 320 {
			return nil, &problemError{msg: "The screenshot is too large to send. Please leave it out, and describe what you see instead."}
		}
	}
}
