package spool

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/report"
)

// t0 is the tests' "now".
var t0 = time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)

// testClock is a settable clock for Options.Now.
type testClock struct{ now time.Time }

func (c *testClock) Now() time.Time { return c.now }

// newReport returns a valid report numbered n, with attachments of the
// given sizes whose content depends on n, so a mix-up shows.
func newReport(n int, owner string, sizes ...int) report.Report {
	created := t0.Add(time.Duration(n) * time.Second)
	sub := report.Submission{
		Key:       report.NewKey(created),
		CreatedAt: created,
		Text:      fmt.Sprintf("Report %d: the printer on floor 3 is offline\nsince this morning", n),
		Category:  "printing",
		Severity:  report.SeverityBlocked,
		Callback:  report.Callback{Method: report.CallbackPhone, Number: "+44 20 7946 0000"},
		Snapshot:  json.RawMessage(fmt.Sprintf(`{"n":%d,"os":"Debian 12"}`, n)),
	}
	for i, size := range sizes {
		sub.Attachments = append(sub.Attachments, report.Attachment{
			Name:        fmt.Sprintf("file-%d.bin", i),
			ContentType: "application/octet-stream",
			Kind:        report.KindFile,
			Data:        bytes.Repeat([]byte{byte(n), byte(i), 0xA5}, size/3+1)[:size],
		})
	}
	return report.NewReport(sub, report.Owner{UID: owner, Name: "user" + owner}, created.Add(time.Millisecond))
}

// open opens a spool in dir with a test clock and fails the test on error.
func open(t testing.TB, dir string, opts Options) *Spool {
	t.Helper()
	if opts.Now == nil {
		opts.Now = (&testClock{now: t0.Add(time.Hour)}).Now
	}
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func put(t testing.TB, s *Spool, r report.Report) report.Record {
	t.Helper()
	rec, err := s.Put(context.Background(), r)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	return rec
}

// sameContent compares what the app sent with what the spool gives back.
func sameContent(t testing.TB, got, want report.Report) {
	t.Helper()
	if got.Key != want.Key || got.Text != want.Text || got.Owner != want.Owner || got.Reference != want.Key.Reference() ||
		!got.CreatedAt.Equal(want.CreatedAt) || got.Callback != want.Callback || got.Severity != want.Severity ||
		!bytes.Equal(got.Snapshot, want.Snapshot) || len(got.Attachments) != len(want.Attachments) {
		t.Fatalf("report differs:\n got %+v\nwant %+v", got.Submission, want.Submission)
	}
	for i := range want.Attachments {
		g, w := got.Attachments[i], want.Attachments[i]
		if g.Name != w.Name || g.Kind != w.Kind || g.ContentType != w.ContentType || !bytes.Equal(g.Data, w.Data) {
			t.Fatalf("attachment %d differs: %s %d bytes, want %s %d bytes", i, g.Name, len(g.Data), w.Name, len(w.Data))
		}
	}
}

// keys returns the keys of recs.
func keys(recs []report.Record) []report.Key {
	out := make([]report.Key, len(recs))
	for i, r := range recs {
		out[i] = r.Key
	}
	return out
}

// quarantined lists the quarantine folder.
func quarantined(t testing.TB, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(filepath.Join(dir, quarantineDir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	slices.Sort(names)
	return names
}

// snapshot reads the spool files (not subfolders) of dir.
func snapshot(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, de := range des {
		if de.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, de.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[de.Name()] = data
	}
	return files
}

// restore makes dir hold exactly files (and an empty quarantine), so that
// a test damaging files in a loop starts every round from the same spool.
// It rewrites only what changed: creating files is the slow part.
func restore(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, quarantineDir), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{dir, filepath.Join(dir, quarantineDir)} {
		des, err := os.ReadDir(sub)
		if err != nil {
			t.Fatal(err)
		}
		for _, de := range des {
			if _, keep := files[de.Name()]; !de.IsDir() && (!keep || sub != dir) {
				if err := os.Remove(filepath.Join(sub, de.Name())); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
			continue
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
