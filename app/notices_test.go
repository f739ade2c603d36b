package app

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/app/nav"
	"github.com/firstline-it/firstline/app/notify"
	"github.com/firstline-it/firstline/internal/localapi"
)

// noticeBackend is a fake service that also serves notices.
type noticeBackend struct {
	fakeBackend
	mu    sync.Mutex
	items []localapi.NoticeItem
	loads int
}

func (b *noticeBackend) Notices(context.Context) (*localapi.NoticeView, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.loads++
	return &localapi.NoticeView{Items: slices.Clone(b.items)}, nil
}

func (b *noticeBackend) NoticeAction(ctx context.Context, id, action string) (*localapi.NoticeView, error) {
	return b.Notices(ctx)
}

func (b *noticeBackend) CheckNotices(context.Context) error { return nil }

func (b *noticeBackend) add(it localapi.NoticeItem) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.items = append(b.items, it)
}

// recordingSender records the popups.
type recordingSender struct {
	mu   sync.Mutex
	sent []notify.Message
}

func (s *recordingSender) Send(_ context.Context, m notify.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, m)
	return nil
}

func (s *recordingSender) summaries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, m := range s.sent {
		out = append(out, m.Summary)
	}
	return out
}

func noticeEvent(unread, critical int) localapi.Event {
	return localapi.Event{Type: localapi.EventState, State: &localapi.State{
		Notices: localapi.NoticeSummary{Unread: unread, Critical: critical}}}
}

// TestNewNoticesPopAndTheTrayCounts: the stream's counts drive the tray
// label, and a change makes the page read the notices, so what is new
// pops up once; a critical notice opens the window on Notices.
func TestNewNoticesPopAndTheTrayCounts(t *testing.T) {
	fa := newTrayApp(t)
	be := &noticeBackend{fakeBackend: fakeBackend{status: acmeStatus}}
	be.items = []localapi.NoticeItem{{ID: "w", Severity: "warning", Title: "Printers off at 11:00", Created: time.Now()}}
	snd := &recordingSender{}
	var labels []string
	ui := make(chan func(), 64)
	var a *App
	be.script = func(_ context.Context, opts localapi.FollowOptions, on func(localapi.Event)) {
		opts.OnConnection(localapi.Connection{Connected: true})
		on(noticeEvent(1, 0))
		eventually(t, "the warning's popup", func() bool { return len(snd.summaries()) == 1 })
		be.add(localapi.NoticeItem{ID: "i", Severity: "info", Title: "Coffee", Created: time.Now()})
		be.add(localapi.NoticeItem{ID: "c", Severity: "critical", Title: "Mail is down", Created: time.Now()})
		on(noticeEvent(3, 1))
		eventually(t, "the critical popup", func() bool { return len(snd.summaries()) == 2 })
		on(noticeEvent(3, 1)) // a repeat changes nothing
	}
	a = New(fa, be, Options{DataDir: t.TempDir(), Notify: snd, Do: func(fn func()) { ui <- fn }})
	if a.notices == nil || a.desktop != nil {
		t.Fatal("a backend serving notices got no Notices page, or the app ignored Options.Notify")
	}
	a.start()
	looped := make(chan struct{})
	go func() {
		defer close(looped)
		for fn := range ui {
			fn()
			if a.tray != nil {
				labels = append(labels, fa.menuLabels()[2])
			}
		}
	}()
	a.follow(context.Background())
	eventually(t, "the window on Notices", func() bool {
		got := make(chan nav.Section)
		ui <- func() { got <- a.win.Section() }
		return <-got == nav.Notices
	})
	done := make(chan struct{})
	ui <- func() {
		a.close()
		close(done)
	}
	<-done
	close(ui)
	<-looped

	if got, want := snd.summaries(), []string{"Printers off at 11:00", "Mail is down"}; !slices.Equal(got, want) {
		t.Errorf("popups %q, want %q (info never pops, nothing twice)", got, want)
	}
	for _, want := range []string{"Notices (1)", "Notices (3, 1 critical)"} {
		if !slices.Contains(labels, want) {
			t.Errorf("tray labels %q lack %q", labels, want)
		}
	}
}
