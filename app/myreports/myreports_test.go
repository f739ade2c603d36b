package myreports

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/internal/uitest"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
)

type fakeSource struct {
	mu      sync.Mutex
	records []report.Record
	err     error
	calls   int
	gate    chan struct{} // when set, Reports waits for it
}

func (f *fakeSource) Reports(ctx context.Context, all bool) ([]report.Record, error) {
	f.mu.Lock()
	f.calls++
	gate := f.gate
	f.mu.Unlock()
	if all {
		return nil, errors.New("the page must only ask for the employee's own reports")
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]report.Record(nil), f.records...), f.err
}

func (f *fakeSource) n() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

type fakeLocal struct {
	records []report.Record
	err     error
}

func (l *fakeLocal) List() ([]report.Record, error) { return l.records, l.err }

type uiQueue struct{ ch chan func() }

func (q *uiQueue) do(fn func()) { q.ch <- fn }

func (q *uiQueue) drain(t *testing.T, n int) {
	t.Helper()
	for i := range n {
		select {
		case fn := <-q.ch:
			fn()
		case <-time.After(5 * time.Second):
			t.Fatalf("waited for %d UI updates, got %d", n, i)
		}
	}
}

var now = time.Date(2026, 3, 4, 15, 0, 0, 0, time.Local)

func newPage(t *testing.T, opts Options) (*Page, *uiQueue) {
	t.Helper()
	app := test.NewTempApp(t)
	q := &uiQueue{ch: make(chan func(), 16)}
	opts.Do, opts.Clip, opts.Now = q.do, app.Clipboard(), func() time.Time { return now }
	p := New(opts)
	t.Cleanup(func() {
		go func() {
			for range q.ch {
			}
		}()
		p.Close()
	})
	return p, q
}

// record makes a report written at `at` in the given state.
func record(title string, at time.Time, st report.State) report.Record {
	s := report.Submission{Key: report.NewKey(at), CreatedAt: at, Text: title, Severity: report.SeverityBlocked, Category: "printer"}
	r := report.NewReport(s, report.Owner{UID: "1000"}, at.Add(time.Second))
	r.State = st
	return r.Record()
}

func dest(st report.DeliveryState, mod func(*report.Destination)) report.State {
	d := report.Destination{Name: "rt", State: st}
	if mod != nil {
		mod(&d)
	}
	return report.State{Destinations: []report.Destination{d}}
}

func TestEveryStateHasItsPhrase(t *testing.T) {
	saved := record("Printer jams on page 2", now.Add(-5*time.Hour), report.State{})
	sent := record("Teams has no sound", now.Add(-4*time.Hour), dest(report.Delivered, func(d *report.Destination) {
		d.TicketID, d.TicketURL, d.RemoteStatus = "4711", "https://rt.example.com/Ticket/Display.html?id=4711", "open"
	}))
	offline := record("Wi-Fi gone", now.Add(-3*time.Hour), dest(report.FailedTransient, func(d *report.Destination) { d.Offline = true }))
	offline.State.Destinations = append(offline.State.Destinations, report.Destination{
		Name: "inbox", State: report.Delivered, TicketID: string(offline.Reference), TicketURL: "file:///var/lib/firstline/inbox/x.eml"})
	stuck := record("Laptop will not boot", now.Add(-2*time.Hour), dest(report.NeedsAttention, func(d *report.Destination) {
		d.LastError = "the helpdesk refused the login"
	}))
	local := record("Written on the train", now.Add(-1*time.Hour), report.State{})
	src := &fakeSource{records: []report.Record{saved, sent, offline, stuck}}
	p, q := newPage(t, Options{Source: src, Local: &fakeLocal{records: []report.Record{local}},
		CategoryLabel: func(id string) string { return strings.ToUpper(id) }})
	p.Show()
	q.drain(t, 1)

	for _, want := range []string{
		report.PhraseSaved, report.PhraseSent, report.PhraseOffline,
		report.PhraseNeedsAttention + ": the helpdesk refused the login",
		PhraseLocal, "Ticket 4711", "status at the helpdesk: open",
		string(sent.Reference), "Teams has no sound", "PRINTER · written today 11:00 · can't work",
	} {
		if !uitest.Has(p.Object(), want) {
			t.Errorf("page lacks %q: %q", want, uitest.Texts(p.Object()))
		}
	}
	// Newest first: the one still on this computer was written last.
	var order []string
	for _, e := range p.State().Entries {
		order = append(order, e.Record.Title)
	}
	if got := strings.Join(order, "|"); got != "Written on the train|Laptop will not boot|Wi-Fi gone|Teams has no sound|Printer jams on page 2" {
		t.Errorf("order %s", got)
	}
	// Only the helpdesk's ticket: the inbox files the report under its
	// reference, in a folder the employee cannot open.
	if countText(p, "Ticket") != 1 {
		t.Error("a destination that files by reference shows it again as a ticket")
	}
	links := uitest.Find[*widget.Hyperlink](p.Object())
	if len(links) != 1 || links[0].URL.String() != "https://rt.example.com/Ticket/Display.html?id=4711" {
		t.Errorf("links %v", links)
	}
}

// countText counts the texts on the page that start with prefix.
func countText(p *Page, prefix string) int {
	n := 0
	for _, s := range uitest.Texts(p.Object()) {
		if strings.HasPrefix(s, prefix) {
			n++
		}
	}
	return n
}

func TestTicketLinksAreWebOnly(t *testing.T) {
	for _, raw := range []string{"javascript:alert(1)", "file:///etc/passwd", "smb://share/x", "https://", ""} {
		if webLink(raw) != nil {
			t.Errorf("%q became a link", raw)
		}
	}
	if webLink("http://helpdesk.example.com/t/1") == nil {
		t.Error("an http link was refused")
	}
}

func TestEmptyStateSaysHowToReport(t *testing.T) {
	opened := 0
	p, q := newPage(t, Options{Source: &fakeSource{}, GetHelp: func() { opened++ }})
	p.Show()
	q.drain(t, 1)
	if !uitest.Has(p.Object(), "You have not reported a problem yet") || !uitest.Has(p.Object(), "Get help…") {
		t.Errorf("page %q", uitest.Texts(p.Object()))
	}
	for _, b := range uitest.Find[*widget.Button](p.Object()) {
		if b.Text == "Get help" {
			test.Tap(b)
		}
	}
	if opened != 1 {
		t.Errorf("Get help opened %d times", opened)
	}
}

func TestServiceDownShowsWhatIsHere(t *testing.T) {
	down := fmt.Errorf("%w at /run/firstline/local.sock", localapi.ErrUnreachable)
	sent := record("Sent yesterday", now.Add(-24*time.Hour), dest(report.Delivered, nil))
	src := &fakeSource{records: []report.Record{sent}}
	local := &fakeLocal{records: []report.Record{record("Kept here", now.Add(-time.Minute), report.State{})}}
	p, q := newPage(t, Options{Source: src, Local: local})
	p.Show()
	q.drain(t, 1)
	src.mu.Lock()
	src.err, src.records = down, nil
	src.mu.Unlock()
	p.Refresh()
	q.drain(t, 1)
	for _, want := range []string{"The Firstline service is not answering", "may be out of date", "Kept here", PhraseLocal, "Sent yesterday"} {
		if !uitest.Has(p.Object(), want) {
			t.Errorf("page lacks %q: %q", want, uitest.Texts(p.Object()))
		}
	}
}

// TestHandedOverReportIsListedOnce: for a moment a report is in both
// lists; the service's word wins.
func TestHandedOverReportIsListedOnce(t *testing.T) {
	r := record("Handed over", now.Add(-time.Minute), dest(report.Queued, nil))
	kept := r
	kept.State = report.State{}
	p, q := newPage(t, Options{Source: &fakeSource{records: []report.Record{r}}, Local: &fakeLocal{records: []report.Record{kept}}})
	p.Refresh()
	q.drain(t, 1)
	if es := p.State().Entries; len(es) != 1 || es[0].Local {
		t.Errorf("entries %+v", es)
	}
}

func TestRefreshDuringALoadLoadsAgain(t *testing.T) {
	gate := make(chan struct{})
	src := &fakeSource{gate: gate}
	p, q := newPage(t, Options{Source: src})
	p.Refresh()
	p.Refresh() // the watch stream said the reports changed meanwhile
	p.Refresh()
	if !p.State().Loading {
		t.Fatal("not loading")
	}
	close(gate)
	q.drain(t, 2)
	if n := src.n(); n != 2 {
		t.Errorf("%d loads, want the first and one more", n)
	}
}

func TestWhenText(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
	}{
		{now.Add(-time.Hour), "today 14:00"},
		{now.Add(-20 * time.Hour), "yesterday 19:00"},
		{now.AddDate(0, 0, -3), "Sun 1 Mar 15:00"},
		{now.AddDate(-1, 0, 0), "4 Mar 2025 15:00"},
	}
	for _, tt := range tests {
		if got := whenText(tt.at, now); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.at, got, tt.want)
		}
	}
}
