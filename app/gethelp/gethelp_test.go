package gethelp

import (
	"context"
	"errors"
	"fmt"
	"image"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/gethelp/screen"
	"github.com/firstline-it/firstline/app/internal/uitest"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/sysinfo"
	"github.com/firstline-it/firstline/internal/sysinfo/chart"
)

// fakeSource answers like the service and records what it was sent.
type fakeSource struct {
	mu        sync.Mutex
	snap      *sysinfo.Snapshot
	snapErr   error
	submitErr func(n int) error // the n-th submission's error (from 1)
	submitted []report.Submission
	record    *report.Record // what Report answers
	// deliverAtOnce makes Report answer that a submitted report has
	// reached the helpdesk, as a fast destination does.
	deliverAtOnce bool
	// setup is what ReportSetup answers; nil answers an error, as a
	// service without the route does.
	setup *localapi.ReportSetup
}

func (f *fakeSource) ReportSetup(context.Context) (*localapi.ReportSetup, error) {
	if f.setup == nil {
		return nil, &localapi.Error{Status: 404, Code: localapi.CodeNotFound, Message: "no such endpoint"}
	}
	return f.setup, nil
}

func (f *fakeSource) SysInfo(context.Context, ...sysinfo.Section) (*sysinfo.Snapshot, error) {
	return f.snap, f.snapErr
}

// Chart draws a small chart: the page shows whatever PNG comes back.
func (f *fakeSource) Chart(_ context.Context, w, h int) ([]byte, error) {
	return chart.Render(nil, chart.Options{Width: chart.MinWidth, Height: chart.MinHeight, Now: time.Now()})
}

func (f *fakeSource) SubmitReport(_ context.Context, s *report.Submission) (*localapi.SubmitResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.submitted = append(f.submitted, *s)
	if f.submitErr != nil {
		if err := f.submitErr(len(f.submitted)); err != nil {
			return nil, err
		}
	}
	if err := s.Validate(report.DefaultLimits()); err != nil {
		return nil, &localapi.Error{Status: 400, Code: localapi.CodeBadRequest, Message: err.Error()}
	}
	r := report.NewReport(*s, report.Owner{UID: "1000"}, time.Now())
	if f.deliverAtOnce {
		delivered := r.Record()
		delivered.State.Destinations = []report.Destination{{Name: "inbox", State: report.Delivered}}
		f.record = &delivered
	}
	return &localapi.SubmitResult{Record: r.Record()}, nil
}

func (f *fakeSource) Report(_ context.Context, key report.Key) (*report.Record, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.record == nil || f.record.Key != key {
		return nil, &localapi.Error{Status: 404, Code: localapi.CodeNotFound, Message: "no such report"}
	}
	r := *f.record
	return &r, nil
}

func (f *fakeSource) sent() []report.Submission {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]report.Submission(nil), f.submitted...)
}

// fakeOutbox keeps submissions in memory.
type fakeOutbox struct {
	saved []report.Submission
	err   error
}

func (o *fakeOutbox) Save(_ context.Context, s report.Submission) (report.Record, error) {
	if o.err != nil {
		return report.Record{}, o.err
	}
	o.saved = append(o.saved, s)
	r := report.NewReport(s, report.Owner{UID: "self"}, time.Now())
	return r.Record(), nil
}

// uiQueue holds what the page posts to the UI goroutine, so the test
// decides when it runs.
type uiQueue struct{ ch chan func() }

func (q *uiQueue) do(fn func()) { q.ch <- fn }

// until runs posted functions until cond holds.
func (q *uiQueue) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case fn := <-q.ch:
			fn()
		case <-deadline:
			t.Fatalf("waited in vain for %s", what)
		}
	}
}

func testSnapshot() *sysinfo.Snapshot {
	return &sysinfo.Snapshot{
		Schema:   sysinfo.SchemaVersion,
		Host:     &sysinfo.Host{Hostname: "LAPTOP-42", OS: "Debian GNU/Linux 12 (bookworm)"},
		Redacted: []string{"serials"},
	}
}

// newPage makes a page on fakes; opts fields left zero get test defaults.
func newPage(t *testing.T, opts Options) (*Page, *uiQueue) {
	t.Helper()
	app := test.NewTempApp(t)
	q := &uiQueue{ch: make(chan func(), 64)}
	if opts.Source == nil {
		opts.Source = &fakeSource{snap: testSnapshot()}
	}
	opts.Do = q.do
	opts.Clip = app.Clipboard()
	if opts.AutosaveEvery == 0 {
		opts.AutosaveEvery = -1
	}
	p := New(opts)
	t.Cleanup(func() {
		stop := make(chan struct{})
		go func() { // let Close's goroutines post and finish
			for {
				select {
				case <-q.ch:
				case <-stop:
					return
				}
			}
		}()
		p.Close()
		close(stop)
	})
	return p, q
}

// shown opens the page and waits for the summary and the chart.
func shown(t *testing.T, opts Options) (*Page, *uiQueue) {
	t.Helper()
	p, q := newPage(t, opts)
	p.Show()
	q.until(t, "the summary", func() bool { return !p.State().Loading })
	return p, q
}

func button(t *testing.T, p *Page, text string) *widget.Button {
	t.Helper()
	for _, b := range uitest.Find[*widget.Button](p.Object()) {
		if b.Text == text {
			return b
		}
	}
	t.Fatalf("no %q button in %q", text, uitest.Texts(p.Object()))
	return nil
}

func check(t *testing.T, p *Page, text string) *widget.Check {
	t.Helper()
	for _, c := range uitest.Find[*widget.Check](p.Object()) {
		if c.Text == text {
			return c
		}
	}
	t.Fatalf("no %q tick box", text)
	return nil
}

// fill types a complete, sendable form.
func fill(p *Page, text string) {
	p.f.text.SetText(text)
	p.f.severity.SetSelected(SeverityLabel(report.SeveritySlowed))
}

// send presses Send and waits for the outcome.
func send(t *testing.T, p *Page, q *uiQueue) {
	t.Helper()
	test.Tap(button(t, p, "Send to IT"))
	q.until(t, "Send to end", func() bool { return !p.State().Sending })
}

func TestFormRefusesWhatCannotBeSent(t *testing.T) {
	tests := []struct {
		name string
		set  func(p *Page)
		want string
	}{
		{"nothing written", func(p *Page) { p.f.severity.SetSelected(SeverityLabel(report.SeverityBlocked)) },
			"Please describe the problem"},
		{"only spaces", func(p *Page) {
			p.f.text.SetText("  \n\t ")
			p.f.severity.SetSelected(SeverityLabel(report.SeverityBlocked))
		}, "Please describe the problem"},
		{"how bad missing", func(p *Page) { p.f.text.SetText("Printer jams") }, "how much the problem stops your work"},
		{"phone without a number", func(p *Page) {
			fill(p, "Printer jams")
			p.f.callback.SetSelectedIndex(1)
		}, "your phone number"},
		{"too long", func(p *Page) {
			fill(p, strings.Repeat("x", report.DefaultLimits().TextChars+1))
		}, "characters long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &fakeSource{snap: testSnapshot()}
			p, q := shown(t, Options{Source: src})
			tt.set(p)
			test.Tap(button(t, p, "Send to IT"))
			if !uitest.Has(p.Object(), tt.want) {
				t.Errorf("no %q on the page: %q", tt.want, uitest.Texts(p.Object()))
			}
			if len(src.sent()) != 0 || p.State().Sending {
				t.Error("a refused form was sent")
			}
			// Fixing it clears the message and sends.
			fill(p, "Printer jams")
			p.f.callback.SetSelectedIndex(0)
			if uitest.Has(p.Object(), tt.want) {
				t.Error("the message stayed after the form was fixed")
			}
			send(t, p, q)
			if len(src.sent()) != 1 {
				t.Errorf("%d sent after fixing", len(src.sent()))
			}
		})
	}
}

func TestSubmitShowsReferenceAndPhrase(t *testing.T) {
	src := &fakeSource{snap: testSnapshot()}
	var submitted []report.Record
	p, q := shown(t, Options{Source: src, OnSubmitted: func(r report.Record) { submitted = append(submitted, r) },
		OpenReports: func() {}})
	key := p.State().Key
	fill(p, "Outlook keeps asking for my password\nsince this morning")
	p.f.category.SetSelected("Email & calendar")
	send(t, p, q)

	sent := src.sent()
	if len(sent) != 1 {
		t.Fatalf("%d submissions", len(sent))
	}
	s := sent[0]
	if s.Key != key || s.Category != "email-calendar" || s.Severity != report.SeveritySlowed || s.Callback.Method != report.CallbackNone {
		t.Errorf("submission %+v", s)
	}
	if !strings.Contains(string(s.Snapshot), "LAPTOP-42") {
		t.Errorf("snapshot %s", s.Snapshot)
	}
	if len(s.Attachments) != 1 || s.Attachments[0].Kind != report.KindChart || s.Attachments[0].Name != chartName {
		t.Errorf("attachments %+v", s.Attachments)
	}
	ref := string(key.Reference())
	for _, want := range []string{ref, report.PhraseSaved, "See my reports", "Report another problem"} {
		if !uitest.Has(p.Object(), want) {
			t.Errorf("result lacks %q: %q", want, uitest.Texts(p.Object()))
		}
	}
	if len(submitted) != 1 || submitted[0].Reference != key.Reference() {
		t.Errorf("OnSubmitted got %v", submitted)
	}
	test.Tap(button(t, p, "Copy"))
	if got := p.opts.Clip.Content(); got != ref {
		t.Errorf("copied %q", got)
	}
	// The next report is a new one.
	test.Tap(button(t, p, "Report another problem"))
	if p.State().Key == key || p.f.text.Text != "" || p.State().Result != nil {
		t.Error("the form did not start afresh")
	}
}

func TestServiceDownKeepsTheReportHere(t *testing.T) {
	down := fmt.Errorf("%w at /run/firstline/local.sock: connection refused", localapi.ErrUnreachable)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"not running", down, PhraseKept},
		{"spool full", &localapi.Error{Status: 507, Code: localapi.CodeSpoolFull, Message: "full"}, PhraseKeptFull},
		{"no report routes yet", &localapi.Error{Status: 404, Code: localapi.CodeNotFound, Message: "no such endpoint"}, PhraseKeptLater},
		{"answer lost", context.DeadlineExceeded, PhraseKept},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &fakeSource{snap: testSnapshot(), submitErr: func(int) error { return tt.err }}
			out := &fakeOutbox{}
			p, q := shown(t, Options{Source: src, Outbox: out})
			key := p.State().Key
			fill(p, "VPN drops every hour")
			send(t, p, q)
			if len(out.saved) != 1 || out.saved[0].Key != key || out.saved[0].Text != "VPN drops every hour" {
				t.Fatalf("kept %+v", out.saved)
			}
			r := p.State().Result
			if r == nil || !r.Local || r.Phrase != tt.want {
				t.Fatalf("result %+v", r)
			}
			for _, want := range []string{string(key.Reference()), tt.want, "Your report is saved on this computer"} {
				if !uitest.Has(p.Object(), want) {
					t.Errorf("page lacks %q: %q", want, uitest.Texts(p.Object()))
				}
			}
		})
	}
}

func TestRefusalKeepsTheForm(t *testing.T) {
	src := &fakeSource{snap: testSnapshot(), submitErr: func(int) error {
		return &localapi.Error{Status: 400, Code: localapi.CodeBadRequest, Message: "category: \"x\" is not a category id"}
	}}
	out := &fakeOutbox{}
	p, q := shown(t, Options{Source: src, Outbox: out})
	fill(p, "Printer jams")
	send(t, p, q)
	if p.State().Result != nil || len(out.saved) != 0 {
		t.Fatal("a refused report was treated as sent")
	}
	if !uitest.Has(p.Object(), "did not accept the report: category") || p.f.text.Text != "Printer jams" {
		t.Errorf("page: %q", uitest.Texts(p.Object()))
	}
}

// TestRetryReusesTheKey: a report that could neither be sent nor kept is
// sent again under the same key, so the service can never hold it twice.
func TestRetryReusesTheKey(t *testing.T) {
	down := fmt.Errorf("%w: connection refused", localapi.ErrUnreachable)
	src := &fakeSource{snap: testSnapshot(), submitErr: func(n int) error {
		if n == 1 {
			return down
		}
		return nil
	}}
	p, q := shown(t, Options{Source: src, Outbox: &fakeOutbox{err: errors.New("disk full")}})
	fill(p, "Screen flickers")
	send(t, p, q)
	if p.State().SendErr == nil || !uitest.Has(p.Object(), "could not be saved on this computer either") {
		t.Fatalf("page: %q", uitest.Texts(p.Object()))
	}
	send(t, p, q)
	sent := src.sent()
	if len(sent) != 2 || sent[0].Key != sent[1].Key || p.State().Result == nil {
		t.Errorf("keys %v / result %v", sent, p.State().Result)
	}
}

func TestResultFollowsTheReport(t *testing.T) {
	src := &fakeSource{snap: testSnapshot()}
	p, q := shown(t, Options{Source: src})
	fill(p, "Wi-Fi drops")
	send(t, p, q)
	key := p.State().Key
	rep := report.NewReport(src.sent()[0], report.Owner{UID: "1000"}, time.Now())
	rec := rep.Record()
	rec.State.Destinations = []report.Destination{{Name: "rt", State: report.Delivered, TicketID: "4711"}}
	src.mu.Lock()
	src.record = &rec
	src.mu.Unlock()
	p.ReportsChanged()
	q.until(t, "the new state", func() bool { return p.State().Result.Phrase == report.PhraseSent })
	if !uitest.Has(p.Object(), "IT has your report.") || p.State().Key != key {
		t.Errorf("page: %q", uitest.Texts(p.Object()))
	}
}

// TestResultFollowsByItself: a report delivered at once never changes the
// stream's counts; the result still comes to say it was sent.
func TestResultFollowsByItself(t *testing.T) {
	src := &fakeSource{snap: testSnapshot(), deliverAtOnce: true}
	p, q := shown(t, Options{Source: src, FollowFirst: 5 * time.Millisecond})
	fill(p, "Wi-Fi drops")
	send(t, p, q)
	if got := p.State().Result.Phrase; got != report.PhraseSaved {
		t.Errorf("first phrase %q", got)
	}
	q.until(t, "the report to be sent", func() bool { return p.State().Result.Phrase == report.PhraseSent })
	if !uitest.Has(p.Object(), report.PhraseSent) {
		t.Errorf("page %q", uitest.Texts(p.Object()))
	}
}

func TestAttachmentsListedAndRemovable(t *testing.T) {
	src := &fakeSource{snap: testSnapshot()}
	p, q := shown(t, Options{Source: src, PickFile: func(func(fyne.URIReadCloser, error)) {}})
	for _, want := range []string{"Add a file…", "LAPTOP-42"} {
		if !uitest.Has(p.Object(), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	p.AddFile("error.log", "", []byte("panic: out of memory\n"))
	p.AddFile("scan.pdf", "", []byte("%PDF-1.7 ..."))
	p.AddFile("error.log", "", []byte("the second one"))
	for _, want := range []string{"error.log", "Text · 21 bytes", "scan.pdf", "PDF document", "error (2).log"} {
		if !uitest.Has(p.Object(), want) {
			t.Errorf("page lacks %q: %q", want, uitest.Texts(p.Object()))
		}
	}
	test.Tap(button(t, p, "Remove")) // the first file
	if uitest.Has(p.Object(), "panic") || len(p.State().Form.Files) != 2 || p.State().Form.Files[0].Name != "scan.pdf" {
		t.Fatalf("files after removing: %+v", p.State().Form.Files)
	}
	check(t, p, "Summary of this computer").SetChecked(false)
	check(t, p, "Activity in the last hour").SetChecked(false)
	if uitest.Has(p.Object(), "LAPTOP-42") {
		t.Error("an unticked summary is still shown as sent")
	}
	fill(p, "The scanner makes empty PDFs")
	send(t, p, q)
	s := src.sent()[0]
	if s.Snapshot != nil {
		t.Error("the unticked summary was sent")
	}
	var names []string
	for _, a := range s.Attachments {
		names = append(names, a.Name+"|"+a.ContentType+"|"+string(a.Kind))
	}
	if got := strings.Join(names, " "); got != "scan.pdf|application/pdf|file error (2).log|text/plain; charset=utf-8|file" {
		t.Errorf("attachments: %s", got)
	}
}

func TestFileLimits(t *testing.T) {
	l := report.DefaultLimits()
	l.AttachmentBytes, l.Attachments = 10, 4
	p, _ := shown(t, Options{Limits: l})
	p.AddFile("big.bin", "", make([]byte, 11))
	if len(p.State().Form.Files) != 0 || !uitest.Has(p.Object(), "a file may be at most 10 bytes") {
		t.Errorf("too large: %q", uitest.Texts(p.Object()))
	}
	p.AddFile("a.txt", "", []byte("a"))
	p.AddFile("b.txt", "", []byte("b"))
	p.AddFile("c.txt", "", []byte("c"))
	if n := len(p.State().Form.Files); n != 2 || !uitest.Has(p.Object(), "A report can carry 2 files") {
		t.Errorf("%d files; page %q", n, uitest.Texts(p.Object()))
	}
}

func TestServiceDownLeavesTheSummaryOut(t *testing.T) {
	src := &fakeSource{snapErr: fmt.Errorf("%w: no socket", localapi.ErrUnreachable)}
	p, _ := shown(t, Options{Source: src})
	if !uitest.Has(p.Object(), "the Firstline service is not answering") || !uitest.Has(p.Object(), "can be sent without them") {
		t.Errorf("page %q", uitest.Texts(p.Object()))
	}
	if c := check(t, p, "Summary of this computer"); !c.Disabled() {
		t.Error("a summary that does not exist can be ticked")
	}
}

func whiteShot(name string, w, h int) screen.Shot {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	return screen.Shot{Name: name, Image: img}
}
