package app

import (
	"context"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/fixespage"
	"github.com/firstline-it/firstline/app/healthpanel"
	"github.com/firstline-it/firstline/app/internal/uitest"
	"github.com/firstline-it/firstline/app/nav"
	"github.com/firstline-it/firstline/internal/localapi"
)

// fixBackend is a fake service that takes reports, runs fixes and checks.
type fixBackend struct {
	reportBackend
	fmu  sync.Mutex
	runs []string
}

func (b *fixBackend) Fixes(context.Context) (*localapi.FixList, error) {
	return &localapi.FixList{Groups: []string{"Printing"}, Items: []localapi.FixInfo{{
		ID: "clear-print-queue", Title: "Clear stuck print jobs", Group: "Printing", RunsAs: "system", Available: true,
		Description: "Cancels every print job.", NextSteps: "Switch the printer off and on.",
	}}}, nil
}

func (b *fixBackend) FixPlan(_ context.Context, id string, _ map[string]string) (*localapi.FixPlan, error) {
	return &localapi.FixPlan{FixID: id, Steps: []localapi.FixPlanStep{{N: 1, Summary: "Cancel every job", Commands: []string{"/usr/bin/cancel -a"}}}}, nil
}

func (b *fixBackend) RunFix(_ context.Context, id string, _ map[string]string, progress func(localapi.FixProgress)) (*localapi.FixResult, error) {
	b.fmu.Lock()
	b.runs = append(b.runs, id)
	b.fmu.Unlock()
	progress(localapi.FixProgress{Event: "step-started", Step: 1, Steps: 1, Summary: "Cancel every job"})
	return &localapi.FixResult{FixID: id, Outcome: "failed", Message: "cancel exited with 1.",
		Log: "Clear stuck print jobs\n1. Cancel every job: failed (exit 1)"}, nil
}

func (b *fixBackend) FixHistory(context.Context, bool) (*localapi.FixHistory, error) {
	return &localapi.FixHistory{}, nil
}

func (b *fixBackend) RecordUserRun(context.Context, localapi.FixUserRun) error { return nil }

func (b *fixBackend) Health(context.Context, ...string) (*localapi.HealthReport, error) {
	return &localapi.HealthReport{Checks: []localapi.HealthCheck{
		{Name: "printer", Status: "critical", Message: "A print job is stuck.", FixID: "clear-print-queue"},
		{Name: "dns", Status: "ok"},
	}}, nil
}

func healthEvent(critical int) localapi.Event {
	return localapi.Event{Type: localapi.EventState, State: &localapi.State{Health: localapi.HealthSummary{Critical: critical}}}
}

// TestCriticalCheckBadgesTheTrayAndLeadsToItsFix: a critical check puts
// the badge on the tray icon; Home names it with "Fix it", which opens the
// fix; the fix fails, and "Still broken? Get help" starts a report with
// its log. The badge goes when nothing is critical any more.
func TestCriticalCheckBadgesTheTrayAndLeadsToItsFix(t *testing.T) {
	fa := newTrayApp(t)
	be := &fixBackend{reportBackend: reportBackend{fakeBackend: fakeBackend{status: acmeStatus}}}
	be.script = func(_ context.Context, opts localapi.FollowOptions, on func(localapi.Event)) {
		opts.OnConnection(localapi.Connection{Connected: true})
		on(healthEvent(1))
	}
	ui := make(chan func(), 256)
	a := New(fa, be, Options{DataDir: t.TempDir(), FixesDir: t.TempDir(), Do: func(fn func()) { ui <- fn }})
	if a.fixes == nil || a.health == nil {
		t.Fatal("a backend serving fixes and checks got no Fixes page or health panel")
	}
	a.start()
	looped := make(chan struct{})
	go func() {
		defer close(looped)
		for fn := range ui {
			fn()
		}
	}()
	onUI := func(fn func()) {
		done := make(chan struct{})
		ui <- func() { fn(); close(done) }
		<-done
	}
	uiHas := func(sec nav.Section, text string) bool {
		var ok bool
		onUI(func() { ok = a.win.Section() == sec && uitest.Has(a.win.FyneWindow().Content(), text) })
		return ok
	}
	icon := func() (name string) {
		onUI(func() { name = fa.icons[len(fa.icons)-1].Name() })
		return name
	}
	tap := func(text string) {
		onUI(func() {
			for _, b := range uitest.Find[*widget.Button](a.win.FyneWindow().Content()) {
				if b.Text == text {
					test.Tap(b)
					return
				}
			}
			t.Errorf("no %q button on %q", text, uitest.Texts(a.win.FyneWindow().Content()))
		})
	}

	a.follow(context.Background())
	eventually(t, "the badge", func() bool { return icon() == "firstline-tray-attention.png" })
	onUI(func() {
		if !strings.Contains(strings.Join(fa.menuLabels(), "|"), "1 problem on this computer…") {
			t.Errorf("menu %q does not explain the badge", fa.menuLabels())
		}
		a.win.Show(nav.Home)
	})
	eventually(t, "Home's health line", func() bool { return uiHas(nav.Home, "A print job is stuck.") })
	tap(healthpanel.ButtonFixIt)
	eventually(t, "the fix's dry run", func() bool { return uiHas(nav.Fixes, "1. Cancel every job") })
	tap(fixespage.ButtonRun)
	eventually(t, "the failed result", func() bool { return uiHas(nav.Fixes, fixespage.PhraseFailed) })
	tap(fixespage.ButtonGetHelp)
	eventually(t, "Get help", func() bool { return uiHas(nav.GetHelp, "Send to IT") })
	onUI(func() {
		text := a.gethelp.State().Form.Text
		if !strings.Contains(text, "1. Cancel every job: failed (exit 1)") || !strings.Contains(text, "Clear stuck print jobs") {
			t.Errorf("Get help was not pre-filled with the fix's log: %q", text)
		}
		a.apply(a.snap.WithEvent(healthEvent(0)))
	})
	if got := icon(); got != "firstline-tray-normal.png" {
		t.Errorf("icon %q once nothing is critical", got)
	}
	onUI(a.close)
	close(ui)
	<-looped
	be.fmu.Lock()
	defer be.fmu.Unlock()
	if len(be.runs) != 1 {
		t.Errorf("the service ran %q", be.runs)
	}
}
