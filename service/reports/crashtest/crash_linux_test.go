package crashtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/servicetest"
)

const secret = "crash-test-shared-secret-0123"

// submitter plays the app: it submits reports one after another, and when
// a submission fails (the service died under it) it hands the same report
// over again until the service says it is saved, as the app does from its
// own spool.
type submitter struct {
	c *localapi.Client

	mu       sync.Mutex
	saved    map[string]bool // keys the service said it saved
	attempts int
	failures int
}

// run submits until stop is closed; a report in hand then is still
// handed over until saved, so that nothing submitted is left unconfirmed.
func (s *submitter) run(stop <-chan struct{}) {
	n := 0
	var pending *report.Submission
	for {
		if pending == nil {
			select {
			case <-stop:
				return
			default:
			}
			n++
			sub := newSubmission(n)
			pending = &sub
		}
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		res, err := s.c.SubmitReport(sctx, pending)
		cancel()
		s.mu.Lock()
		s.attempts++
		if err == nil {
			if res.Record.Key != pending.Key {
				panic("the service answered with another report's record")
			}
			s.saved[pending.Key.String()] = true
			pending = nil
		} else {
			s.failures++
		}
		s.mu.Unlock()
		if err != nil {
			time.Sleep(20 * time.Millisecond) // the service is restarting
		}
	}
}

func (s *submitter) savedKeys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	for k := range s.saved {
		keys = append(keys, k)
	}
	return keys
}

func newSubmission(n int) report.Submission {
	now := time.Now()
	data := make([]byte, 1+rand.IntN(64<<10))
	for i := range data {
		data[i] = byte(rand.Uint32())
	}
	return report.Submission{
		Key: report.NewKey(now), CreatedAt: now, Severity: report.SeveritySlowed,
		Text:        fmt.Sprintf("crash test report %d: the service may die while saving me", n),
		Attachments: []report.Attachment{{Name: "blob.bin", Kind: report.KindFile, Data: data}},
	}
}

// TestCrashSafety runs the real service, kills it with SIGKILL at random
// moments (FIRSTLINE_CRASH_KILLS times, default 20) while reports are
// being submitted and delivered, and checks that every report the service
// said it saved was delivered, and that duplicates are the same report
// under the same key.
func TestCrashSafety(t *testing.T) {
	kills := 20
	if v := os.Getenv("FIRSTLINE_CRASH_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("FIRSTLINE_CRASH_KILLS=%q is not a positive number", v)
		}
		kills = n
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "firstline-service")
	build := exec.Command("go", "build", "-o", bin, "github.com/firstline-it/firstline/service/cmd/firstline-service")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building firstline-service: %v\n%s", err, out)
	}

	rcv := &servicetest.Receiver{Secret: secret}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: rcv}
	var serving sync.WaitGroup
	serving.Go(func() { _ = hs.Serve(ln) })
	defer serving.Wait()
	defer hs.Close()

	state := filepath.Join(dir, "state")
	cfg := filepath.Join(dir, "firstline.toml")
	conf := fmt.Sprintf("[service]\nstate_dir = %q\n\n[delivery]\nroute = [\"webhook\"]\n\n[delivery.webhook]\nurl = %q\nsecret = %q\n",
		state, "http://"+ln.Addr().String()+"/firstline", secret)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	svc := &servicetest.Service{Bin: bin, Config: cfg, Socket: filepath.Join(dir, "run", "local.sock"), Log: filepath.Join(dir, "service.log")}
	c := localapi.NewClient(svc.Socket)
	defer c.Close()

	sub := &submitter{c: c, saved: map[string]bool{}}
	stopSubmitting := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { sub.run(stopSubmitting) })

	for i := range kills {
		svc.Start(t)
		if rand.IntN(5) > 0 {
			// Mostly while it serves and delivers; sometimes while it is
			// still opening the spool.
			svc.Answering(t, c)
		}
		time.Sleep(time.Duration(rand.IntN(250)) * time.Millisecond)
		svc.Kill(t)
		if i%50 == 49 {
			t.Logf("%d kills so far", i+1)
		}
	}

	// One last life: let the submitter finish the report in hand, then
	// wait for everything saved to be delivered.
	svc.Start(t)
	svc.Answering(t, c)
	time.Sleep(300 * time.Millisecond)
	close(stopSubmitting)
	wg.Wait()
	saved := sub.savedKeys()
	deadline := time.Now().Add(60 * time.Second)
	for _, k := range saved {
		for !rcv.Delivered(k) {
			if time.Now().After(deadline) {
				t.Fatalf("report %s was saved but never delivered\n%s", k, svc.Tail())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// Delivered, then archived: wait for the last archive too.
	var all []report.Record
	for {
		all, err = c.Reports(context.Background(), true)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(all, func(r report.Record) bool { return r.ArchivedAt.IsZero() }) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	svc.Stop(t)

	got := rcv.Result()
	savedSet := map[string]bool{}
	for _, k := range saved {
		savedSet[k] = true
	}
	duplicates := 0
	for key, copies := range got.Copies {
		if !savedSet[key] {
			// The submitter hands a report over until it hears
			// "saved", so anything delivered was confirmed.
			t.Errorf("delivered report %s was never reported saved", key)
		}
		for _, c := range copies[1:] {
			duplicates++
			if c != copies[0] {
				t.Errorf("report %s was delivered twice with different content under the same key", key)
			}
		}
	}
	if got.BadSig != 0 || got.Mismatch != 0 {
		t.Errorf("%d deliveries with a bad signature, %d with an Idempotency-Key other than the report's", got.BadSig, got.Mismatch)
	}
	for _, r := range all {
		if r.ArchivedAt.IsZero() || r.State.Broken != "" {
			t.Errorf("report %s left in the spool: %s", r.Reference, r.Phrase())
		}
	}
	if q, _ := os.ReadDir(filepath.Join(state, "spool", "quarantine")); len(q) != 0 {
		t.Errorf("a kill left damaged files: %d in quarantine", len(q))
	}
	sub.mu.Lock()
	defer sub.mu.Unlock()
	t.Logf("kills=%d submits=%d (attempts %d, failed %d) delivered=%d duplicates=%d",
		kills, len(saved), sub.attempts, sub.failures, len(got.Copies), duplicates)
	fmt.Printf("crash test: kills=%d submits=%d delivered=%d duplicates=%d\n", kills, len(saved), len(got.Copies), duplicates)
	if len(saved) == 0 {
		t.Error("no report was ever saved: the harness tested nothing")
	}
	if len(got.Copies) != len(saved) {
		t.Errorf("%d reports delivered, %d saved", len(got.Copies), len(saved))
	}
}
