package computer

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/internal/uitest"
	"github.com/firstline-it/firstline/internal/sysinfo"
	"github.com/firstline-it/firstline/internal/sysinfo/chart"
	"github.com/firstline-it/firstline/internal/sysinfo/probes"
	"github.com/firstline-it/firstline/internal/sysinfo/software"
)

// fakeSource answers like the service, counting calls.
type fakeSource struct {
	mu        sync.Mutex
	snap      *sysinfo.Snapshot
	snapErr   error
	report    *probes.Report
	calls     map[string]int
	probeGate chan struct{} // when set, Probes waits for it
}

func (f *fakeSource) count(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[name]++
}

func (f *fakeSource) n(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[name]
}

func (f *fakeSource) SysInfo(context.Context, ...sysinfo.Section) (*sysinfo.Snapshot, error) {
	f.count("sysinfo")
	return f.snap, f.snapErr
}

func (f *fakeSource) Chart(_ context.Context, w, h int) ([]byte, error) {
	f.count("chart")
	return chart.Render(nil, chart.Options{Width: w, Height: h, Now: time.Now()})
}

func (f *fakeSource) Probes(ctx context.Context) (*probes.Report, error) {
	f.count("probes")
	if f.probeGate != nil {
		select {
		case <-f.probeGate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return f.report, nil
}

// ui collects what the page posts to the UI goroutine, so the test decides
// when it runs.
type uiQueue struct{ ch chan func() }

func (q *uiQueue) do(fn func()) { q.ch <- fn }

// drain runs n posted functions, failing if they do not come.
func (q *uiQueue) drain(t *testing.T, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		select {
		case fn := <-q.ch:
			fn()
		case <-time.After(5 * time.Second):
			t.Fatalf("waited for %d UI updates, got %d", n, i)
		}
	}
}

func snapshotWithTeamViewer() *sysinfo.Snapshot {
	return &sysinfo.Snapshot{
		Host:     &sysinfo.Host{Hostname: "LAPTOP-42", OS: "Debian GNU/Linux 12 (bookworm)"},
		Redacted: []string{"serials", "macs"},
		Software: &software.Report{Items: []software.Item{
			{Name: "TeamViewer", Kind: software.KindRemoteHelp, Installed: true, ID: "1 234 567 890", Launch: "/usr/bin/teamviewer"},
			{Name: "AnyDesk", Kind: software.KindRemoteHelp, Installed: true},
		}},
	}
}

func newPage(t *testing.T, src Source, launch func(string) error) (*Page, *uiQueue, *[]error) {
	t.Helper()
	app := test.NewTempApp(t)
	q := &uiQueue{ch: make(chan func(), 16)}
	var errs []error
	p := New(Options{Source: src, Clip: app.Clipboard(), Launch: launch, Do: q.do, Errors: func(err error) { errs = append(errs, err) }})
	t.Cleanup(func() {
		go func() { // let Close's goroutines post and finish
			for range q.ch {
			}
		}()
		p.Close()
	})
	return p, q, &errs
}

func TestShowLoadsEverythingOnce(t *testing.T) {
	src := &fakeSource{snap: snapshotWithTeamViewer(), report: &probes.Report{Verdict: "Everything reachable.", Results: []probes.Result{
		{Kind: probes.KindHTTPS, Name: "Slack", Status: probes.StatusOK, Latency: 42 * time.Millisecond},
	}}}
	p, q, _ := newPage(t, src, nil)
	p.Show()
	if !uitest.Has(p.Object(), "Collecting details about this computer") || !uitest.Has(p.Object(), "Checking the network") {
		t.Errorf("loading state not shown: %q", uitest.Texts(p.Object()))
	}
	q.drain(t, 2)
	for _, want := range []string{"This computer", "TeamViewer ID", "1 234 567 890", "Start TeamViewer", "Everything reachable.", "OK · 42 ms", "Computer  LAPTOP-42", "serial numbers, hardware addresses"} {
		if want == "Start TeamViewer" {
			continue // no launcher given: no Start button
		}
		if !uitest.Has(p.Object(), want) {
			t.Errorf("page lacks %q: %q", want, uitest.Texts(p.Object()))
		}
	}
	if uitest.Has(p.Object(), "Start TeamViewer") {
		t.Error("Start button without a launcher")
	}
	if uitest.Has(p.Object(), "AnyDesk ID") {
		t.Error("AnyDesk without an ID got a card row")
	}
	p.Show() // fresh: nothing reloads
	if src.n("sysinfo") != 1 || src.n("probes") != 1 || src.n("chart") != 1 {
		t.Errorf("calls after two shows: %v", src.calls)
	}
}

func TestCopyAndStartRemoteHelp(t *testing.T) {
	var launched []string
	src := &fakeSource{snap: snapshotWithTeamViewer(), report: &probes.Report{}}
	p, q, errs := newPage(t, src, func(path string) error {
		launched = append(launched, path)
		return errors.New("exec format error")
	})
	p.Reload()
	q.drain(t, 1)
	var copyBtn, startBtn *widget.Button
	for _, b := range uitest.Find[*widget.Button](p.Object()) {
		switch b.Text {
		case "Copy":
			if copyBtn == nil {
				copyBtn = b
			}
		case "Start TeamViewer":
			startBtn = b
		}
	}
	if copyBtn == nil || startBtn == nil {
		t.Fatalf("buttons missing: %q", uitest.Texts(p.Object()))
	}
	test.Tap(copyBtn)
	if got := p.opts.Clip.Content(); got != "1 234 567 890" {
		t.Errorf("clipboard: %q", got)
	}
	test.Tap(startBtn)
	if len(launched) != 1 || launched[0] != "/usr/bin/teamviewer" {
		t.Errorf("launched %v", launched)
	}
	if len(*errs) != 1 || !strings.Contains((*errs)[0].Error(), "TeamViewer did not start") {
		t.Errorf("launch failure not shown: %v", *errs)
	}
}

func TestRecheckWhileRunningIsIgnored(t *testing.T) {
	gate := make(chan struct{})
	src := &fakeSource{snap: snapshotWithTeamViewer(), report: &probes.Report{Verdict: "Internet works; Slack is unreachable."}, probeGate: gate}
	p, q, _ := newPage(t, src, nil)
	p.Recheck()
	p.Recheck()
	var recheck *widget.Button
	for _, b := range uitest.Find[*widget.Button](p.Object()) {
		if b.Text == "Re-check" {
			recheck = b
		}
	}
	if recheck == nil || !recheck.Disabled() {
		t.Error("Re-check should be disabled while checking")
	}
	close(gate)
	q.drain(t, 1)
	if src.n("probes") != 1 {
		t.Errorf("probes ran %d times", src.n("probes"))
	}
	if !uitest.Has(p.Object(), "Slack is unreachable") {
		t.Errorf("verdict not shown: %q", uitest.Texts(p.Object()))
	}
}

func TestServiceDown(t *testing.T) {
	src := &fakeSource{snapErr: errors.New("localapi: service unreachable at /run/firstline/local.sock")}
	p, q, _ := newPage(t, src, nil)
	p.Reload()
	q.drain(t, 1)
	if !uitest.Has(p.Object(), "the Firstline service is not answering") {
		t.Errorf("down state: %q", uitest.Texts(p.Object()))
	}
}

func TestRedactedText(t *testing.T) {
	if got := redactedText([]string{"home-paths", "wifi-ssid", "bogus"}); got != "your user name in file paths, Wi-Fi network names" {
		t.Errorf("got %q", got)
	}
}
