package handover

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
)

// fakeService takes reports like the service: it remembers keys, answers
// a second submission of a key with Existing, and can be told to fail.
type fakeService struct {
	mu   sync.Mutex
	got  map[report.Key]report.Submission
	sent []report.Key // every SubmitReport call, in order
	fail func(s *report.Submission) error
}

func (f *fakeService) SubmitReport(_ context.Context, s *report.Submission) (*localapi.SubmitResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, s.Key)
	if f.fail != nil {
		if err := f.fail(s); err != nil {
			return nil, err
		}
	}
	if err := s.Validate(report.DefaultLimits()); err != nil {
		return nil, &localapi.Error{Status: http.StatusBadRequest, Code: localapi.CodeBadRequest, Message: err.Error()}
	}
	if f.got == nil {
		f.got = map[report.Key]report.Submission{}
	}
	_, existing := f.got[s.Key]
	f.got[s.Key] = *s
	rec := report.NewReport(*s, report.Owner{UID: "1000"}, time.Now())
	return &localapi.SubmitResult{Record: rec.Record(), Existing: existing}, nil
}

func (f *fakeService) calls() []report.Key {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]report.Key(nil), f.sent...)
}

var errDown = fmt.Errorf("%w at /run/firstline/local.sock: connection refused", localapi.ErrUnreachable)

func submission(t testing.TB, text string, at time.Time) report.Submission {
	t.Helper()
	return report.Submission{
		Key: report.NewKey(at), CreatedAt: at, Text: text, Severity: report.SeveritySlowed,
		Callback:    report.Callback{Method: report.CallbackNone},
		Attachments: []report.Attachment{{Name: "screenshot.png", Kind: report.KindScreenshot, ContentType: "image/png", Data: []byte("\x89PNG fake")}},
	}
}

func newOutbox(t *testing.T) *Outbox {
	t.Helper()
	o := Open(filepath.Join(t.TempDir(), "outbox"), Options{})
	t.Cleanup(func() { o.Close() })
	return o
}

func TestHandOverSendsEachKeyOnceAndEmpties(t *testing.T) {
	o := newOutbox(t)
	ctx := context.Background()
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	a, b := submission(t, "Printer jams", base), submission(t, "VPN drops", base.Add(time.Minute))
	for _, s := range []report.Submission{a, b} {
		if _, err := o.Save(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	svc := &fakeService{}
	res := o.HandOver(ctx, svc)
	if res.Sent != 2 || res.Left != 0 || res.Stopped != nil {
		t.Fatalf("first hand-over: %+v", res)
	}
	if got := svc.calls(); len(got) != 2 || got[0] != a.Key || got[1] != b.Key {
		t.Errorf("sent %v, want the keys %v then %v, oldest first", got, a.Key, b.Key)
	}
	if g := svc.got[a.Key]; g.Text != "Printer jams" || len(g.Attachments) != 1 || string(g.Attachments[0].Data) != "\x89PNG fake" {
		t.Errorf("the service got %+v", g)
	}
	list, err := o.List()
	if err != nil || len(list) != 0 {
		t.Fatalf("outbox after hand-over: %v %v", list, err)
	}
	// Nothing is left, so nothing is sent again.
	if res := o.HandOver(ctx, svc); res.Sent != 0 || len(svc.calls()) != 2 {
		t.Errorf("second hand-over: %+v, %d calls", res, len(svc.calls()))
	}
}

func TestHandOverKeepsEverythingWhileTheServiceIsAway(t *testing.T) {
	o := newOutbox(t)
	ctx := context.Background()
	s := submission(t, "Laptop will not wake up", time.Now())
	o.Save(ctx, s)
	o.Save(ctx, submission(t, "Second", time.Now().Add(time.Second)))
	svc := &fakeService{fail: func(*report.Submission) error { return errDown }}
	res := o.HandOver(ctx, svc)
	if !errors.Is(res.Stopped, localapi.ErrUnreachable) || res.Sent != 0 || res.Left != 2 {
		t.Errorf("result %+v", res)
	}
	if n := len(svc.calls()); n != 1 {
		t.Errorf("%d attempts: the first failure should stop the round", n)
	}
	// The service comes back: the same key goes, once.
	svc.fail = nil
	if res := o.HandOver(ctx, svc); res.Sent != 2 || res.Left != 0 {
		t.Errorf("after the service came back: %+v", res)
	}
	if calls := svc.calls(); calls[0] != s.Key || calls[1] != s.Key {
		t.Errorf("keys %v: the report must keep its key", calls)
	}
}

// TestAnswerLostThenHandedOver: the service stored the report but the app
// never heard; the hand-over is told the service has it, and nothing is
// duplicated.
func TestAnswerLostThenHandedOver(t *testing.T) {
	o := newOutbox(t)
	ctx := context.Background()
	s := submission(t, "Teams crashes", time.Now())
	svc := &fakeService{}
	if _, err := svc.SubmitReport(ctx, &s); err != nil { // stored; the answer "lost"
		t.Fatal(err)
	}
	o.Save(ctx, s)
	res := o.HandOver(ctx, svc)
	if res.Sent != 1 || res.Left != 0 {
		t.Errorf("result %+v", res)
	}
	if len(svc.got) != 1 {
		t.Errorf("the service holds %d reports", len(svc.got))
	}
}

func TestRefusedReportIsMarkedAndOfferedAgain(t *testing.T) {
	o := newOutbox(t)
	ctx := context.Background()
	s := submission(t, "Huge log", time.Now())
	o.Save(ctx, s)
	refuse := &localapi.Error{Status: http.StatusRequestEntityTooLarge, Code: localapi.CodeBodyTooLarge, Message: "the report carries 30 MiB; at most 25 MiB are allowed"}
	svc := &fakeService{fail: func(*report.Submission) error { return refuse }}
	res := o.HandOver(ctx, svc)
	if res.Refused != 1 || res.Left != 1 || res.Stopped != nil {
		t.Fatalf("result %+v", res)
	}
	list, _ := o.List()
	if len(list) != 1 {
		t.Fatalf("outbox holds %d", len(list))
	}
	phrase := list[0].Phrase()
	if !strings.HasPrefix(phrase, report.PhraseNeedsAttention) || !strings.Contains(phrase, "at most 25 MiB") {
		t.Errorf("phrase %q", phrase)
	}
	// IT raised the limit: the next round delivers it.
	svc.fail = nil
	if res := o.HandOver(ctx, svc); res.Sent != 1 || res.Left != 0 {
		t.Errorf("after IT's change: %+v", res)
	}
}

func TestServiceFullStopsTheRound(t *testing.T) {
	o := newOutbox(t)
	ctx := context.Background()
	o.Save(ctx, submission(t, "one", time.Now()))
	full := &localapi.Error{Status: http.StatusInsufficientStorage, Code: localapi.CodeSpoolFull, Message: "full"}
	res := o.HandOver(ctx, &fakeService{fail: func(*report.Submission) error { return full }})
	if !localapi.IsCode(res.Stopped, localapi.CodeSpoolFull) || res.Left != 1 {
		t.Errorf("result %+v", res)
	}
}

func TestRefused(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errDown, false},
		{context.DeadlineExceeded, false},
		{&localapi.Error{Status: 400, Code: localapi.CodeBadRequest}, true},
		{&localapi.Error{Status: 413, Code: localapi.CodeBodyTooLarge}, true},
		{&localapi.Error{Status: 409, Code: localapi.CodeKeyInUse}, true},
		{&localapi.Error{Status: 403, Code: localapi.CodePermissionDenied}, true},
		{&localapi.Error{Status: 507, Code: localapi.CodeSpoolFull}, false},
		{&localapi.Error{Status: 404, Code: localapi.CodeNotFound}, false}, // a service without reports yet
		{&localapi.Error{Status: 405, Code: localapi.CodeMethodNotAllowed}, false},
		{&localapi.Error{Status: 503, Code: localapi.CodeTooManyConnections}, false},
		{&localapi.Error{Status: 500, Code: localapi.CodeInternal}, false},
		{fmt.Errorf("sending: %w", &localapi.Error{Status: 400, Code: localapi.CodeBadRequest}), true},
	}
	for _, tt := range tests {
		if got := Refused(tt.err); got != tt.want {
			t.Errorf("Refused(%v) = %v", tt.err, got)
		}
	}
}

func TestSaveTwiceKeepsOne(t *testing.T) {
	o := newOutbox(t)
	ctx := context.Background()
	s := submission(t, "same", time.Now())
	r1, err1 := o.Save(ctx, s)
	r2, err2 := o.Save(ctx, s)
	if err1 != nil || err2 != nil || r1.Key != r2.Key {
		t.Fatalf("%v %v", err1, err2)
	}
	if list, _ := o.List(); len(list) != 1 {
		t.Errorf("%d kept", len(list))
	}
}

// TestNothingCreatedUntilNeeded: listing and handing over an outbox that
// was never used must not create the folder in the employee's profile.
func TestNothingCreatedUntilNeeded(t *testing.T) {
	o := newOutbox(t)
	if list, err := o.List(); err != nil || list != nil {
		t.Fatal(list, err)
	}
	if res := o.HandOver(context.Background(), &fakeService{}); res != (Result{}) {
		t.Errorf("%+v", res)
	}
	if _, err := os.Stat(o.Dir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("folder created: %v", err)
	}
}

func TestFolderIsPrivate(t *testing.T) {
	o := newOutbox(t)
	if _, err := o.Save(context.Background(), submission(t, "x", time.Now())); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(o.Dir())
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("mode %v %v", fi.Mode(), err)
	}
}

// TestConcurrentHandOversSendOnce: a start and a reconnect racing must not
// offer a report twice.
func TestConcurrentHandOversSendOnce(t *testing.T) {
	o := newOutbox(t)
	ctx := context.Background()
	for i := range 5 {
		o.Save(ctx, submission(t, fmt.Sprint("report ", i), time.Now().Add(time.Duration(i)*time.Millisecond)))
	}
	svc := &fakeService{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { o.HandOver(ctx, svc) })
	}
	wg.Wait()
	if n := len(svc.calls()); n != 5 {
		t.Errorf("%d submissions for 5 reports", n)
	}
}

func TestCourierHandsOverOnKick(t *testing.T) {
	o := newOutbox(t)
	ctx, cancel := context.WithCancel(context.Background())
	o.Save(ctx, submission(t, "kept while offline", time.Now()))
	done := make(chan Result, 4)
	svc := &fakeService{}
	c := NewCourier(o, svc, CourierOptions{OnDone: func(r Result) { done <- r }, RetryAfter: time.Hour})
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		c.Run(ctx)
	}()
	c.Kick()
	c.Kick() // merges with the first, or finds nothing left
	select {
	case r := <-done:
		if r.Sent != 1 {
			t.Errorf("first round %+v", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no hand-over after a kick")
	}
	cancel()
	<-ran
	if n := len(svc.calls()); n != 1 {
		t.Errorf("%d submissions", n)
	}
}

func TestCourierRetriesWhileReportsAreLeft(t *testing.T) {
	o := newOutbox(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o.Save(ctx, submission(t, "x", time.Now()))
	var mu sync.Mutex
	down := true
	svc := &fakeService{fail: func(*report.Submission) error {
		mu.Lock()
		defer mu.Unlock()
		if down {
			down = false
			return errDown
		}
		return nil
	}}
	done := make(chan Result, 4)
	c := NewCourier(o, svc, CourierOptions{OnDone: func(r Result) { done <- r }, RetryAfter: 10 * time.Millisecond})
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		c.Run(ctx)
	}()
	c.Kick()
	var got []Result
	for len(got) < 2 {
		select {
		case r := <-done:
			got = append(got, r)
		case <-time.After(5 * time.Second):
			t.Fatalf("only %d rounds: %+v", len(got), got)
		}
	}
	cancel()
	<-ran
	if got[0].Left != 1 || got[1].Sent != 1 || got[1].Left != 0 {
		t.Errorf("rounds %+v", got)
	}
}
