package audit

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func fixedClock() func() time.Time {
	t := time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

func rec(uid, fix string, start time.Time) Record {
	exit := 0
	return Record{UID: uid, User: "user" + uid, Runner: "system", FixID: fix, Params: map[string]string{"days": "7"},
		Start: start, End: start.Add(time.Second), Result: ResultSuccess,
		Steps: []Step{{N: 1, Kind: "exec", Status: "ok", Exit: &exit}}}
}

func TestRecordsSurviveReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	t0 := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	l, err := Open(path, Options{Now: fixedClock()})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Append(rec("1000", "flush-dns", t0)); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Append(rec("1000", "x", t0)); err == nil {
		t.Error("Append after Close succeeded")
	}

	l, err = Open(path, Options{Now: fixedClock()})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	refused := Record{UID: "1001", Runner: "system", FixID: "free-disk-space", Start: t0.Add(time.Hour), End: t0.Add(time.Hour),
		Result: ResultRefused, Code: "bad-params", Reason: "parameter days: 900 is out of range"}
	if err := l.Append(refused); err != nil {
		t.Fatal(err)
	}

	got, err := Read(path, Filter{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d records, want 2", len(got))
	}
	if got[0].FixID != "flush-dns" || got[0].User != "user1000" || got[0].Params["days"] != "7" ||
		*got[0].Steps[0].Exit != 0 || !got[0].Start.Equal(t0) || got[0].Time.IsZero() {
		t.Errorf("first record = %+v", got[0])
	}
	if got[1].Result != ResultRefused || got[1].Code != "bad-params" || got[1].Steps != nil {
		t.Errorf("second record = %+v", got[1])
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %o, want 600", fi.Mode().Perm())
		}
	}
}

func TestOpenTightensExistingFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("mode bits")
	}
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %o, want 600", fi.Mode().Perm())
	}
}

func TestTornLastLineIsSkippedWithWarning(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	t0 := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	l, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l.Append(rec("1000", "flush-dns", t0))
	l.Close()
	// A crash in the middle of a write leaves half a record.
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"time":"2025-03-04T10:00:00Z","uid":"1000","fix":"renew-net`)
	f.Close()

	msgs, logger := newCapture()
	got, err := Read(path, Filter{}, logger)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].FixID != "flush-dns" {
		t.Fatalf("got %+v", got)
	}
	if !msgs.has("damaged") {
		t.Errorf("no warning about the torn line; got %q", msgs.all())
	}

	// Appending after the torn line must not glue the new record to it.
	openMsgs, openLogger := newCapture()
	l, err = Open(path, Options{Logger: openLogger})
	if err != nil {
		t.Fatal(err)
	}
	if !openMsgs.has("incomplete record") {
		t.Errorf("Open did not warn about the torn line; got %q", openMsgs.all())
	}
	l.Append(rec("1000", "resync-clock", t0))
	l.Close()
	got, err = Read(path, Filter{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].FixID != "resync-clock" {
		t.Fatalf("after append: %+v", got)
	}
}

func TestDamagedAndOversizedLinesAreSkipped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	good := `{"uid":"1","fix":"a","result":"success"}`
	content := good + "\n" + "garbage\n" + "{}\n" + `{"uid":` + strings.Repeat("9", maxRecordBytes+10) + "}\n" + good + "\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	msgs, logger := newCapture()
	got, err := Read(path, Filter{}, logger)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d records, want 2", len(got))
	}
	if !msgs.has("too long") || !msgs.has("damaged") {
		t.Errorf("warnings: %q", msgs.all())
	}
}

func TestFilter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	for i, r := range []Record{
		rec("1000", "flush-dns", t0),
		rec("1001", "flush-dns", t0.Add(time.Hour)),
		rec("1000", "free-disk-space", t0.Add(2*time.Hour)),
		rec("1000", "flush-dns", t0.Add(3*time.Hour)),
	} {
		if err := l.Append(r); err != nil {
			t.Fatal(i, err)
		}
	}
	l.Close()
	tests := []struct {
		name string
		f    Filter
		want []string // fix@hour
	}{
		{"all", Filter{}, []string{"flush-dns@9", "flush-dns@10", "free-disk-space@11", "flush-dns@12"}},
		{"uid", Filter{UID: "1000"}, []string{"flush-dns@9", "free-disk-space@11", "flush-dns@12"}},
		{"since", Filter{Since: t0.Add(2 * time.Hour)}, []string{"free-disk-space@11", "flush-dns@12"}},
		{"uid and fix", Filter{UID: "1000", FixID: "flush-dns"}, []string{"flush-dns@9", "flush-dns@12"}},
		{"limit keeps newest", Filter{Limit: 2}, []string{"free-disk-space@11", "flush-dns@12"}},
		{"nobody", Filter{UID: "0"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(path, tc.f, nil)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range got {
				ids = append(ids, fmt.Sprintf("%s@%d", r.FixID, r.Start.Hour()))
			}
			if strings.Join(ids, ",") != strings.Join(tc.want, ",") {
				t.Errorf("got %v, want %v", ids, tc.want)
			}
		})
	}
}

func TestRotationBoundsSizeAndKeepsOrder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	l, err := Open(path, Options{MaxBytes: 1000, Keep: 2})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)
	const n = 40
	for i := range n {
		if err := l.Append(rec("1000", fmt.Sprintf("fix-%02d", i), t0.Add(time.Duration(i)*time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	entries, _ := os.ReadDir(dir)
	var total int64
	for _, e := range entries {
		fi, _ := e.Info()
		total += fi.Size()
		if fi.Size() > 1000 {
			t.Errorf("%s is %d bytes, over the bound", e.Name(), fi.Size())
		}
	}
	if len(entries) != 3 {
		t.Errorf("%d files, want the log and 2 rotated", len(entries))
	}
	got, err := Read(path, Filter{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || len(got) >= n {
		t.Fatalf("%d records after rotation", len(got))
	}
	if last := got[len(got)-1].FixID; last != fmt.Sprintf("fix-%02d", n-1) {
		t.Errorf("newest record %s", last)
	}
	for i := 1; i < len(got); i++ {
		if !got[i].Start.After(got[i-1].Start) {
			t.Fatalf("records out of order at %d: %s then %s", i, got[i-1].FixID, got[i].FixID)
		}
	}
}

func TestConcurrentAppendsStayWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				if err := l.Append(rec(fmt.Sprint(g), fmt.Sprintf("fix-%d", i), time.Now())); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	l.Close()
	msgs, logger := newCapture()
	got, err := Read(path, Filter{}, logger)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 160 || len(msgs.all()) != 0 {
		t.Fatalf("%d records, warnings %q", len(got), msgs.all())
	}
}

// FuzzReadLines checks the bounded line splitter against bytes.Split.
func FuzzReadLines(f *testing.F) {
	f.Add([]byte("a\nb\n"), 3)
	f.Add([]byte("no newline"), 1)
	f.Add([]byte("\n\n\n"), 2)
	f.Add([]byte(`{"uid":"1","fix":"a"}`+"\n"+`{"uid":"2"`), 7)
	f.Fuzz(func(t *testing.T, data []byte, chunk int) {
		var got [][]byte
		err := readLines(&slowReader{data: data, n: 1 + abs(chunk)%64}, func(_ int, line []byte) {
			got = append(got, bytes.Clone(line))
		})
		if err != nil {
			t.Fatal(err)
		}
		want := bytes.Split(data, []byte("\n"))
		if len(data) == 0 || data[len(data)-1] == '\n' {
			want = want[:len(want)-1]
		}
		if len(got) != len(want) {
			t.Fatalf("%d lines, want %d", len(got), len(want))
		}
		for i := range want {
			if !bytes.Equal(got[i], want[i]) && !(len(want[i]) > maxRecordBytes && got[i] == nil) {
				t.Fatalf("line %d = %q, want %q", i, got[i], want[i])
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// slowReader returns at most n bytes per Read, to exercise lines split
// across reads.
type slowReader struct {
	data []byte
	n    int
}

func (r *slowReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n, len(r.data))
	copy(p, r.data[:k])
	r.data = r.data[k:]
	return k, nil
}
