package noticespage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/internal/uitest"
	"github.com/firstline-it/firstline/internal/localapi"
)

var now = time.Date(2026, 3, 4, 10, 0, 0, 0, time.Local)

// fakeSource is the service: it keeps notices and applies actions the way
// the service does.
type fakeSource struct {
	mu      sync.Mutex
	items   []localapi.NoticeItem
	err     error
	actErr  error
	actions []string // "id:action"
	loads   int
	checks  int
}

func (f *fakeSource) viewLocked() *localapi.NoticeView {
	v := &localapi.NoticeView{Items: []localapi.NoticeItem{}}
	for _, it := range f.items {
		if !it.Dismissed.IsZero() {
			v.Dismissed = append(v.Dismissed, it)
			continue
		}
		v.Items = append(v.Items, it)
		if it.Seen.IsZero() {
			v.Unread++
			if it.Severity == "critical" {
				v.Critical++
			}
		}
	}
	return v
}

func (f *fakeSource) Notices(ctx context.Context) (*localapi.NoticeView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.loads++
	if f.err != nil {
		return nil, f.err
	}
	return f.viewLocked(), nil
}

func (f *fakeSource) NoticeAction(ctx context.Context, id, action string) (*localapi.NoticeView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.actions = append(f.actions, id+":"+action)
	if f.actErr != nil {
		return nil, f.actErr
	}
	for i := range f.items {
		if f.items[i].ID != id {
			continue
		}
		switch action {
		case localapi.NoticeSeen:
			f.items[i].Seen = now
		case localapi.NoticeAck:
			f.items[i].Acked = now
		case localapi.NoticeDismiss:
			f.items[i].Dismissed = now
		case localapi.NoticeMeToo:
			f.items[i].MeToo = now
		}
	}
	return f.viewLocked(), nil
}

func (f *fakeSource) CheckNotices(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.checks++
	f.items = append(f.items, localapi.NoticeItem{ID: "fresh", Severity: "info", Title: "Fresh from the feed", Created: now})
	return nil
}

func (f *fakeSource) acts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.actions)
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

func newPage(t *testing.T, src Source, loaded func(context.Context, localapi.NoticeView)) (*Page, *uiQueue) {
	t.Helper()
	test.NewTempApp(t)
	q := &uiQueue{ch: make(chan func(), 16)}
	p := New(Options{Source: src, Loaded: loaded, Do: q.do, Now: func() time.Time { return now }})
	t.Cleanup(func() {
		go func() {
			for range q.ch {
			}
		}()
		p.Close()
	})
	return p, q
}

func sample() []localapi.NoticeItem {
	return []localapi.NoticeItem{
		{ID: "info", Severity: "info", Title: "New coffee machine", Body: "On floor 3.", Created: now.Add(-time.Hour)},
		{ID: "warn", Severity: "warning", Title: "Printer maintenance", Body: "Printers are off from 11:00.",
			Created: now.Add(-2 * time.Hour), Expires: now.Add(90 * time.Minute), RequireAck: true,
			Links: []localapi.NoticeLink{
				{Title: "Status page", URL: "https://status.example.com/", Clickable: true},
				{Title: "Elsewhere", URL: "https://evil.example.net/x", Clickable: false},
				{Title: "Plain http", URL: "http://status.example.com/", Clickable: true},
			}},
		{ID: "crit", Severity: "critical", Title: "Mail is down", Body: "We are on it.", Created: now.Add(-3 * time.Hour), Incident: true},
	}
}

// buttonsOf returns the page's buttons by text.
func buttonsOf(p *Page) map[string][]*widget.Button {
	out := map[string][]*widget.Button{}
	for _, b := range uitest.Find[*widget.Button](p.Object()) {
		out[b.Text] = append(out[b.Text], b)
	}
	return out
}

func titles(p *Page) []string {
	var out []string
	for _, l := range uitest.Find[*widget.Label](p.Object()) {
		if l.SizeName == "subHeadingText" && l.Wrapping == fyne.TextWrapWord {
			out = append(out, l.Text)
		}
	}
	return out
}

func TestShowListsMostUrgentFirstAndMarksSeen(t *testing.T) {
	src := &fakeSource{items: sample()}
	var loaded []localapi.NoticeView
	var mu sync.Mutex
	p, q := newPage(t, src, func(_ context.Context, v localapi.NoticeView) {
		mu.Lock()
		defer mu.Unlock()
		loaded = append(loaded, v)
	})
	p.Show()
	q.drain(t, 1)

	if got, want := titles(p), []string{"Mail is down", "Printer maintenance", "New coffee machine"}; !slices.Equal(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
	if got := src.acts(); !slices.Equal(got, []string{"info:seen", "warn:seen", "crit:seen"}) {
		t.Errorf("actions on show %q", got)
	}
	if v := p.State().View; v == nil || v.Unread != 0 {
		t.Errorf("view after marking seen: %+v", v)
	}
	mu.Lock()
	if len(loaded) != 1 || loaded[0].Unread != 3 {
		t.Errorf("Loaded told %+v, want the view before it was marked seen", loaded)
	}
	mu.Unlock()
	for _, want := range []string{"Critical", "Warning", "Info", "We are on it.", "posted 07:00",
		"posted 08:00 · until 11:30", "Elsewhere (https://evil.example.net/x)", "Plain http (http://status.example.com/)"} {
		if !uitest.Has(p.Object(), want) {
			t.Errorf("page lacks %q: %q", want, uitest.Texts(p.Object()))
		}
	}
	links := uitest.Find[*widget.Hyperlink](p.Object())
	if len(links) != 1 || links[0].Text != "Status page" || links[0].URL.String() != "https://status.example.com/" {
		t.Errorf("hyperlinks %+v, want only the clickable https one", links)
	}
}

func TestRefreshWhileHiddenMarksNothingSeen(t *testing.T) {
	src := &fakeSource{items: sample()}
	p, q := newPage(t, src, nil)
	p.Refresh()
	q.drain(t, 1)
	if got := src.acts(); len(got) != 0 {
		t.Errorf("a refresh off screen marked %q", got)
	}
	p.Show()
	q.drain(t, 1)
	p.Leave()
	src.mu.Lock()
	src.items = append(src.items, localapi.NoticeItem{ID: "later", Severity: "warning", Title: "Later", Created: now})
	src.mu.Unlock()
	p.Refresh()
	q.drain(t, 1)
	if got := src.acts(); slices.Contains(got, "later:seen") {
		t.Errorf("a notice that came after the page was left was marked seen: %q", got)
	}
}

func TestButtonsFollowTheNotice(t *testing.T) {
	cases := []struct {
		name string
		item localapi.NoticeItem
		want []string
	}{
		{"info", localapi.NoticeItem{Severity: "info"}, []string{ButtonDismiss}},
		{"ack", localapi.NoticeItem{Severity: "warning", RequireAck: true}, []string{ButtonAck, ButtonDismiss}},
		{"acked", localapi.NoticeItem{Severity: "warning", RequireAck: true, Acked: now}, []string{ButtonDismiss}},
		{"critical incident", localapi.NoticeItem{Severity: "critical", Incident: true}, []string{ButtonMeToo}},
		{"critical ack", localapi.NoticeItem{Severity: "critical", RequireAck: true, Incident: true, MeToo: now}, []string{ButtonAck}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.item.ID, c.item.Title, c.item.Created, c.item.Seen = "x", "T", now, now
			src := &fakeSource{items: []localapi.NoticeItem{c.item}}
			p, q := newPage(t, src, nil)
			p.Refresh()
			q.drain(t, 1)
			var got []string
			for _, b := range uitest.Find[*widget.Button](p.Object()) {
				if b.Text != ButtonCheck {
					got = append(got, b.Text)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("buttons %q, want %q", got, c.want)
			}
		})
	}
}

func TestEachButtonActs(t *testing.T) {
	cases := []struct {
		button, action, after string
	}{
		{ButtonAck, "warn:ack", PhraseAcked},
		{ButtonMeToo, "crit:metoo", PhraseMeToo},
		{ButtonDismiss, "warn:dismiss", "Show dismissed (1)"},
	}
	for _, c := range cases {
		t.Run(c.button, func(t *testing.T) {
			items := sample()[1:] // warning and critical
			for i := range items {
				items[i].Seen = now
			}
			src := &fakeSource{items: items}
			p, q := newPage(t, src, nil)
			p.Refresh()
			q.drain(t, 1)
			if uitest.Has(p.Object(), c.after) {
				t.Fatalf("page says %q before the click", c.after)
			}
			btn := buttonsOf(p)[c.button]
			if len(btn) != 1 {
				t.Fatalf("%d %q buttons", len(btn), c.button)
			}
			test.Tap(btn[0])
			if p.State().Busy == "" || !allDisabled(p) {
				t.Errorf("buttons not disabled while the action runs")
			}
			q.drain(t, 1)
			if got := src.acts(); !slices.Equal(got, []string{c.action}) {
				t.Errorf("actions %q, want %q", got, c.action)
			}
			if !uitest.Has(p.Object(), c.after) {
				t.Errorf("page lacks %q after the click: %q", c.after, uitest.Texts(p.Object()))
			}
			if len(buttonsOf(p)[c.button]) != 0 {
				t.Errorf("%q still offered after it was done", c.button)
			}
		})
	}
}

// allDisabled reports whether every notice button is disabled.
func allDisabled(p *Page) bool {
	for _, b := range uitest.Find[*widget.Button](p.Object()) {
		if b.Text != ButtonCheck && !b.Disabled() {
			return false
		}
	}
	return true
}

func TestFailedActionIsShownAndKeepsTheNotice(t *testing.T) {
	items := sample()[1:2]
	items[0].Seen = now
	src := &fakeSource{items: items, actErr: errors.New("service said no")}
	p, q := newPage(t, src, nil)
	p.Refresh()
	q.drain(t, 1)
	test.Tap(buttonsOf(p)[ButtonAck][0])
	q.drain(t, 1)
	if !uitest.Has(p.Object(), "That did not work: service said no") {
		t.Errorf("no error shown: %q", uitest.Texts(p.Object()))
	}
	if len(buttonsOf(p)[ButtonAck]) != 1 || buttonsOf(p)[ButtonAck][0].Disabled() {
		t.Errorf("the ack button is gone or disabled after a failure")
	}
}

func TestDismissedSectionFolds(t *testing.T) {
	items := sample()
	items[0].Dismissed, items[0].Seen = now, now
	src := &fakeSource{items: items}
	p, q := newPage(t, src, nil)
	p.Refresh()
	q.drain(t, 1)
	if uitest.Has(p.Object(), "New coffee machine") {
		t.Errorf("dismissed notice shown while folded")
	}
	test.Tap(buttonsOf(p)["Show dismissed (1)"][0])
	if !uitest.Has(p.Object(), "New coffee machine") || !uitest.Has(p.Object(), "Hide dismissed (1)") {
		t.Errorf("unfolded section lacks the notice: %q", uitest.Texts(p.Object()))
	}
	test.Tap(buttonsOf(p)["Hide dismissed (1)"][0])
	if uitest.Has(p.Object(), "New coffee machine") {
		t.Errorf("folded again, still shown")
	}
}

func TestCheckPollsThenReloads(t *testing.T) {
	src := &fakeSource{items: []localapi.NoticeItem{}}
	p, q := newPage(t, src, nil)
	p.Refresh()
	q.drain(t, 1)
	if !uitest.Has(p.Object(), PhraseEmpty) {
		t.Errorf("empty page lacks %q: %q", PhraseEmpty, uitest.Texts(p.Object()))
	}
	test.Tap(buttonsOf(p)[ButtonCheck][0])
	if !buttonsOf(p)[ButtonCheck][0].Disabled() {
		t.Errorf("check button enabled while checking")
	}
	q.drain(t, 2) // the check, then the reload
	src.mu.Lock()
	checks, loads := src.checks, src.loads
	src.mu.Unlock()
	if checks != 1 || loads != 2 {
		t.Errorf("%d checks and %d loads, want 1 and 2", checks, loads)
	}
	if !uitest.Has(p.Object(), "Fresh from the feed") || uitest.Has(p.Object(), PhraseEmpty) {
		t.Errorf("page after the check: %q", uitest.Texts(p.Object()))
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("dial: %w", localapi.ErrUnreachable), "The Firstline service is not answering."},
		{errors.New("boom"), "The notices could not be read from the Firstline service."},
	}
	for _, c := range cases {
		src := &fakeSource{err: c.err}
		p, q := newPage(t, src, nil)
		p.Refresh()
		q.drain(t, 1)
		if !uitest.Has(p.Object(), c.want) || uitest.Has(p.Object(), PhraseEmpty) {
			t.Errorf("%v: page %q, want %q", c.err, uitest.Texts(p.Object()), c.want)
		}
	}
}

func TestRefreshDuringLoadLoadsAgain(t *testing.T) {
	src := &fakeSource{items: sample()}
	p, q := newPage(t, src, nil)
	p.Refresh()
	p.Refresh() // the counts changed while the first load ran
	q.drain(t, 2)
	src.mu.Lock()
	defer src.mu.Unlock()
	if src.loads != 2 {
		t.Errorf("%d loads, want 2", src.loads)
	}
}

func TestDayTime(t *testing.T) {
	cases := []struct {
		at   time.Time
		want string
	}{
		{now.Add(90 * time.Minute), "11:30"},
		{now.Add(-24 * time.Hour), "yesterday 10:00"},
		{now.Add(24 * time.Hour), "tomorrow 10:00"},
		{now.Add(5 * 24 * time.Hour), "Mon 9 Mar 10:00"},
		{now.AddDate(1, 0, 0), "4 Mar 2027 10:00"},
	}
	for _, c := range cases {
		if got := dayTime(c.at, now); got != c.want {
			t.Errorf("dayTime(%v) = %q, want %q", c.at, got, c.want)
		}
	}
	if !strings.HasPrefix(when(localapi.NoticeItem{Created: now}, now), "posted 10:00") {
		t.Errorf("when: %q", when(localapi.NoticeItem{Created: now}, now))
	}
}
