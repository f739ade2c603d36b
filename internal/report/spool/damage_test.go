package spool

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/firstline-it/firstline/internal/report"
)

// damagedSpool builds a spool with two reports, closes it, and returns its
// files and the two reports: victim, whose files the test damages, and
// bystander, which must come through untouched.
func damagedSpool(t *testing.T) (files map[string][]byte, victim, bystander report.Report) {
	t.Helper()
	dir := t.TempDir()
	s := open(t, dir, Options{noSync: true})
	victim, bystander = newReport(1, "1000", 40, 7), newReport(2, "1001", 30)
	// Small, so truncating at every offset stays quick.
	victim.Text, victim.Snapshot, victim.Category, victim.Callback = "VPN down", nil, "", report.Callback{}
	victim.State.Destinations = []report.Destination{{Name: "email", State: report.FailedTransient, Attempts: 2}}
	put(t, s, victim)
	put(t, s, bystander)
	s.Close()
	return snapshot(t, dir), victim, bystander
}

// checkBystander opens dir and checks the bystander is listed and whole,
// and that nothing listed fails to load except as damaged or gone.
func checkBystander(t *testing.T, s *Spool, bystander report.Report) {
	t.Helper()
	got, err := s.Load(context.Background(), bystander.Key)
	if err != nil {
		t.Fatalf("bystander: %v", err)
	}
	sameContent(t, got, bystander)
}

// logCounter counts log records at warning level or above.
type logCounter struct {
	slog.Handler
	n *int
}

func (h logCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn {
		*h.n++
	}
	return nil
}

func (h logCounter) Enabled(context.Context, slog.Level) bool { return true }

func TestTruncatedBodyAtEveryOffset(t *testing.T) {
	src, victim, bystander := damagedSpool(t)
	body := src[victim.Key.String()+bodySuffix]
	dir := filepath.Join(t.TempDir(), "spool")
	for cut := range len(body) {
		restore(t, dir, src)
		name := filepath.Join(dir, victim.Key.String()+bodySuffix)
		if err := os.WriteFile(name, body[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
		warnings := 0
		s, err := Open(dir, Options{noSync: true, Logger: slog.New(logCounter{n: &warnings})})
		if err != nil {
			t.Fatalf("cut at %d: Open: %v", cut, err)
		}
		checkBystander(t, s, bystander)
		// The victim's state survived: it is listed, as needing
		// attention, and no longer due.
		rec, err := s.Get(victim.Key)
		if err != nil || rec.State.Overall() != report.OverallNeedsAttention || !strings.Contains(rec.Phrase(), "damaged") {
			t.Fatalf("cut at %d: victim %+v, %v", cut, rec.State, err)
		}
		if _, err := s.Load(context.Background(), victim.Key); !errors.Is(err, ErrGone) {
			t.Fatalf("cut at %d: Load of the victim: %v, want ErrGone", cut, err)
		}
		for r := range s.Due(t0.Add(100 * 3600e9)) {
			if r.Key == victim.Key {
				t.Fatalf("cut at %d: the broken report is due", cut)
			}
		}
		if q := quarantined(t, dir); len(q) != 1 || !strings.HasPrefix(q[0], victim.Key.String()+bodySuffix+".") {
			t.Fatalf("cut at %d: quarantine holds %v", cut, q)
		}
		if warnings == 0 {
			t.Fatalf("cut at %d: no warning logged", cut)
		}
		s.Close()
	}
}

func TestTruncatedStateAtEveryOffsetIsRecoveredFromTheBody(t *testing.T) {
	src, victim, bystander := damagedSpool(t)
	state := src[victim.Key.String()+stateSuffix]
	dir := filepath.Join(t.TempDir(), "spool")
	for cut := range len(state) {
		restore(t, dir, src)
		if err := os.WriteFile(filepath.Join(dir, victim.Key.String()+stateSuffix), state[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
		s := open(t, dir, Options{noSync: true})
		checkBystander(t, s, bystander)
		got, err := s.Load(context.Background(), victim.Key)
		if err != nil {
			t.Fatalf("cut at %d: victim not recovered: %v", cut, err)
		}
		sameContent(t, got, victim)
		// The delivery state is lost with the file; the report starts
		// over, which at-least-once delivery allows.
		if len(got.State.Destinations) != 0 {
			t.Fatalf("cut at %d: recovered state %+v", cut, got.State)
		}
		if cut > 0 {
			if q := quarantined(t, dir); len(q) != 1 {
				t.Fatalf("cut at %d: quarantine holds %v", cut, q)
			}
		}
		s.Close()
	}
}

func TestGarbageFilesAreQuarantined(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	src, victim, bystander := damagedSpool(t)
	body := src[victim.Key.String()+bodySuffix]
	dir := filepath.Join(t.TempDir(), "spool")
	garbage := func() []byte {
		b := make([]byte, rng.IntN(4096))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		if rng.IntN(2) == 0 {
			// Garbage that starts like a spool file gets further in.
			b = append([]byte("FLSPOOL 1 body 12 00000000\n"), b...)
		}
		return b
	}
	for i := range 200 {
		restore(t, dir, src)
		victimBody := filepath.Join(dir, victim.Key.String()+bodySuffix)
		victimState := filepath.Join(dir, victim.Key.String()+stateSuffix)
		stranger := filepath.Join(dir, report.NewKey(t0).String()+stateSuffix)
		switch i % 4 {
		case 0:
			os.WriteFile(victimBody, garbage(), 0o600)
		case 1:
			os.WriteFile(victimState, garbage(), 0o600)
		case 2:
			os.WriteFile(victimBody, garbage(), 0o600)
			os.WriteFile(victimState, garbage(), 0o600)
		case 3:
			// Bytes flipped inside an otherwise well-formed body.
			flipped := bytes.Clone(body)
			for range 1 + rng.IntN(4) {
				flipped[rng.IntN(len(flipped))] ^= byte(1 + rng.IntN(255))
			}
			os.WriteFile(victimBody, flipped, 0o600)
		}
		os.WriteFile(stranger, garbage(), 0o600)
		s := open(t, dir, Options{noSync: true})
		checkBystander(t, s, bystander)
		for rec := range s.All(Filter{}) {
			if rec.Key != victim.Key && rec.Key != bystander.Key {
				t.Fatalf("round %d: garbage listed as %+v", i, rec)
			}
			_, err := s.Load(context.Background(), rec.Key)
			if err != nil && !errors.Is(err, ErrGone) && !errors.Is(err, ErrDamaged) {
				t.Fatalf("round %d: Load of a listed report: %v", i, err)
			}
			if err == nil && rec.Key == victim.Key {
				got, _ := s.Load(context.Background(), rec.Key)
				sameContent(t, got, victim)
			}
		}
		if len(quarantined(t, dir)) == 0 {
			t.Fatalf("round %d: nothing quarantined", i)
		}
		s.Close()
	}
}

func TestDamageFoundOnReadIsQuarantinedAndReported(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{})
	r := newReport(1, "1000", 1000)
	put(t, s, r)
	// Flip a byte in the attachment: same size, so Open cannot tell.
	path := s.bodyPath(r.Key)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-10] ^= 0xff
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, dir, Options{})
	if _, err := s.Get(r.Key); err != nil {
		t.Fatalf("a same-size flip should pass Open's header check: %v", err)
	}
	if _, err := s.Load(context.Background(), r.Key); !errors.Is(err, ErrDamaged) {
		t.Fatalf("Load: %v, want ErrDamaged", err)
	}
	rec, _ := s.Get(r.Key)
	if rec.State.Broken == "" || rec.Phrase() != report.PhraseNeedsAttention+": "+brokenMessage {
		t.Errorf("after damage: %q", rec.Phrase())
	}
	if q := quarantined(t, dir); len(q) != 1 {
		t.Errorf("quarantine: %v", q)
	}
	// The app, told the report needs sending again, may resend it under
	// the same key: the broken record is replaced.
	if _, err := s.Put(context.Background(), r); err != nil {
		t.Fatalf("Put over a broken record: %v", err)
	}
	got, err := s.Load(context.Background(), r.Key)
	if err != nil {
		t.Fatal(err)
	}
	sameContent(t, got, r)
	if st := s.Stats(); st.Reports != 1 || st.Waiting != 1 {
		t.Errorf("stats after replacing: %+v", st)
	}
}

func TestDamageFoundWhileStreamingIsQuarantinedOnClose(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{})
	r := newReport(1, "1000", 100<<10)
	put(t, s, r)
	path := s.bodyPath(r.Key)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-1] ^= 1
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := s.Body(context.Background(), r.Key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(b.Attachment(0)); !errors.Is(err, ErrDamaged) {
		t.Errorf("reading a damaged attachment: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if rec, _ := s.Get(r.Key); rec.State.Broken == "" {
		t.Error("the report was not marked broken")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the damaged body is still in place: %v", err)
	}
}

func TestFilesUnderAnotherReportsNameAreQuarantined(t *testing.T) {
	src, victim, bystander := damagedSpool(t)
	dir := filepath.Join(t.TempDir(), "spool")
	restore(t, dir, src)
	other1, other2 := report.NewKey(t0), report.NewKey(t0)
	for from, to := range map[string]string{
		victim.Key.String() + stateSuffix: other1.String() + stateSuffix,
		victim.Key.String() + bodySuffix:  other2.String() + bodySuffix,
	} {
		if err := os.WriteFile(filepath.Join(dir, to), src[from], 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s := open(t, dir, Options{noSync: true})
	checkBystander(t, s, bystander)
	got, err := s.Load(context.Background(), victim.Key)
	if err != nil {
		t.Fatal(err)
	}
	sameContent(t, got, victim)
	if n := len(s.List(Filter{})); n != 2 {
		t.Errorf("%d reports listed, want 2", n)
	}
	if q := quarantined(t, dir); len(q) != 2 {
		t.Errorf("quarantine: %v", q)
	}
}

func TestDamageMarkedButNotYetQuarantinedIsFinishedAtOpen(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{})
	r := newReport(1, "1000", 10)
	put(t, s, r)
	if _, err := s.UpdateState(context.Background(), r.Key, func(st *report.State) error {
		st.Broken = brokenMessage
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, dir, Options{})
	if _, err := s.Load(context.Background(), r.Key); !errors.Is(err, ErrGone) {
		t.Errorf("Load: %v, want ErrGone", err)
	}
	if q := quarantined(t, dir); len(q) != 1 {
		t.Errorf("quarantine: %v", q)
	}
	// And a second Open changes nothing more.
	s.Close()
	s = open(t, dir, Options{})
	if rec, err := s.Get(r.Key); err != nil || rec.State.Broken == "" {
		t.Errorf("record: %+v, %v", rec, err)
	}
	if q := quarantined(t, dir); len(q) != 1 {
		t.Errorf("quarantine after a second Open: %v", q)
	}
}
