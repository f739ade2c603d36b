package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/firstline-it/firstline/app/internal/uitest"
	"github.com/firstline-it/firstline/app/link"
	"github.com/firstline-it/firstline/app/nav"
	"github.com/firstline-it/firstline/app/tray"
	"github.com/firstline-it/firstline/internal/localapi"
)

// trayApp is Fyne's test app with a tray that records what it is given.
type trayApp struct {
	fyne.App
	menus      []*fyne.Menu
	icons      []fyne.Resource
	trayWindow fyne.Window
}

func (a *trayApp) SetSystemTrayMenu(m *fyne.Menu)    { a.menus = append(a.menus, m) }
func (a *trayApp) SetSystemTrayIcon(r fyne.Resource) { a.icons = append(a.icons, r) }
func (a *trayApp) SetSystemTrayWindow(w fyne.Window) { a.trayWindow = w }

func (a *trayApp) menuLabels() []string {
	var out []string
	for _, it := range a.menus[len(a.menus)-1].Items {
		if !it.IsSeparator {
			out = append(out, it.Label)
		}
	}
	return out
}

func (a *trayApp) item(t *testing.T, label string) *fyne.MenuItem {
	t.Helper()
	for _, it := range a.menus[len(a.menus)-1].Items {
		if it.Label == label {
			return it
		}
	}
	t.Fatalf("tray menu has no %q: %q", label, a.menuLabels())
	return nil
}

func newTrayApp(t *testing.T) *trayApp {
	t.Helper()
	fa := &trayApp{App: test.NewApp()}
	t.Cleanup(fa.Quit)
	return fa
}

// fakeBackend plays a script instead of talking to a service.
type fakeBackend struct {
	status    *localapi.Status
	statusErr error
	script    func(ctx context.Context, opts localapi.FollowOptions, onEvent func(localapi.Event))

	mu          sync.Mutex
	statusCalls int
}

func (b *fakeBackend) Status(ctx context.Context) (*localapi.Status, error) {
	b.mu.Lock()
	b.statusCalls++
	b.mu.Unlock()
	if _, ok := ctx.Deadline(); !ok {
		return nil, errors.New("status requested without a deadline")
	}
	return b.status, b.statusErr
}

func (b *fakeBackend) Follow(ctx context.Context, opts localapi.FollowOptions, onEvent func(localapi.Event)) {
	b.script(ctx, opts, onEvent)
}

func (b *fakeBackend) calls() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.statusCalls
}

var acmeStatus = &localapi.Status{
	Version: "3.1.0",
	Caller:  localapi.Identity{UID: "1000", Username: "alice"},
	Support: localapi.Support{Organization: "ACME IT", Phone: "+1 555 0100"},
}

func stateEvent(unread int) localapi.Event {
	return localapi.Event{Type: localapi.EventState, State: &localapi.State{
		ServiceVersion: "3.1.0", Notices: localapi.NoticeSummary{Unread: unread}}}
}

var errGone = fmt.Errorf("%w at /run/firstline/local.sock: connection refused", localapi.ErrUnreachable)

func TestFollowDrivesTrayAndWindow(t *testing.T) {
	fa := newTrayApp(t)
	type seen struct {
		tray  tray.State
		menu  string
		icon  string
		home  bool // Home says the service is not running
		menus int
	}
	var steps []seen
	var a *App
	record := func() {
		steps = append(steps, seen{
			tray:  a.tray.State(),
			menu:  fa.menuLabels()[2],
			icon:  fa.icons[len(fa.icons)-1].Name(),
			home:  uitest.Has(a.win.FyneWindow().Content(), "Firstline service is not running"),
			menus: len(fa.menus),
		})
	}
	be := &fakeBackend{status: acmeStatus}
	be.script = func(_ context.Context, opts localapi.FollowOptions, on func(localapi.Event)) {
		record()
		opts.OnConnection(localapi.Connection{Connected: true})
		on(stateEvent(2))
		record()
		on(localapi.Event{Type: localapi.EventKeepAlive})
		record()
		opts.OnConnection(localapi.Connection{Err: errGone})
		record()
		opts.OnConnection(localapi.Connection{Err: errGone}) // the next failed retry
		record()
	}
	a = New(fa, be, Options{SocketPath: "/run/firstline/local.sock"})
	a.start()
	a.win.Show(nav.Home) // build the window so the test can read its pages
	a.follow(context.Background())

	want := []seen{
		{tray.State{Service: link.Connecting}, "Notices", "firstline-tray-normal.png", false, 1},
		{tray.State{Service: link.Up, Notices: 2}, "Notices (2)", "firstline-tray-attention.png", false, 3},
		{tray.State{Service: link.Up, Notices: 2}, "Notices (2)", "firstline-tray-attention.png", false, 3},
		{tray.State{Service: link.Down}, "Notices", "firstline-tray-offline.png", true, 4},
		{tray.State{Service: link.Down}, "Notices", "firstline-tray-offline.png", true, 4},
	}
	if !slices.Equal(steps, want) {
		t.Errorf("steps\n got %+v\nwant %+v", steps, want)
	}
	if n := be.calls(); n != 1 {
		t.Errorf("status fetched %d times for one connect, want 1", n)
	}
	// What the status said stays after the service went away.
	if home := a.win.FyneWindow().Content(); !uitest.Has(home, "+1 555 0100") || !uitest.Has(home, "ACME IT") {
		t.Errorf("Home lost IT's contact: %q", uitest.Texts(home))
	}
}

func TestEveryReconnectFetchesStatus(t *testing.T) {
	fa := newTrayApp(t)
	be := &fakeBackend{status: acmeStatus}
	be.script = func(_ context.Context, opts localapi.FollowOptions, on func(localapi.Event)) {
		for range 2 {
			opts.OnConnection(localapi.Connection{Connected: true})
			on(stateEvent(0))
			opts.OnConnection(localapi.Connection{Err: errGone})
		}
		opts.OnConnection(localapi.Connection{Connected: true})
		on(stateEvent(0))
	}
	a := New(fa, be, Options{})
	a.start()
	a.follow(context.Background())
	if n := be.calls(); n != 3 {
		t.Errorf("status fetched %d times for 3 connects", n)
	}
	a.win.Show(nav.About)
	if about := a.win.FyneWindow().Content(); !uitest.Has(about, "alice (uid 1000)") {
		t.Errorf("About lacks the caller: %q", uitest.Texts(about))
	}
}

func TestStatusFailureIsLoggedAndTheLinkStaysUp(t *testing.T) {
	fa := newTrayApp(t)
	var logs bytes.Buffer
	be := &fakeBackend{statusErr: &localapi.Error{Code: localapi.CodeInternal, Message: "boom"}}
	be.script = func(_ context.Context, opts localapi.FollowOptions, on func(localapi.Event)) {
		opts.OnConnection(localapi.Connection{Connected: true})
		on(stateEvent(0))
	}
	a := New(fa, be, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	a.start()
	a.win.Show(nav.Home) // build the window so the test can read its pages
	a.follow(context.Background())

	if a.tray.State().Service != link.Up {
		t.Errorf("tray = %+v, want up", a.tray.State())
	}
	if home := a.win.FyneWindow().Content(); !uitest.Has(home, "Service version 3.1.0") {
		t.Errorf("Home lacks the version from the stream: %q", uitest.Texts(home))
	}
	if !strings.Contains(logs.String(), "boom") {
		t.Errorf("status failure not logged: %q", logs.String())
	}
}

func TestTrayItemsOpenTheirSection(t *testing.T) {
	fa := newTrayApp(t)
	a := New(fa, &fakeBackend{}, Options{})
	a.start()
	if fa.trayWindow != a.win.FyneWindow() {
		t.Error("the main window is not the tray's window")
	}
	for label, sec := range map[string]nav.Section{
		"Get help…": nav.GetHelp, "Fixes": nav.Fixes, "Notices": nav.Notices,
		"My reports": nav.Reports, "Open Firstline": nav.Home,
	} {
		fa.item(t, label).Action()
		if a.win.Section() != sec {
			t.Errorf("%q opened %v, want %v", label, a.win.Section(), sec)
		}
		if page := a.win.FyneWindow().Content(); !uitest.Has(page, sec.Title()) {
			t.Errorf("%q: page lacks its heading %q", label, sec.Title())
		}
	}
}

func TestRunStopsTheFollowerWhenTheAppQuits(t *testing.T) {
	fa := newTrayApp(t)
	ended := make(chan struct{})
	be := &fakeBackend{script: func(ctx context.Context, _ localapi.FollowOptions, _ func(localapi.Event)) {
		<-ctx.Done()
		close(ended)
	}}
	a := New(fa, be, Options{OpenWindow: true})
	// The test app's event loop returns at once, as a real one does on Quit.
	if err := a.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	select {
	case <-ended:
	default:
		t.Fatal("Run returned with the follower still running")
	}
	if len(fa.menus) != 1 || len(fa.icons) != 1 {
		t.Errorf("tray got %d menus and %d icons at start, want 1 and 1", len(fa.menus), len(fa.icons))
	}
	if a.win.Section() != nav.Home {
		t.Errorf("window opened on %v, want Home", a.win.Section())
	}
}

func TestRunRefusesADoneContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a := New(newTrayApp(t), &fakeBackend{}, Options{})
	if err := a.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}

func TestShowFromAnotherGoroutine(t *testing.T) {
	a := New(newTrayApp(t), &fakeBackend{}, Options{})
	a.start()
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Show(nav.Reports)
	}()
	<-done
	if a.win.Section() != nav.Reports {
		t.Errorf("Show(Reports) left the window on %v", a.win.Section())
	}
}

func TestWithoutATrayTheWindowStillWorks(t *testing.T) {
	fa := test.NewApp()
	t.Cleanup(fa.Quit)
	be := &fakeBackend{script: func(_ context.Context, opts localapi.FollowOptions, _ func(localapi.Event)) {
		opts.OnConnection(localapi.Connection{Err: errGone})
	}}
	a := New(fa, be, Options{})
	a.start()
	a.win.Show(nav.Home) // build the window so the test can read its pages
	a.follow(context.Background())
	if a.tray != nil {
		t.Fatal("a tray controller exists without a tray host")
	}
	if !uitest.Has(a.win.FyneWindow().Content(), "Firstline service is not running") {
		t.Error("Home does not say the service is down")
	}
}

func TestUpdatesAfterShutdownAreDropped(t *testing.T) {
	fa := newTrayApp(t)
	ctx, cancel := context.WithCancel(context.Background())
	be := &fakeBackend{script: func(_ context.Context, opts localapi.FollowOptions, _ func(localapi.Event)) {
		cancel()
		opts.OnConnection(localapi.Connection{Err: errGone})
	}}
	a := New(fa, be, Options{})
	a.start()
	a.follow(ctx)
	if a.tray.State().Service != link.Connecting || len(fa.menus) != 1 {
		t.Errorf("an update after shutdown reached the tray: %+v", a.tray.State())
	}
}

// TestITContactIsRememberedForWhenTheServiceIsDown: an app started while the
// service is down still shows how to reach IT, from the last run.
func TestITContactIsRememberedForWhenTheServiceIsDown(t *testing.T) {
	fa := test.NewApp()
	t.Cleanup(fa.Quit)
	up := &fakeBackend{
		status: &localapi.Status{Support: localapi.Support{Organization: "ACME IT", Phone: "+1 555 0100"}},
		script: func(_ context.Context, opts localapi.FollowOptions, _ func(localapi.Event)) {
			opts.OnConnection(localapi.Connection{Connected: true})
		},
	}
	first := New(fa, up, Options{})
	first.start()
	first.follow(context.Background())

	down := &fakeBackend{script: func(_ context.Context, opts localapi.FollowOptions, _ func(localapi.Event)) {
		opts.OnConnection(localapi.Connection{Err: errGone})
	}}
	second := New(fa, down, Options{}) // same app, same preferences: the next start
	second.start()
	second.win.Show(nav.Home)
	second.follow(context.Background())
	home := second.win.FyneWindow().Content()
	if !uitest.Has(home, "Firstline service is not running") || !uitest.Has(home, "+1 555 0100") {
		t.Fatalf("Home while down lacks the remembered contact: %q", uitest.Texts(home))
	}
}
