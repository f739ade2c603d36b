package window

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/internal/uitest"
	"github.com/firstline-it/firstline/app/link"
	"github.com/firstline-it/firstline/app/nav"
	"github.com/firstline-it/firstline/internal/localapi"
)

var acme = localapi.Support{
	Organization: "ACME IT Service Desk",
	Phone:        "+1 555 0100",
	Email:        "helpdesk@acme.example",
	URL:          "https://help.acme.example",
}

func connected() link.Snapshot {
	return link.Snapshot{}.
		WithConnection(localapi.Connection{Connected: true}).
		WithStatus(&localapi.Status{
			Version: "2.3.4",
			Caller:  localapi.Identity{UID: "1000", Username: "alice"},
			Support: acme,
		}).
		WithEvent(localapi.Event{Type: localapi.EventState, State: &localapi.State{
			ServiceVersion: "2.3.4",
			Notices:        localapi.NoticeSummary{Unread: 2},
			Reports:        localapi.ReportSummary{NeedsAttention: 1},
		}})
}

func down(s link.Snapshot) link.Snapshot {
	return s.WithConnection(localapi.Connection{
		Err: fmt.Errorf("%w at /run/firstline/local.sock: connect: no such file or directory", localapi.ErrUnreachable),
	})
}

var linuxInfo = Info{AppVersion: "1.0.0", SocketPath: "/run/firstline/local.sock", GOOS: "linux"}

// newWindow opens the window under Fyne's test driver.
func newWindow(t *testing.T, info Info) *Window {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	w := New(a, info)
	t.Cleanup(w.FyneWindow().Close)
	return w
}

// page is what the content area shows, building the window if it has not
// been shown yet.
func (w *Window) page() fyne.CanvasObject {
	w.build()
	return w.content.Objects[0]
}

// TestContentWaitsForFirstShow: an app waiting in the tray must not pay for
// the window's widgets and fonts until someone opens it.
func TestContentWaitsForFirstShow(t *testing.T) {
	w := newWindow(t, linuxInfo)
	w.Update(connected())
	if w.content != nil || w.FyneWindow().Content() != nil {
		t.Fatal("window content built before the first Show")
	}
	w.Show(nav.Notices)
	if w.Section() != nav.Notices || !uitest.Has(w.page(), "Notices") {
		t.Fatalf("first Show opened %v", w.Section())
	}
	if !uitest.Has(w.FyneWindow().Content(), "Connected to Firstline service") {
		t.Error("the snapshot received while hidden is not shown")
	}
}

func requireTexts(t *testing.T, o fyne.CanvasObject, want ...string) {
	t.Helper()
	for _, s := range want {
		if !uitest.Has(o, s) {
			t.Errorf("page lacks %q; it says:\n%s", s, strings.Join(uitest.Texts(o), "\n"))
		}
	}
}

func refuseTexts(t *testing.T, o fyne.CanvasObject, unwanted ...string) {
	t.Helper()
	for _, s := range unwanted {
		if uitest.Has(o, s) {
			t.Errorf("page says %q but should not", s)
		}
	}
}

func TestHomeWhenConnected(t *testing.T) {
	w := newWindow(t, linuxInfo)
	w.Update(connected())
	w.Show(nav.Home)

	requireTexts(t, w.page(), "Home", "Connected to Firstline service", "Service version 2.3.4",
		"Contact IT", "ACME IT Service Desk", "+1 555 0100", "helpdesk@acme.example", "https://help.acme.example")
	refuseTexts(t, w.page(), "not running", "systemctl")

	links := map[string]string{}
	for _, h := range uitest.Find[*widget.Hyperlink](w.page()) {
		links[h.Text] = h.URL.String()
	}
	if links["helpdesk@acme.example"] != "mailto:helpdesk@acme.example" || links["https://help.acme.example"] != "https://help.acme.example" {
		t.Errorf("contact links = %v", links)
	}

	if ms := w.FyneWindow().Content().MinSize(); ms.Width < minWidth || ms.Height < minHeight {
		t.Errorf("window can shrink to %v, below %dx%d", ms, minWidth, minHeight)
	}
	// The whole window paints under the test driver.
	img := w.FyneWindow().Canvas().Capture()
	if b := img.Bounds(); b.Dx() < minWidth || b.Dy() < minHeight {
		t.Errorf("captured %v, want at least %dx%d", b, minWidth, minHeight)
	}
}

func TestHomeWhenServiceIsDown(t *testing.T) {
	w := newWindow(t, linuxInfo)
	w.Update(down(connected()))

	requireTexts(t, w.page(), "Firstline service is not running", "sudo systemctl start firstline",
		"connects by itself", "Details for IT", "/run/firstline/local.sock",
		// IT's contact from before the service went away stays.
		"+1 555 0100")
	refuseTexts(t, w.page(), "Connected to Firstline service")
	if got := w.status.Text; got != "Firstline service is not running" {
		t.Errorf("sidebar status = %q", got)
	}
}

func TestHomeWhenTheServiceNeverAnswered(t *testing.T) {
	w := newWindow(t, linuxInfo)
	requireTexts(t, w.page(), "Connecting to Firstline service…", "Contact IT the way you usually do")

	w.Update(down(link.Snapshot{}))
	requireTexts(t, w.page(), "Firstline service is not running", "Contact IT the way you usually do")
}

func TestServiceWordingPerOS(t *testing.T) {
	gone := down(link.Snapshot{})
	stuck := link.Snapshot{}.WithConnection(localapi.Connection{Err: fmt.Errorf("watch stream silent for too long")})
	tests := []struct {
		name    string
		snap    link.Snapshot
		info    Info
		title   string
		command string
		mention string
	}{
		{"linux", gone, Info{GOOS: "linux"}, "Firstline service is not running", "sudo systemctl start firstline", ""},
		{"macOS", gone, Info{GOOS: "darwin"}, "Firstline service is not running", "sudo firstline-service start", ""},
		{"windows", gone, Info{GOOS: "windows"}, "Firstline service is not running", "firstline-service start", "administrator"},
		{"dev mode", gone, Info{GOOS: "linux", Dev: true}, "Firstline service is not running", "", "dev mode"},
		{"not responding", stuck, Info{GOOS: "linux"}, "Firstline service is not responding", "sudo systemctl restart firstline", "silent"},
		{"connecting", link.Snapshot{}, Info{GOOS: "linux"}, "Connecting to Firstline service…", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := describeService(tt.snap, tt.info)
			if v.title != tt.title {
				t.Errorf("title = %q, want %q", v.title, tt.title)
			}
			if !strings.HasPrefix(v.command, tt.command) || (tt.command == "") != (v.command == "") {
				t.Errorf("command = %q, want %q", v.command, tt.command)
			}
			all := strings.Join(append(v.lines, v.commandIntro, v.command, v.detail), " ")
			if !strings.Contains(all, tt.mention) {
				t.Errorf("view %q does not mention %q", all, tt.mention)
			}
		})
	}
}

func TestComingPagesAreHonest(t *testing.T) {
	w := newWindow(t, linuxInfo)
	w.Update(connected())
	leads := map[nav.Section][]string{
		nav.GetHelp: {"report a problem", "shown to you before anything is sent", "even if you are offline"},
		nav.Fixes:   {"fix common problems yourself", "what it will do before it runs"},
		nav.Notices: {"messages from IT", "IT has sent you 2 unread notices."},
		nav.Reports: {"follow the problems you reported", "1 report needs your attention. Please contact IT about it."},
	}
	for sec, want := range leads {
		w.Show(sec)
		if w.Section() != sec {
			t.Fatalf("Show(%v) left the window on %v", sec, w.Section())
		}
		requireTexts(t, w.page(), append(want, sec.Title(), "Until then, contact IT", "+1 555 0100")...)
		// Nothing on these pages pretends to work yet.
		if b := uitest.Find[*widget.Button](w.page()); len(b) > 0 {
			t.Errorf("%v page has %d buttons; it must not offer actions that do nothing", sec, len(b))
		}
	}
}

func TestCountsLine(t *testing.T) {
	notices := func(unread, critical int) *localapi.State {
		return &localapi.State{Notices: localapi.NoticeSummary{Unread: unread, Critical: critical}}
	}
	tests := []struct {
		sec  nav.Section
		live *localapi.State
		want string
	}{
		{nav.Notices, nil, ""},
		{nav.Notices, notices(0, 0), ""},
		{nav.Notices, notices(1, 0), "IT has sent you 1 unread notice."},
		{nav.Notices, notices(1, 1), "IT has sent you 1 critical notice. Until you can read them here, please contact IT."},
		{nav.Notices, notices(3, 1), "IT has sent you 3 unread notices, 1 of them critical. Until you can read them here, please contact IT."},
		{nav.Reports, notices(3, 1), ""},
		{nav.Reports, &localapi.State{Reports: localapi.ReportSummary{NeedsAttention: 2}},
			"2 reports need your attention. Please contact IT about them."},
		{nav.Fixes, &localapi.State{Reports: localapi.ReportSummary{NeedsAttention: 2}}, ""},
	}
	for _, tt := range tests {
		if got := countsLine(tt.sec, tt.live); got != tt.want {
			t.Errorf("countsLine(%v, %+v) = %q, want %q", tt.sec, tt.live, got, tt.want)
		}
	}
}

func TestAboutPage(t *testing.T) {
	w := newWindow(t, linuxInfo)
	w.Update(connected())
	w.Show(nav.About)
	requireTexts(t, w.page(), "About", "1.0.0", "2.3.4", "alice (uid 1000)",
		"/run/firstline/local.sock", "installed service")
	if len(uitest.Find[*widget.Check](w.page())) != 0 {
		t.Error("About shows a start-at-login switch without a login item")
	}

	w.Update(down(link.Snapshot{}))
	requireTexts(t, w.page(), "unknown until the service answers", "Firstline service is not running")
}

func TestAboutWithoutVersionSaysDevelopmentBuild(t *testing.T) {
	w := newWindow(t, Info{Dev: true})
	w.Show(nav.About)
	requireTexts(t, w.page(), "development build", "dev mode")
}

func TestSidebarCounts(t *testing.T) {
	s := connected()
	want := map[nav.Section]string{
		nav.Home: "Home", nav.GetHelp: "Get help", nav.Fixes: "Fixes",
		nav.Notices: "Notices (2)", nav.Reports: "My reports (1)", nav.About: "About",
	}
	for sec, label := range want {
		if got := sidebarLabel(sec, s); got != label {
			t.Errorf("sidebarLabel(%v) = %q, want %q", sec, got, label)
		}
	}
	if got := sidebarLabel(nav.Notices, down(s)); got != "Notices" {
		t.Errorf("counts kept while the service is down: %q", got)
	}
}

func TestUpdateKeepsTheOpenSection(t *testing.T) {
	w := newWindow(t, linuxInfo)
	w.Show(nav.Fixes)
	w.Update(connected())
	if w.Section() != nav.Fixes {
		t.Errorf("section after Update = %v, want Fixes", w.Section())
	}
	requireTexts(t, w.page(), "Fixes")
}

func TestSidebarSelectionOpensThePage(t *testing.T) {
	w := newWindow(t, linuxInfo)
	w.Show(nav.Home)
	w.list.Select(int(nav.About))
	if w.Section() != nav.About || !uitest.Has(w.page(), "Socket") {
		t.Errorf("selecting About in the sidebar shows %v", w.Section())
	}
}

func TestContactLines(t *testing.T) {
	got := contactLines(localapi.Support{
		Phone: " 0800 123 ",
		Email: "IT Desk <desk@corp.example>",
		URL:   "javascript:alert(1)",
	})
	if len(got) != 3 || got[0].kind != "Phone" || got[0].text != "0800 123" {
		t.Fatalf("lines = %+v", got)
	}
	for _, c := range got {
		if c.link != nil {
			t.Errorf("%s %q became a link %v; only plain addresses and http(s) may", c.kind, c.text, c.link)
		}
	}
	if knownContact(localapi.Support{}) {
		t.Error("empty support counted as known")
	}
}

func TestCopyButtonCopiesTheExactCommand(t *testing.T) {
	w := newWindow(t, linuxInfo)
	w.Update(down(link.Snapshot{}))
	buttons := uitest.Find[*widget.Button](w.page())
	if len(buttons) != 1 || buttons[0].Text != "Copy" {
		t.Fatalf("Home has buttons %v, want one Copy", buttons)
	}
	test.Tap(buttons[0])
	if got := w.clip.Content(); got != "sudo systemctl start firstline" {
		t.Errorf("clipboard = %q", got)
	}
}

func TestCallerText(t *testing.T) {
	for id, want := range map[localapi.Identity]string{
		{UID: "1000", Username: "alice"}:                   "alice (uid 1000)",
		{UID: "1001"}:                                      "uid 1001",
		{UID: "S-1-5-21-1-2-3-1001", Username: `CORP\bob`}: `CORP\bob (SID S-1-5-21-1-2-3-1001)`,
	} {
		if got := callerText(id); got != want {
			t.Errorf("callerText(%+v) = %q, want %q", id, got, want)
		}
	}
}

// fakeLogin is a start-at-login entry that can be told to fail.
type fakeLogin struct {
	on   bool
	fail error
	sets []bool
}

func (f *fakeLogin) Enabled() bool { return f.on }
func (f *fakeLogin) Set(on bool) error {
	f.sets = append(f.sets, on)
	if f.fail != nil {
		return f.fail
	}
	f.on = on
	return nil
}

func TestAboutStartAtLoginSwitch(t *testing.T) {
	login := &fakeLogin{}
	info := linuxInfo
	info.Login = login
	w := newWindow(t, info)
	w.Show(nav.About)
	checks := uitest.Find[*widget.Check](w.page())
	if len(checks) != 1 || checks[0].Text != "Start Firstline when I log in" || checks[0].Checked {
		t.Fatalf("switch = %+v", checks)
	}
	test.Tap(checks[0])
	if !login.on || len(login.sets) != 1 {
		t.Fatalf("tapping did not enable: %+v", login)
	}

	// A failure is shown and the box goes back to the real state.
	login.fail = fmt.Errorf("read-only home")
	w.Show(nav.About)
	check := uitest.Find[*widget.Check](w.page())[0]
	if !check.Checked {
		t.Fatal("switch does not show the enabled entry")
	}
	test.Tap(check)
	if !check.Checked || !login.on {
		t.Errorf("after a failed disable the switch says %v, entry %v", check.Checked, login.on)
	}
}

func TestHomeSaysWhereFirstlineIsWithoutATrayHost(t *testing.T) {
	info := linuxInfo
	info.NoTrayHost = true
	w := newWindow(t, info)
	w.Update(connected())
	w.Show(nav.Home)
	requireTexts(t, w.page(), "does not show tray icons", "applications menu")

	plain := newWindow(t, linuxInfo)
	plain.Show(nav.Home)
	if uitest.Has(plain.page(), "does not show tray icons") {
		t.Error("the no-tray note shows although the desktop has a tray")
	}
}
