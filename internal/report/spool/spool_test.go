package spool

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/report"
)

func TestPutLoadRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "spool")
	s := open(t, dir, Options{})
	r := newReport(1, "1000", 1<<20, 0, 777)
	r.State.Destinations = []report.Destination{{Name: "email", State: report.Queued}}
	rec := put(t, s, r)
	if rec.Reference != r.Key.Reference() || rec.Title != "Report 1: the printer on floor 3 is offline" ||
		len(rec.Attachments) != 3 || rec.Attachments[0].Size != 1<<20 || rec.Phrase() != report.PhraseSaved {
		t.Errorf("record: %+v", rec)
	}
	got, err := s.Load(context.Background(), r.Key)
	if err != nil {
		t.Fatal(err)
	}
	sameContent(t, got, r)
	if len(got.State.Destinations) != 1 || got.State.Destinations[0].Name != "email" {
		t.Errorf("state: %+v", got.State)
	}

	// Everything survives a restart.
	s.Close()
	s = open(t, dir, Options{})
	got, err = s.Load(context.Background(), r.Key)
	if err != nil {
		t.Fatal(err)
	}
	sameContent(t, got, r)
	if g, _ := s.Get(r.Key); g.Reference != rec.Reference || !g.ReceivedAt.Equal(rec.ReceivedAt) {
		t.Errorf("Get after reopen: %+v", g)
	}

	if runtime.GOOS != "windows" {
		for _, p := range []string{dir, filepath.Join(dir, quarantineDir)} {
			if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o700 {
				t.Errorf("%s: mode %v, %v; want 0700", p, fi.Mode().Perm(), err)
			}
		}
		for _, p := range []string{s.bodyPath(r.Key), s.statePath(r.Key)} {
			if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v, %v; want 0600", p, fi.Mode().Perm(), err)
			}
		}
	}
}

func TestPutIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{})
	r := newReport(1, "1000", 100)
	first := put(t, s, r)

	again := r
	again.Text = "a different text under the same key"
	rec, err := s.Put(context.Background(), again)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("second Put: %v, want ErrExists", err)
	}
	if rec.Reference != first.Reference || rec.Title != first.Title {
		t.Errorf("second Put returned %+v, want the first record", rec)
	}
	if got, _ := s.Load(context.Background(), r.Key); got.Text != r.Text {
		t.Errorf("the second Put overwrote the text: %q", got.Text)
	}

	other := r
	other.Owner = report.Owner{UID: "1001"}
	if rec, err := s.Put(context.Background(), other); !errors.Is(err, ErrKeyInUse) || rec.Title != "" {
		t.Errorf("Put by another owner: %+v, %v; want ErrKeyInUse and nothing else", rec, err)
	}
	if n := len(s.List(Filter{})); n != 1 {
		t.Errorf("%d records, want 1", n)
	}
}

func TestConcurrentPutsOfOneKeyStoreItOnce(t *testing.T) {
	s := open(t, t.TempDir(), Options{})
	r := newReport(1, "1000", 64<<10)
	var wg sync.WaitGroup
	var mu sync.Mutex
	created, exists := 0, 0
	for range 8 {
		wg.Go(func() {
			_, err := s.Put(context.Background(), r)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				created++
			case errors.Is(err, ErrExists):
				exists++
			default:
				t.Errorf("Put: %v", err)
			}
		})
	}
	wg.Wait()
	if created != 1 || exists != 7 {
		t.Errorf("created %d, exists %d; want 1 and 7", created, exists)
	}
	if st := s.Stats(); st.Reports != 1 || st.Waiting != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestPutRefusesWhenFull(t *testing.T) {
	t.Run("reports", func(t *testing.T) {
		dir := t.TempDir()
		s := open(t, dir, Options{MaxReports: 2})
		put(t, s, newReport(1, "1000"))
		put(t, s, newReport(2, "1000"))
		before := listFiles(t, dir)
		_, err := s.Put(context.Background(), newReport(3, "1000"))
		var full *FullError
		if !errors.Is(err, ErrFull) || !errors.As(err, &full) || full.Reports != 2 || full.MaxReports != 2 {
			t.Fatalf("third Put: %v, want a *FullError for 2 of 2 reports", err)
		}
		if !strings.Contains(err.Error(), "could not be saved") || !strings.Contains(err.Error(), "2 of 2 reports") {
			t.Errorf("message %q does not tell the employee", err)
		}
		if after := listFiles(t, dir); strings.Join(after, ",") != strings.Join(before, ",") {
			t.Errorf("a refused Put left files: %v -> %v", before, after)
		}
		// An archived report no longer counts against MaxReports.
		first := s.List(Filter{})[0]
		if err := s.Archive(context.Background(), first.Key); err != nil {
			t.Fatal(err)
		}
		put(t, s, newReport(3, "1000"))
	})
	t.Run("bytes", func(t *testing.T) {
		s := open(t, t.TempDir(), Options{MaxBytes: 300 << 10})
		put(t, s, newReport(1, "1000", 200<<10))
		_, err := s.Put(context.Background(), newReport(2, "1000", 200<<10))
		var full *FullError
		if !errors.As(err, &full) || full.Need < 200<<10 || full.Bytes < 200<<10 {
			t.Fatalf("Put over MaxBytes: %v", err)
		}
		put(t, s, newReport(3, "1000", 10<<10))
		if st := s.Stats(); st.Bytes > 300<<10 || st.Bytes < 210<<10 {
			t.Errorf("Stats().Bytes = %d", st.Bytes)
		}
	})
}

func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

func TestUpdateStateRewritesOnlyTheStateFile(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{})
	r := newReport(1, "1000", 1000)
	put(t, s, r)
	bodyBefore, err := os.Stat(s.bodyPath(r.Key))
	if err != nil {
		t.Fatal(err)
	}
	next := t0.Add(2 * time.Hour)
	rec, err := s.UpdateState(context.Background(), r.Key, func(st *report.State) error {
		st.Destinations = append(st.Destinations, report.Destination{
			Name: "zendesk", State: report.FailedTransient, Attempts: 1, NextAttempt: next,
			LastError: "HTTP 503\nService Unavailable", Offline: true,
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Phrase() != report.PhraseOffline || rec.State.Destinations[0].LastError != "HTTP 503 Service Unavailable" {
		t.Errorf("after update: %q, %+v", rec.Phrase(), rec.State)
	}
	// A failing edit changes nothing.
	boom := errors.New("boom")
	if _, err := s.UpdateState(context.Background(), r.Key, func(st *report.State) error {
		st.Destinations = nil
		return boom
	}); !errors.Is(err, boom) {
		t.Errorf("UpdateState returned %v, want the edit's error", err)
	}
	s.Close()

	s = open(t, dir, Options{})
	got, err := s.Get(r.Key)
	if err != nil {
		t.Fatal(err)
	}
	if d := got.State.Destination("zendesk"); d == nil || d.Attempts != 1 || !d.NextAttempt.Equal(next) {
		t.Errorf("state after reopen: %+v", got.State)
	}
	bodyAfter, err := os.Stat(s.bodyPath(r.Key))
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(bodyBefore, bodyAfter) || !bodyAfter.ModTime().Equal(bodyBefore.ModTime()) {
		t.Error("UpdateState rewrote the body")
	}
	if _, err := s.UpdateState(context.Background(), newReport(9, "1000").Key, func(*report.State) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateState of an unknown key: %v", err)
	}
}

func TestArchiveKeepsTheRecordUntilPrune(t *testing.T) {
	dir := t.TempDir()
	clock := &testClock{now: t0.Add(time.Hour)}
	s := open(t, dir, Options{Now: clock.Now, KeepArchived: 24 * time.Hour})
	r := newReport(1, "1000", 5000)
	put(t, s, r)
	keep := newReport(2, "1000", 10)
	put(t, s, keep)
	if err := s.Archive(context.Background(), r.Key); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.bodyPath(r.Key)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("body still there: %v", err)
	}
	if _, err := s.Load(context.Background(), r.Key); !errors.Is(err, ErrGone) {
		t.Errorf("Load of an archived report: %v, want ErrGone", err)
	}
	if rec, err := s.Get(r.Key); err != nil || rec.ArchivedAt.IsZero() {
		t.Errorf("Get: %+v, %v", rec, err)
	}
	if got := keys(s.List(Filter{SkipArchived: true})); len(got) != 1 || got[0] != keep.Key {
		t.Errorf("SkipArchived lists %v", got)
	}
	if st := s.Stats(); st.Reports != 2 || st.Waiting != 1 {
		t.Errorf("stats %+v", st)
	}
	if got := keys(collect(s.Due(clock.now))); len(got) != 1 || got[0] != keep.Key {
		t.Errorf("Due lists %v, want only the unarchived report", got)
	}

	clock.now = clock.now.Add(23 * time.Hour)
	if n, err := s.Prune(context.Background()); err != nil || n != 0 {
		t.Errorf("early Prune removed %d, %v", n, err)
	}
	clock.now = clock.now.Add(2 * time.Hour)
	if n, err := s.Prune(context.Background()); err != nil || n != 1 {
		t.Errorf("Prune removed %d, %v; want 1", n, err)
	}
	if _, err := s.Get(r.Key); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Prune: %v", err)
	}
	s.Close()
	s = open(t, dir, Options{})
	if got := keys(s.List(Filter{})); len(got) != 1 || got[0] != keep.Key {
		t.Errorf("after reopen: %v", got)
	}
}

func TestArchiveCutShortIsFinishedAtOpen(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{})
	r := newReport(1, "1000", 100)
	put(t, s, r)
	body, err := os.ReadFile(s.bodyPath(r.Key))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Archive(context.Background(), r.Key); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// As if the crash came between writing the state and removing the body.
	if err := os.WriteFile(filepath.Join(dir, r.Key.String()+bodySuffix), body, 0o600); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir, Options{})
	if _, err := os.Stat(s.bodyPath(r.Key)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the archived report's body was not removed: %v", err)
	}
	if rec, err := s.Get(r.Key); err != nil || rec.ArchivedAt.IsZero() {
		t.Errorf("record: %+v, %v", rec, err)
	}
}

func TestListIsPerOwner(t *testing.T) {
	s := open(t, t.TempDir(), Options{})
	var ann, bob []report.Key
	for i := range 10 {
		owner := "1000"
		if i%3 == 0 {
			owner = "S-1-5-21-1004336348-1177238915-682003330-1001"
		}
		r := newReport(i, owner)
		put(t, s, r)
		if owner == "1000" {
			ann = append(ann, r.Key)
		} else {
			bob = append(bob, r.Key)
		}
	}
	if got := keys(s.List(Filter{Owner: "1000"})); !equalKeys(got, ann) {
		t.Errorf("ann's list: %v, want %v", got, ann)
	}
	if got := keys(s.List(Filter{Owner: "S-1-5-21-1004336348-1177238915-682003330-1001"})); !equalKeys(got, bob) {
		t.Errorf("bob's list: %v, want %v", got, bob)
	}
	if got := s.List(Filter{Owner: "1002"}); len(got) != 0 {
		t.Errorf("a stranger sees %d reports", len(got))
	}
	// Owner and reference together: how "show FL-XXXXX" finds a report.
	if got := keys(s.List(Filter{Owner: "1000", Reference: ann[2].Reference()})); len(got) != 1 || got[0] != ann[2] {
		t.Errorf("by reference: %v", got)
	}
	if got := s.List(Filter{Owner: "1002", Reference: ann[2].Reference()}); len(got) != 0 {
		t.Error("another owner finds ann's report by its reference")
	}
	// By overall state.
	if _, err := s.UpdateState(context.Background(), ann[0], func(st *report.State) error {
		st.Destinations = []report.Destination{{Name: "jira", State: report.NeedsAttention, LastError: "401"}}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := keys(s.List(Filter{States: []report.Overall{report.OverallNeedsAttention}})); len(got) != 1 || got[0] != ann[0] {
		t.Errorf("needs attention: %v", got)
	}
	if st := s.Stats(); st.NeedsAttention != 1 {
		t.Errorf("stats %+v", st)
	}
}

func equalKeys(a, b []report.Key) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func collect(seq func(func(report.Record) bool)) []report.Record {
	var out []report.Record
	for r := range seq {
		out = append(out, r)
	}
	return out
}

func TestDueIsInReceivedOrderAndSkipsWhatIsNotDue(t *testing.T) {
	s := open(t, t.TempDir(), Options{})
	now := t0.Add(time.Hour)
	var want []report.Key
	// Stored out of order: Due must still yield oldest first.
	for _, n := range []int{5, 1, 4, 2, 3, 0} {
		r := newReport(n, "1000")
		switch n {
		case 4: // waiting for a retry an hour from now
			r.State.Destinations = []report.Destination{{Name: "email", State: report.FailedTransient, NextAttempt: now.Add(time.Hour)}}
		case 2: // delivered
			r.State.Destinations = []report.Destination{{Name: "email", State: report.Delivered}}
		case 3: // stuck
			r.State.Destinations = []report.Destination{{Name: "email", State: report.NeedsAttention}}
		}
		put(t, s, r)
	}
	for _, n := range []int{0, 1, 5} {
		want = append(want, newReportKeyAt(s, n))
	}
	if got := keys(collect(s.Due(now))); !equalKeys(got, want) {
		t.Errorf("Due = %v, want %v", got, want)
	}
	if next, ok := s.NextDue(); !ok || next.After(now) {
		t.Errorf("NextDue = %v, %v", next, ok)
	}
	// Walking on after the first yield, while the loop changes things.
	var seen []report.Key
	for rec := range s.Due(now) {
		seen = append(seen, rec.Key)
		if _, err := s.UpdateState(context.Background(), rec.Key, func(st *report.State) error {
			st.Destinations = []report.Destination{{Name: "email", State: report.Delivered}}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := s.Archive(context.Background(), rec.Key); err != nil {
			t.Fatal(err)
		}
	}
	if !equalKeys(seen, want) {
		t.Errorf("draining saw %v, want %v", seen, want)
	}
	if got := collect(s.Due(now)); len(got) != 0 {
		t.Errorf("still due after draining: %v", keys(got))
	}
	if next, ok := s.NextDue(); !ok || !next.Equal(now.Add(time.Hour)) {
		t.Errorf("NextDue = %v, %v; want the retry in an hour", next, ok)
	}
}

// newReportKeyAt finds the key of report n (keys are random, so look it
// up by its text).
func newReportKeyAt(s *Spool, n int) report.Key {
	for rec := range s.All(Filter{}) {
		if rec.CreatedAt.Equal(t0.Add(time.Duration(n) * time.Second)) {
			return rec.Key
		}
	}
	return report.Key{}
}

func TestWalkCopesWithRemovalBetweenBatches(t *testing.T) {
	s := open(t, t.TempDir(), Options{noSync: true})
	const n = 3*walkBatch + 5
	for i := range n {
		put(t, s, newReport(i, "1000"))
	}
	all := keys(s.List(Filter{}))
	seen := 0
	for rec := range s.All(Filter{}) {
		if rec.Key != all[seen] {
			t.Fatalf("record %d is %s, want %s", seen, rec.Key, all[seen])
		}
		seen++
		// Remove the record just yielded: the walk must resume after it.
		if err := s.Remove(context.Background(), rec.Key); err != nil {
			t.Fatal(err)
		}
	}
	if seen != n {
		t.Errorf("saw %d records, want %d", seen, n)
	}
}

func TestOpenRemovesLeftoverTempFilesAndKeepsStrangers(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{})
	r := newReport(1, "1000", 10)
	put(t, s, r)
	s.Close()
	for _, name := range []string{".tmp-" + r.Key.String() + ".body-123", ".tmp-x.state-9"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("half a report"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("not ours"), 0o600); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir, Options{})
	got := listFiles(t, dir)
	want := []string{r.Key.String() + bodySuffix, r.Key.String() + stateSuffix, "README", lockName, quarantineDir}
	if strings.Join(sorted(got), ",") != strings.Join(sorted(want), ",") {
		t.Errorf("files after Open: %v, want %v", got, want)
	}
	if _, err := s.Load(context.Background(), r.Key); err != nil {
		t.Error(err)
	}
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func TestSecondOpenIsRefused(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{})
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Errorf("second Open: %v, want ErrLocked", err)
	}
	s.Close()
	if _, err := s.Put(context.Background(), newReport(1, "1000")); !errors.Is(err, ErrClosed) {
		t.Errorf("Put after Close: %v", err)
	}
	open(t, dir, Options{})
}

func TestBodyStreamsAttachments(t *testing.T) {
	s := open(t, t.TempDir(), Options{})
	r := newReport(1, "1000", 300<<10, 5)
	put(t, s, r)
	b, err := s.Body(context.Background(), r.Key)
	if err != nil {
		t.Fatal(err)
	}
	if b.Report.Text != r.Text || len(b.Report.Attachments) != 2 || b.Report.Attachments[0].Data != nil {
		t.Errorf("Body.Report: %+v", b.Report.Submission)
	}
	for i, a := range r.Attachments {
		got, err := io.ReadAll(b.Attachment(i))
		if err != nil || string(got) != string(a.Data) {
			t.Errorf("attachment %d: %d bytes, %v", i, len(got), err)
		}
	}
	if _, err := io.ReadAll(b.Attachment(2)); err == nil {
		t.Error("Attachment(2) of two gave no error")
	}
	if err := b.Close(); err != nil {
		t.Error(err)
	}
}

func TestPutRefusesWhatItCouldNotReadBack(t *testing.T) {
	s := open(t, t.TempDir(), Options{})
	r := newReport(1, "1000")
	r.Attachments = make([]report.Attachment, maxSections)
	for i := range r.Attachments {
		r.Attachments[i] = report.Attachment{Name: "a", Kind: report.KindFile}
	}
	if _, err := s.Put(context.Background(), r); err == nil || errors.Is(err, ErrFull) {
		t.Errorf("Put of %d attachments: %v", len(r.Attachments), err)
	}
	r.Attachments = r.Attachments[:maxSections-1]
	put(t, s, r)
	if got, err := s.Load(context.Background(), r.Key); err != nil || len(got.Attachments) != maxSections-1 {
		t.Errorf("Load: %d attachments, %v", len(got.Attachments), err)
	}
	if _, err := s.Put(context.Background(), report.Report{}); err == nil {
		t.Error("Put of a report without key and owner succeeded")
	}
}
