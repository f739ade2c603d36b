package reports

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/report/spool"
	"github.com/firstline-it/firstline/service/events"
)

func TestWebhookDelivery(t *testing.T) {
	rcv := newReceiver(t)
	hub := events.NewHub(localapi.State{})
	h := openPipeline(t, "", Options{
		Chain:    delivery.Chain{{Destination: "webhook"}},
		Backends: []delivery.Backend{webhookBackend(t, rcv, "webhook")},
		Hub:      hub,
	})
	var keys []report.Key
	for i := range 3 {
		rec := h.submit(t, "1000", submission(i, i == 0))
		keys = append(keys, rec.Key)
		if rec.Owner.UID != "1000" || rec.Owner.Name != "user1000" || rec.Phrase() != report.PhraseSaved {
			t.Errorf("stored record %+v", rec)
		}
	}
	if c := h.p.Counts("1000"); c.Pending != 3 {
		t.Errorf("counts before delivery %+v", c)
	}
	if _, st, _ := hub.Snapshot(); st.Reports.Pending != 3 {
		t.Errorf("hub totals before delivery %+v", st.Reports)
	}
	h.run(t)
	waitFor(t, 10*time.Second, "delivery", func() bool { return h.archived(keys...) })

	got := rcv.deliveries()
	if len(got) != 3 {
		t.Fatalf("receiver got %d deliveries, want 3", len(got))
	}
	if refused, badSig, mismatch := rcv.counts(); refused+badSig+mismatch != 0 {
		t.Errorf("refused %d, bad signatures %d, key mismatches %d", refused, badSig, mismatch)
	}
	byKey := map[string]received{}
	for _, d := range got {
		byKey[d.Key] = d
	}
	for _, k := range keys {
		if _, ok := byKey[k.String()]; !ok {
			t.Errorf("report %s was not delivered with Idempotency-Key %s", k.Reference(), k)
		}
	}
	first := byKey[keys[0].String()].Payload
	wantSubject := "[" + string(keys[0].Reference()) + "] printing: Report 0: the printer on floor 3 is offline (user1000, LAPTOP-42)"
	if first.Subject != wantSubject {
		t.Errorf("subject %q, want %q", first.Subject, wantSubject)
	}
	var names []string
	for _, a := range first.Attachments {
		names = append(names, a.Name)
	}
	if strings.Join(names, ",") != "screen-1.png,sysinfo.json,summary.txt" || !strings.Contains(first.Summary, "LAPTOP-42") {
		t.Errorf("attachments %v, summary %q", names, first.Summary)
	}
	if first.Fields["callback"] != "phone, +44 20 7946 0000, after 2pm" || first.Fields["uid"] != "1000" {
		t.Errorf("fields %v", first.Fields)
	}
	rec := h.get(t, keys[0])
	d := rec.State.Destination("webhook")
	if d == nil || d.State != report.Delivered || d.TicketID == "" || d.RemoteStatus != "new" || d.Attempts != 1 || rec.Phrase() != report.PhraseSent {
		t.Errorf("delivered record %+v", rec)
	}
	if c := h.p.Counts("1000"); c != (localapi.ReportSummary{}) {
		t.Errorf("counts after delivery %+v", c)
	}
	if _, st, _ := hub.Snapshot(); st.Reports != (localapi.ReportSummary{}) {
		t.Errorf("hub totals after delivery %+v", st.Reports)
	}
	if strings.Contains(h.logs.String(), testSecret) {
		t.Error("the webhook secret is in the log")
	}
}

// TestOfflineQueueHolds: the receiver is down (answering 503, or not
// listening at all) for a while: nothing is lost, the failing destination
// is asked once per backoff step rather than once per report, the backoff
// shows in the log, and when it returns the reports arrive in the order
// they were received.
func TestOfflineQueueHolds(t *testing.T) {
	for _, mode := range []string{"503", "refused"} {
		t.Run(mode, func(t *testing.T) {
			rcv := newReceiver(t)
			if mode == "503" {
				rcv.setStatus(503)
			} else {
				rcv.down()
			}
			h := openPipeline(t, "", Options{
				Chain:    delivery.Chain{{Destination: "webhook"}},
				Backends: []delivery.Backend{webhookBackend(t, rcv, "webhook")},
				Workers:  1, // one worker: arrival order is exactly start order
			})
			h.run(t)
			var keys []report.Key
			for i := range 6 {
				keys = append(keys, h.submit(t, "1000", submission(i, false)).Key)
				time.Sleep(15 * time.Millisecond)
			}
			waitFor(t, 5*time.Second, "several backoff rounds", func() bool {
				return strings.Count(h.logs.String(), "delivery attempt failed; will retry") >= 4
			})
			attempts := strings.Count(h.logs.String(), "delivery attempt failed; will retry")
			for _, k := range keys {
				rec := h.get(t, k)
				if !rec.ArchivedAt.IsZero() || rec.State.Overall() == report.OverallSent || rec.State.Overall() == report.OverallNeedsAttention {
					t.Fatalf("report %s while the receiver is down: %+v", rec.Reference, rec.State)
				}
			}
			if c := h.p.Counts("1000"); c.Pending != 6 {
				t.Errorf("counts while down %+v", c)
			}
			held := strings.Count(h.logs.String(), "delivery held back")
			if held == 0 {
				t.Error("no report was held back behind the failing destination")
			}
			retryIn := regexp.MustCompile(`retry_in=\d`)
			if !retryIn.MatchString(h.logs.String()) || !strings.Contains(h.logs.String(), "retry_at=") {
				t.Errorf("backoff not visible in the log:\n%s", h.logs.String())
			}

			rcv.up()
			waitFor(t, 10*time.Second, "delivery after the receiver returned", func() bool { return h.archived(keys...) })
			got := rcv.deliveries()
			var order []string
			for _, d := range got {
				order = append(order, d.Key)
			}
			var want []string
			for _, k := range keys {
				want = append(want, k.String())
			}
			if !slices.Equal(order, want) {
				t.Errorf("delivered in order\n%v\nwant\n%v", order, want)
			}
			t.Logf("%d real attempts and %d held back while down", attempts, held)
			if t.Failed() {
				t.Log(h.logs.String())
			}
		})
	}
}

func TestPermanentFailureNeedsAttentionThenRetry(t *testing.T) {
	rcv := newReceiver(t)
	rcv.setStatus(400)
	h := openPipeline(t, "", Options{
		Chain:    delivery.Chain{{Destination: "webhook"}},
		Backends: []delivery.Backend{webhookBackend(t, rcv, "webhook")},
	})
	h.run(t)
	key := h.submit(t, "1000", submission(1, false)).Key
	waitFor(t, 5*time.Second, "needs attention", func() bool {
		return h.get(t, key).State.Overall() == report.OverallNeedsAttention
	})
	rec := h.get(t, key)
	if !strings.HasPrefix(rec.Phrase(), report.PhraseNeedsAttention+": webhook: ") || !strings.Contains(rec.Phrase(), "HTTP 400") {
		t.Errorf("phrase %q", rec.Phrase())
	}
	if c := h.p.Counts("1000"); c != (localapi.ReportSummary{NeedsAttention: 1}) {
		t.Errorf("counts %+v", c)
	}
	time.Sleep(200 * time.Millisecond) // several backoff steps: no retry of a permanent failure
	if refused, _, _ := rcv.counts(); refused != 1 {
		t.Errorf("receiver refused %d requests, want exactly 1", refused)
	}
	if !strings.Contains(h.logs.String(), "needs attention") {
		t.Error("the refusal is not logged")
	}

	rcv.setStatus(0)
	rec, err := h.p.Retry(context.Background(), key)
	if err != nil || rec.State.Destination("webhook").State != report.Queued {
		t.Fatalf("Retry: %+v %v", rec, err)
	}
	waitFor(t, 5*time.Second, "delivery after retry", func() bool { return h.archived(key) })
	if len(rcv.deliveries()) != 1 || h.p.Counts("1000") != (localapi.ReportSummary{}) {
		t.Errorf("after retry: %d deliveries, counts %+v", len(rcv.deliveries()), h.p.Counts("1000"))
	}
	if _, err := h.p.Retry(context.Background(), report.NewKey(time.Now())); !errors.Is(err, spool.ErrNotFound) {
		t.Errorf("Retry of an unknown key: %v", err)
	}
}

// TestChainFallback: the second destination is used once the first has
// failed fallback_after times or needs attention, and the report ends
// delivered to it alone.
func TestChainFallback(t *testing.T) {
	transient := delivery.Transient(errors.New("helpdesk: HTTP 503"), 0)
	permanent := delivery.Permanent(errors.New("helpdesk: HTTP 422"))
	tests := []struct {
		name          string
		first         []error
		fallbackAfter int
		wantFirst     int // attempts of the first destination before the fallback delivered
	}{
		{"permanent", []error{permanent}, 3, 1},
		{"three transient", []error{transient, transient, transient}, 3, 3},
		{"one transient", []error{transient}, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := &fakeBackend{name: "helpdesk", script: tt.first, after: transient}
			second := &fakeBackend{name: "mail"}
			h := openPipeline(t, "", Options{
				Chain:    delivery.Chain{{Destination: "helpdesk", FallbackAfter: tt.fallbackAfter}, {Destination: "mail"}},
				Backends: []delivery.Backend{first, second},
			})
			h.run(t)
			key := h.submit(t, "1000", submission(1, false)).Key
			waitFor(t, 5*time.Second, "delivery through the fallback", func() bool { return h.archived(key) })
			if n := len(first.calls()); n != tt.wantFirst {
				t.Errorf("first destination tried %d times, want %d", n, tt.wantFirst)
			}
			if calls := second.calls(); len(calls) != 1 || calls[0] != key.String() {
				t.Errorf("fallback calls %v", calls)
			}
			rec := h.get(t, key)
			if len(rec.State.Destinations) != 1 || rec.State.Destinations[0].Name != "mail" || rec.Phrase() != report.PhraseSent {
				t.Errorf("final state %+v", rec.State)
			}
		})
	}
}

// TestChainFirstRecoversBeforeFallback: with fallback_after 3, two
// failures and then success keep the fallback out entirely.
func TestChainFirstRecoversBeforeFallback(t *testing.T) {
	transient := delivery.Transient(errors.New("helpdesk: HTTP 502"), 0)
	first := &fakeBackend{name: "helpdesk", script: []error{transient, transient}}
	second := &fakeBackend{name: "mail"}
	h := openPipeline(t, "", Options{
		Chain:    delivery.Chain{{Destination: "helpdesk", FallbackAfter: 3}, {Destination: "mail"}},
		Backends: []delivery.Backend{first, second},
	})
	h.run(t)
	key := h.submit(t, "1000", submission(1, false)).Key
	waitFor(t, 5*time.Second, "delivery", func() bool { return h.archived(key) })
	if len(first.calls()) != 3 || len(second.calls()) != 0 {
		t.Errorf("helpdesk %d calls, mail %d", len(first.calls()), len(second.calls()))
	}
	if d := destOf(h.get(t, key), "helpdesk"); d == nil || d.Attempts != 3 || d.TicketID != "helpdesk-3" {
		t.Errorf("helpdesk state %+v", d)
	}
}

func TestSubmitIdempotentAndOwned(t *testing.T) {
	h := openPipeline(t, "", Options{
		Chain:      delivery.Chain{{Destination: "x"}},
		Backends:   []delivery.Backend{&fakeBackend{name: "x"}},
		MaxReports: 2,
	})
	s := submission(1, true)
	first := h.submit(t, "1000", s)
	res, err := h.p.Submit(context.Background(), identity("1000"), s)
	if err != nil || !res.Existing || res.Record.Key != first.Key {
		t.Errorf("same key again: %+v %v", res, err)
	}
	if _, err := h.p.Submit(context.Background(), identity("1001"), s); !errors.Is(err, spool.ErrKeyInUse) {
		t.Errorf("another user's key: %v", err)
	}
	h.submit(t, "1001", submission(2, false))
	_, err = h.p.Submit(context.Background(), identity("1001"), submission(3, false))
	if !errors.Is(err, spool.ErrFull) || !strings.Contains(err.Error(), "tell IT another way") {
		t.Errorf("full spool: %v", err)
	}
	bad := submission(4, false)
	bad.Text = ""
	var fe *report.FieldError
	if _, err := h.p.Submit(context.Background(), identity("1001"), bad); !errors.As(err, &fe) || fe.Field != "text" {
		t.Errorf("invalid submission: %v", err)
	}
	if got := h.p.List("1001"); len(got) != 1 || got[0].Owner.UID != "1001" {
		t.Errorf("List(1001) = %+v", got)
	}
	all := h.p.List("")
	if len(all) != 2 || !all[0].ReceivedAt.After(all[1].ReceivedAt) {
		t.Errorf("List() not newest first: %+v", all)
	}
	if _, err := h.p.Submit(context.Background(), localapi.Identity{}, submission(5, false)); err == nil {
		t.Error("a submission without an identity was stored")
	}
}

// TestRestartDeliversWhatWasSaved: a report saved by one pipeline is
// delivered by the next one on the same folder, and the counts are
// rebuilt from the spool.
func TestRestartDeliversWhatWasSaved(t *testing.T) {
	dir := t.TempDir()
	fb := &fakeBackend{name: "x"}
	opts := Options{Chain: delivery.Chain{{Destination: "x"}}, Backends: []delivery.Backend{fb}}
	h := openPipeline(t, dir, opts)
	key := h.submit(t, "1000", submission(1, false)).Key
	h.close(t)

	h2 := openPipeline(t, dir, opts)
	if c := h2.p.Counts("1000"); c.Pending != 1 {
		t.Errorf("counts after reopening %+v", c)
	}
	h2.run(t)
	waitFor(t, 5*time.Second, "delivery after restart", func() bool { return h2.archived(key) })
	if len(fb.calls()) != 1 {
		t.Errorf("%d deliveries", len(fb.calls()))
	}
}

// TestRouteChangeReroutes: a report waiting for a destination IT then
// took out of the route goes to the new route instead.
func TestRouteChangeReroutes(t *testing.T) {
	dir := t.TempDir()
	old := &fakeBackend{name: "old", after: delivery.Transient(errors.New("old: down"), 0)}
	h := openPipeline(t, dir, Options{Chain: delivery.Chain{{Destination: "old"}}, Backends: []delivery.Backend{old}})
	h.run(t)
	key := h.submit(t, "1000", submission(1, false)).Key
	waitFor(t, 5*time.Second, "a failed attempt", func() bool { return len(old.calls()) > 0 })
	h.close(t)

	fresh := &fakeBackend{name: "new"}
	h2 := openPipeline(t, dir, Options{Chain: delivery.Chain{{Destination: "new"}}, Backends: []delivery.Backend{fresh}})
	h2.run(t)
	waitFor(t, 5*time.Second, "delivery on the new route", func() bool { return h2.archived(key) })
	rec := h2.get(t, key)
	if len(rec.State.Destinations) != 1 || rec.State.Destinations[0].Name != "new" {
		t.Errorf("state %+v", rec.State)
	}
	if !strings.Contains(h2.logs.String(), "re-routed") {
		t.Error("re-routing not logged")
	}
}

func TestCountsPerUserAndHub(t *testing.T) {
	hub := events.NewHub(localapi.State{})
	fb := &fakeBackend{name: "x", after: delivery.Permanent(errors.New("x: refused"))}
	h := openPipeline(t, "", Options{Chain: delivery.Chain{{Destination: "x"}}, Backends: []delivery.Backend{fb}, Hub: hub})
	seq0, _, changed := hub.Snapshot()
	h.submit(t, "1000", submission(1, false))
	select {
	case <-changed:
	default:
		t.Fatal("a new report did not wake the hub's watchers")
	}
	h.submit(t, "1000", submission(2, false))
	h.submit(t, "2000", submission(3, false))
	if a, b := h.p.Counts("1000"), h.p.Counts("2000"); a.Pending != 2 || b.Pending != 1 || h.p.Counts("3000") != (localapi.ReportSummary{}) {
		t.Errorf("counts %+v %+v", a, b)
	}
	h.run(t)
	waitFor(t, 5*time.Second, "all refused", func() bool {
		return h.p.Counts("1000").NeedsAttention == 2 && h.p.Counts("2000").NeedsAttention == 1
	})
	seq, st, _ := hub.Snapshot()
	if st.Reports != (localapi.ReportSummary{NeedsAttention: 3}) || seq <= seq0 {
		t.Errorf("hub %d %+v", seq, st.Reports)
	}
}

func TestStatusReadBack(t *testing.T) {
	fb := statusBackend{&fakeBackend{name: "rt", status: map[string]string{"rt-1": "open"}}}
	h := openPipeline(t, "", Options{
		Chain: delivery.Chain{{Destination: "rt"}}, Backends: []delivery.Backend{fb},
		StatusInterval: 20 * time.Millisecond,
	})
	h.run(t)
	key := h.submit(t, "1000", submission(1, false)).Key
	status := func() string {
		d := destOf(h.get(t, key), "rt")
		if d == nil {
			return ""
		}
		return d.RemoteStatus
	}
	waitFor(t, 5*time.Second, "status open", func() bool { return status() == "open" })
	fb.mu.Lock()
	fb.status["rt-1"] = "resolved"
	fb.mu.Unlock()
	waitFor(t, 5*time.Second, "status resolved", func() bool { return status() == "resolved" })
	fb.mu.Lock()
	asked := fb.asked
	fb.mu.Unlock()
	time.Sleep(100 * time.Millisecond)
	fb.mu.Lock()
	defer fb.mu.Unlock()
	if fb.asked != asked {
		t.Errorf("a resolved ticket is still asked about (%d, then %d)", asked, fb.asked)
	}
}

func TestStopIsNotAFailure(t *testing.T) {
	block := &blockingBackend{name: "slow", started: make(chan struct{})}
	h := openPipeline(t, "", Options{Chain: delivery.Chain{{Destination: "slow"}}, Backends: []delivery.Backend{block}})
	h.run(t)
	key := h.submit(t, "1000", submission(1, false)).Key
	<-block.started
	h.stop()
	d := destOf(h.get(t, key), "slow")
	if d != nil && d.Attempts != 0 {
		t.Errorf("an attempt cut short by the stop was recorded: %+v", d)
	}
}

// blockingBackend blocks every delivery until its context ends.
type blockingBackend struct {
	name    string
	started chan struct{}
	once    sync.Once
}

func (b *blockingBackend) Name() string { return b.name }

func (b *blockingBackend) Deliver(ctx context.Context, _ delivery.Message) (delivery.Receipt, error) {
	b.once.Do(func() { close(b.started) })
	<-ctx.Done()
	return delivery.Receipt{}, ctx.Err()
}

func TestAttemptTimeout(t *testing.T) {
	block := &blockingBackend{name: "slow", started: make(chan struct{})}
	h := openPipeline(t, "", Options{
		Chain: delivery.Chain{{Destination: "slow"}}, Backends: []delivery.Backend{block},
		AttemptTimeout: 50 * time.Millisecond,
	})
	h.run(t)
	key := h.submit(t, "1000", submission(1, false)).Key
	waitFor(t, 5*time.Second, "the attempt to time out", func() bool {
		d := destOf(h.get(t, key), "slow")
		return d != nil && d.Attempts == 1
	})
	d := destOf(h.get(t, key), "slow")
	if d.State != report.FailedTransient || d.LastError != "slow: no answer within 50ms" {
		t.Errorf("timed-out attempt %+v", d)
	}
}

// destOf returns rec's state at the named destination, or nil.
func destOf(rec report.Record, name string) *report.Destination {
	return rec.State.Destination(name)
}

// TestOfflineIsShownAsOffline: no network (here: no name resolution) is
// "Will send when you're back online", for the report that tried and for
// those held back behind it.
func TestOfflineIsShownAsOffline(t *testing.T) {
	noDNS := delivery.Transient(fmt.Errorf("rt: %w", &net.DNSError{Err: "server misbehaving", Name: "rt.example.com", IsTemporary: true}), 0)
	fb := &fakeBackend{name: "rt", after: noDNS}
	h := openPipeline(t, "", Options{Chain: delivery.Chain{{Destination: "rt"}}, Backends: []delivery.Backend{fb}, Workers: 1})
	h.run(t)
	a := h.submit(t, "1000", submission(1, false)).Key
	b := h.submit(t, "1000", submission(2, false)).Key
	waitFor(t, 5*time.Second, "both offline", func() bool {
		return h.get(t, a).Phrase() == report.PhraseOffline && h.get(t, b).Phrase() == report.PhraseOffline
	})
	if c := h.p.Counts("1000"); c.Pending != 2 {
		t.Errorf("offline reports count as pending: %+v", c)
	}
}

// TestDeliveredButNotArchivedIsFinished: a report recorded as delivered
// whose archive a crash cut short is archived by the next Run, and not
// delivered again.
func TestDeliveredButNotArchivedIsFinished(t *testing.T) {
	fb := &fakeBackend{name: "x"}
	h := openPipeline(t, "", Options{Chain: delivery.Chain{{Destination: "x"}}, Backends: []delivery.Backend{fb}})
	key := h.submit(t, "1000", submission(1, false)).Key
	_, err := h.p.spool.UpdateState(context.Background(), key, func(st *report.State) error {
		st.Destinations = []report.Destination{{Name: "x", State: report.Delivered, Attempts: 1, TicketID: "x-9", DeliveredAt: time.Now()}}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h.run(t)
	waitFor(t, 5*time.Second, "the archive", func() bool { return h.archived(key) })
	if len(fb.calls()) != 0 {
		t.Errorf("delivered again: %v", fb.calls())
	}
}

// TestDamagedReportDoesNotBlockTheQueue: a report whose saved content is
// found damaged is quarantined and shown as needing attention; the reports
// behind it are delivered.
func TestDamagedReportDoesNotBlockTheQueue(t *testing.T) {
	fb := &fakeBackend{name: "x"}
	h := openPipeline(t, "", Options{Chain: delivery.Chain{{Destination: "x"}}, Backends: []delivery.Backend{fb}, Workers: 1})
	bad := h.submit(t, "1000", submission(1, false)).Key
	good := h.submit(t, "1000", submission(2, false)).Key
	body := filepath.Join(h.dir, bad.String()+".body")
	b, err := os.ReadFile(body)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] ^= 0xff // the attachment's last byte: its checksum no longer matches
	if err := os.WriteFile(body, b, 0o600); err != nil {
		t.Fatal(err)
	}
	h.run(t)
	waitFor(t, 5*time.Second, "the good report delivered", func() bool { return h.archived(good) })
	rec := h.get(t, bad)
	if rec.State.Overall() != report.OverallNeedsAttention || !strings.Contains(rec.Phrase(), "damaged") {
		t.Errorf("damaged report: %s", rec.Phrase())
	}
	if calls := fb.calls(); len(calls) != 1 || calls[0] != good.String() {
		t.Errorf("deliveries %v", calls)
	}
	if c := h.p.Counts("1000"); c != (localapi.ReportSummary{NeedsAttention: 1}) {
		t.Errorf("counts %+v", c)
	}
	if q, _ := os.ReadDir(filepath.Join(h.dir, "quarantine")); len(q) != 1 {
		t.Errorf("%d files in quarantine", len(q))
	}
}
