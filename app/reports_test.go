package app

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/app/handover"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/sysinfo"
)

// reportBackend is a fake service that also takes reports.
type reportBackend struct {
	fakeBackend
	mu           sync.Mutex
	got          []report.Submission
	known        map[report.Key]bool
	reportsCalls int
}

func (b *reportBackend) SysInfo(context.Context, ...sysinfo.Section) (*sysinfo.Snapshot, error) {
	return &sysinfo.Snapshot{}, nil
}

func (b *reportBackend) Chart(context.Context, int, int) ([]byte, error) {
	return nil, errors.New("no chart in this test")
}

func (b *reportBackend) SubmitReport(_ context.Context, s *report.Submission) (*localapi.SubmitResult, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.got = append(b.got, *s)
	if b.known == nil {
		b.known = map[report.Key]bool{}
	}
	existing := b.known[s.Key]
	b.known[s.Key] = true
	r := report.NewReport(*s, report.Owner{UID: "1000"}, time.Now())
	return &localapi.SubmitResult{Record: r.Record(), Existing: existing}, nil
}

func (b *reportBackend) Report(context.Context, report.Key) (*report.Record, error) {
	return nil, &localapi.Error{Status: 404, Code: localapi.CodeNotFound, Message: "no such report"}
}

func (b *reportBackend) ReportSetup(context.Context) (*localapi.ReportSetup, error) {
	return &localapi.ReportSetup{Categories: report.DefaultCategories()}, nil
}

func (b *reportBackend) Reports(context.Context, bool) ([]report.Record, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reportsCalls++
	return nil, nil
}

func (b *reportBackend) snapshot() (got []report.Submission, lists int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]report.Submission(nil), b.got...), b.reportsCalls
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestReconnectHandsOverWhatWaited: a report kept on this computer while
// the service was away goes to the service when the app connects, under
// its own key, once; and My reports follows the stream's counts.
func TestReconnectHandsOverWhatWaited(t *testing.T) {
	dir := t.TempDir()
	at := time.Now().Add(-time.Hour)
	kept := report.Submission{Key: report.NewKey(at), CreatedAt: at, Text: "Written offline", Severity: report.SeveritySlowed}
	out := handover.Open(filepath.Join(dir, "outbox"), handover.Options{})
	if _, err := out.Save(context.Background(), kept); err != nil {
		t.Fatal(err)
	}
	out.Close()

	fa := newTrayApp(t)
	be := &reportBackend{fakeBackend: fakeBackend{status: acmeStatus}}
	be.script = func(_ context.Context, opts localapi.FollowOptions, on func(localapi.Event)) {
		opts.OnConnection(localapi.Connection{Connected: true})
		on(stateEvent(0))
		eventually(t, "the hand-over", func() bool { got, _ := be.snapshot(); return len(got) == 1 })
		opts.OnConnection(localapi.Connection{Err: errGone})
		opts.OnConnection(localapi.Connection{Connected: true})
		on(localapi.Event{Type: localapi.EventState, State: &localapi.State{Reports: localapi.ReportSummary{Pending: 1}}})
	}
	// One goroutine plays the UI loop, as the real driver's does.
	ui := make(chan func(), 64)
	a := New(fa, be, Options{DataDir: dir, Do: func(fn func()) { ui <- fn }})
	if a.gethelp == nil || a.reports == nil || a.courier == nil {
		t.Fatal("a backend that takes reports got no report pages")
	}
	a.start()
	looped := make(chan struct{})
	go func() {
		defer close(looped)
		for fn := range ui {
			fn()
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	couriered := make(chan struct{})
	go func() {
		defer close(couriered)
		a.courier.Run(ctx)
	}()
	a.follow(ctx)
	_, listsBefore := be.snapshot()
	eventually(t, "My reports to reload on the new counts", func() bool { _, n := be.snapshot(); return n > listsBefore })
	cancel()
	<-couriered
	done := make(chan struct{})
	ui <- func() { // on the UI loop, as the app's shutdown runs after it
		a.close()
		close(done)
	}
	<-done
	close(ui)
	<-looped

	got, _ := be.snapshot()
	if len(got) != 1 || got[0].Key != kept.Key || got[0].Text != "Written offline" {
		t.Fatalf("the service got %+v", got)
	}
	if left, err := a.outbox.List(); err != nil || len(left) != 0 {
		t.Errorf("outbox after the hand-over: %v %v", left, err)
	}
	if res := a.outbox.HandOver(context.Background(), be); res.Sent != 0 {
		t.Errorf("a second hand-over sent %d", res.Sent)
	}
	a.outbox.Close()
}
