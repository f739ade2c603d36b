package healthpanel

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/internal/uitest"
	"github.com/firstline-it/firstline/internal/localapi"
)

var now = time.Date(2026, 3, 4, 10, 0, 0, 0, time.Local)

type fakeSource struct {
	mu   sync.Mutex
	rep  *localapi.HealthReport
	err  error
	runs int
}

func (f *fakeSource) Health(context.Context, ...string) (*localapi.HealthReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.runs++
	return f.rep, f.err
}

func (f *fakeSource) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.runs
}

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

func newPanel(t *testing.T, src Source, openFix func(string)) (*Panel, *uiQueue) {
	t.Helper()
	test.NewTempApp(t)
	q := &uiQueue{ch: make(chan func(), 16)}
	p := New(Options{Source: src, OpenFix: openFix, Do: q.do, Now: func() time.Time { return now }})
	t.Cleanup(func() {
		go func() {
			for range q.ch {
			}
		}()
		p.Close()
	})
	return p, q
}

func report(checks ...localapi.HealthCheck) *localapi.HealthReport {
	return &localapi.HealthReport{Checked: now, Checks: checks}
}

func buttons(p *Panel, text string) []*widget.Button {
	var out []*widget.Button
	for _, b := range uitest.Find[*widget.Button](p.Object()) {
		if b.Text == text {
			out = append(out, b)
		}
	}
	return out
}

func TestProblemsAreListedMostUrgentFirstWithFixIt(t *testing.T) {
	src := &fakeSource{rep: report(
		localapi.HealthCheck{Name: "uptime", Status: "warning", Message: "Restart your computer soon."},
		localapi.HealthCheck{Name: "dns", Status: "ok", Message: "Names resolve."},
		localapi.HealthCheck{Name: "disk", Status: "critical", Message: "Your disk is nearly full.", FixID: "free-disk-space"},
		localapi.HealthCheck{Name: "backup", Status: "unknown", Label: "Backup", Summary: "no agent"},
	)}
	var opened []string
	p, q := newPanel(t, src, func(id string) { opened = append(opened, id) })
	p.Show()
	if !uitest.Has(p.Object(), PhraseChecking) || !buttons(p, ButtonRecheck)[0].Disabled() {
		t.Errorf("while checking: %q", uitest.Texts(p.Object()))
	}
	q.drain(t, 1)

	var msgs []string
	for _, l := range uitest.Find[*widget.Label](p.Object()) {
		switch l.Text {
		case "Your disk is nearly full.", "Restart your computer soon.", "Names resolve.":
			msgs = append(msgs, l.Text)
		}
	}
	if want := []string{"Your disk is nearly full.", "Restart your computer soon."}; !slices.Equal(msgs, want) {
		t.Errorf("lines %q, want %q (the fine check left out)", msgs, want)
	}
	if !uitest.Has(p.Object(), "The other check is fine. Not checked on this computer: Backup.") {
		t.Errorf("no word about the fine checks: %q", uitest.Texts(p.Object()))
	}
	fix := buttons(p, ButtonFixIt)
	if len(fix) != 1 || fix[0].Importance != widget.HighImportance {
		t.Fatalf("%d Fix it buttons, want 1 for the critical check with a fix", len(fix))
	}
	test.Tap(fix[0])
	if !slices.Equal(opened, []string{"free-disk-space"}) {
		t.Errorf("Fix it opened %q", opened)
	}
	if !uitest.Has(p.Object(), "Checked at 10:00.") {
		t.Errorf("no time of the check: %q", uitest.Texts(p.Object()))
	}
}

func TestAllFineIsOneLine(t *testing.T) {
	src := &fakeSource{rep: report(
		localapi.HealthCheck{Name: "dns", Status: "ok"},
		localapi.HealthCheck{Name: "disk", Status: "ok", FixID: "free-disk-space"},
	)}
	p, q := newPanel(t, src, func(string) {})
	p.Refresh()
	q.drain(t, 1)
	if !uitest.Has(p.Object(), "All 2 checks are fine.") || len(buttons(p, ButtonFixIt)) != 0 {
		t.Errorf("all fine: %q", uitest.Texts(p.Object()))
	}
	test.Tap(buttons(p, ButtonRecheck)[0])
	q.drain(t, 1)
	if src.count() != 2 {
		t.Errorf("%d runs after Re-check, want 2", src.count())
	}
}

func TestOnlyUncheckedIsNotAProblem(t *testing.T) {
	src := &fakeSource{rep: report(
		localapi.HealthCheck{Name: "dns", Status: "ok"},
		localapi.HealthCheck{Name: "battery", Status: "unknown", Message: "Firstline could not check this."},
	)}
	p, q := newPanel(t, src, nil)
	p.Refresh()
	q.drain(t, 1)
	if !uitest.Has(p.Object(), "The check is fine.") || !uitest.Has(p.Object(), "Not checked on this computer: battery.") ||
		uitest.Has(p.Object(), "could not check this") {
		t.Errorf("only unknown: %q", uitest.Texts(p.Object()))
	}
}

func TestWithoutFixesPageNoFixIt(t *testing.T) {
	src := &fakeSource{rep: report(localapi.HealthCheck{Status: "critical", Message: "Firewall off", FixID: "x"})}
	p, q := newPanel(t, src, nil)
	p.Refresh()
	q.drain(t, 1)
	if len(buttons(p, ButtonFixIt)) != 0 || !uitest.Has(p.Object(), "Firewall off") {
		t.Errorf("without a Fixes page: %q", uitest.Texts(p.Object()))
	}
}

func TestFailureKeepsTheLastReport(t *testing.T) {
	src := &fakeSource{rep: report(localapi.HealthCheck{Status: "warning", Message: "Clock is off"})}
	p, q := newPanel(t, src, nil)
	p.Refresh()
	q.drain(t, 1)
	src.mu.Lock()
	src.err = fmt.Errorf("dial: %w", localapi.ErrUnreachable)
	src.mu.Unlock()
	p.Refresh()
	q.drain(t, 1)
	for _, s := range []string{"Clock is off", "not answering", "from the last check"} {
		if !uitest.Has(p.Object(), s) {
			t.Errorf("lacks %q: %q", s, uitest.Texts(p.Object()))
		}
	}
	src2 := &fakeSource{err: errors.New("boom")}
	p2, q2 := newPanel(t, src2, nil)
	p2.Refresh()
	q2.drain(t, 1)
	if !uitest.Has(p2.Object(), "could not be run: boom") {
		t.Errorf("first failure: %q", uitest.Texts(p2.Object()))
	}
}

func TestRefreshDuringARunRunsAgain(t *testing.T) {
	src := &fakeSource{rep: report()}
	p, q := newPanel(t, src, nil)
	p.Refresh()
	p.Refresh()
	q.drain(t, 2)
	if src.count() != 2 {
		t.Errorf("%d runs, want 2", src.count())
	}
}
