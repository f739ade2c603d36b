//go:build unix

package runner

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/firstline-it/firstline/internal/fixes"
)

// setLinkTime sets the times of the link itself, not of its target.
func setLinkTime(t *testing.T, path string, mtime time.Time) {
	t.Helper()
	ts := unix.NsecToTimespec(mtime.UnixNano())
	if err := unix.UtimesNanoAt(unix.AT_FDCWD, path, []unix.Timespec{ts, ts}, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		t.Fatal(err)
	}
}

// TestRemoveOldSandbox cleans a root full of old and new files, links
// pointing outside, a socket-like FIFO and excluded folders.
func TestRemoveOldSandbox(t *testing.T) {
	// The runner's clock runs 40 days ahead: a test cannot age a file's
	// change time, but it can make the present look old.
	now := time.Now().Add(40 * 24 * time.Hour)
	old := now.Add(-30 * 24 * time.Hour)
	root := t.TempDir()
	outside := t.TempDir()
	mustWrite(t, filepath.Join(outside, "precious"), 4096, old)
	mustWrite(t, filepath.Join(outside, "dir", "precious2"), 4096, old)

	mustWrite(t, filepath.Join(root, "old.tmp"), 1000, old)
	mustWrite(t, filepath.Join(root, "new.tmp"), 1000, now.Add(-time.Hour))
	mustWrite(t, filepath.Join(root, "a", "b", "c", "deep-old"), 300, old)
	mustWrite(t, filepath.Join(root, "a", "fresh"), 300, now)
	mustWrite(t, filepath.Join(root, "systemd-private-abc", "old-but-excluded"), 50, old)
	mustWrite(t, filepath.Join(root, "emptyme", "old"), 7, old)
	if err := os.Symlink(filepath.Join(outside, "precious"), filepath.Join(root, "link-to-file")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "dir"), filepath.Join(root, "link-to-dir")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../../../../../../../etc", filepath.Join(root, "a", "relative-escape")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "fifo"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"emptyme", "a/b/c", "a/b"} {
		os.Chtimes(filepath.Join(root, p), old, old)
	}
	for _, p := range []string{"link-to-file", "link-to-dir", "a/relative-escape"} {
		setLinkTime(t, filepath.Join(root, p), old)
	}

	fix := execFix("clean", fixes.RemoveOld{Root: "temp", OlderThan: 7 * 24 * time.Hour, Exclude: []string{"systemd-private-*"}})
	clock := &fakeClock{now: now}
	r, _ := newTestRunner(t, nil, fixes.RunsAsSystem, catalogOf(fix), func(o *Options) {
		o.Roots, o.Now = map[string]string{"temp": root}, clock.Now
	})
	var lines []string
	res, err := r.Run(context.Background(), Request{FixID: "clean", Caller: alice()}, func(p Progress) {
		if p.Event == EventOutput {
			lines = append(lines, p.Line)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Success {
		t.Fatalf("%+v", res)
	}
	gone := []string{"old.tmp", "a/b/c/deep-old", "a/b/c", "a/b", "emptyme", "link-to-file", "link-to-dir", "a/relative-escape"}
	kept := []string{"new.tmp", "a/fresh", "a", "systemd-private-abc/old-but-excluded", "fifo"}
	for _, p := range gone {
		if exists(filepath.Join(root, p)) {
			t.Errorf("%s was kept", p)
		}
	}
	for _, p := range kept {
		if !exists(filepath.Join(root, p)) {
			t.Errorf("%s was deleted", p)
		}
	}
	for _, p := range []string{"precious", "dir/precious2"} {
		if !exists(filepath.Join(outside, p)) {
			t.Fatalf("%s outside the root was deleted through a link", p)
		}
	}
	if !exists("/etc/passwd") {
		t.Fatal("…")
	}
	// Regular files only count: 1000 + 300 + 7 bytes; links free nothing.
	if res.Reclaimed != 1307 || res.Steps[0].Removed != 6 {
		t.Errorf("reclaimed %d bytes, removed %d", res.Reclaimed, res.Steps[0].Removed)
	}
	if last := lines[len(lines)-1]; last != "Deleted 6 files in "+root+", 1.3 KB freed" {
		t.Errorf("summary line %q", last)
	}
}

// TestUnpackedOldDatesAreNotOld: a file whose dates say ten years but
// which arrived today (unpacked, copied) is kept; a runner told to judge by
// modification time alone deletes it.
func TestUnpackedOldDatesAreNotOld(t *testing.T) {
	for _, byMod := range []bool{false, true} {
		root := t.TempDir()
		mustWrite(t, filepath.Join(root, "unpacked", "README"), 100, time.Now().AddDate(-10, 0, 0))
		fix := execFix("clean", fixes.RemoveOld{Root: "temp", OlderThan: 24 * time.Hour})
		r, _ := newTestRunner(t, nil, fixes.RunsAsSystem, catalogOf(fix), func(o *Options) {
			o.Roots, o.AgeByModTime = map[string]string{"temp": root}, byMod
		})
		res, err := r.Run(context.Background(), Request{FixID: "clean", Caller: alice()}, nil)
		if err != nil || res.Outcome != Success {
			t.Fatal(err, res)
		}
		if kept := exists(filepath.Join(root, "unpacked", "README")); kept == byMod {
			t.Errorf("AgeByModTime %v: kept = %v", byMod, kept)
		}
	}
}

func TestRemoveOldPatternAndZeroAge(t *testing.T) {
	root := t.TempDir()
	now := time.Now()
	mustWrite(t, filepath.Join(root, "job1.SPL"), 10, now.Add(-time.Second))
	mustWrite(t, filepath.Join(root, "job1.SHD"), 10, now.Add(-time.Second))
	mustWrite(t, filepath.Join(root, "keep.txt"), 10, now.Add(-time.Hour))
	fix := execFix("spool", fixes.RemoveOld{Root: "temp", Pattern: "*.SPL"})
	r, _ := newTestRunner(t, nil, fixes.RunsAsSystem, catalogOf(fix), func(o *Options) { o.Roots = map[string]string{"temp": root} })
	res, err := r.Run(context.Background(), Request{FixID: "spool", Caller: alice()}, nil)
	if err != nil || res.Outcome != Success {
		t.Fatal(err, res)
	}
	if exists(filepath.Join(root, "job1.SPL")) || !exists(filepath.Join(root, "job1.SHD")) || !exists(filepath.Join(root, "keep.txt")) {
		t.Error("pattern not applied")
	}
}

// TestRemoveOldPathThroughLink: a folder named by the step that is a link
// (to outside, or even inside) is not cleaned.
func TestRemoveOldPathThroughLink(t *testing.T) {
	home := t.TempDir()
	outside := t.TempDir()
	mustWrite(t, filepath.Join(outside, "Cache", "precious"), 10, time.Now().Add(-time.Hour))
	os.MkdirAll(filepath.Join(home, "Slack"), 0o755)
	if err := os.Symlink(filepath.Join(outside, "Cache"), filepath.Join(home, "Slack", "Cache")); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(home, "real", "x"), 10, time.Now().Add(-time.Hour))
	if err := os.Symlink("real", filepath.Join(home, "inside")); err != nil {
		t.Fatal(err)
	}
	fix := fixes.Fix{ID: "c", Title: "C", Description: "C.", Group: fixes.GroupMeetings, OS: []string{fixes.Linux},
		RunsAs: fixes.RunsAsUser, Steps: []fixes.Step{
			fixes.RemoveOld{Root: "user-data", Paths: []string{"Slack/Cache", "inside", "missing/folder"}},
		}}
	r, _ := newTestRunner(t, nil, fixes.RunsAsUser, catalogOf(fix), func(o *Options) { o.Roots = map[string]string{"user-data": home} })
	res, err := r.Run(context.Background(), Request{FixID: "c", Caller: alice()}, nil)
	if err != nil || res.Outcome != Success {
		t.Fatal(err, res)
	}
	if !exists(filepath.Join(outside, "Cache", "precious")) || !exists(filepath.Join(home, "real", "x")) {
		t.Error("a folder reached through a link was cleaned")
	}
	out := res.Steps[0].Output
	if !strings.Contains(out, "skipped") || !strings.Contains(out, "nothing to clean") {
		t.Errorf("output %q", out)
	}
}

func TestRemoveOldUnknownRootFails(t *testing.T) {
	fix := execFix("c", fixes.RemoveOld{Root: "var-tmp"})
	r, _ := newTestRunner(t, nil, fixes.RunsAsSystem, catalogOf(fix), func(o *Options) { o.Roots = map[string]string{} })
	res, err := r.Run(context.Background(), Request{FixID: "c", Caller: alice()}, nil)
	if err != nil || res.Outcome != Failed || !strings.Contains(res.Message, "not available") {
		t.Fatal(err, res)
	}
}

func TestRemoveOldReportsFilesItCannotDelete(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can delete anything")
	}
	root := t.TempDir()
	old := time.Now().Add(-48 * time.Hour)
	mustWrite(t, filepath.Join(root, "locked", "f"), 10, old)
	os.Chmod(filepath.Join(root, "locked"), 0o500)
	t.Cleanup(func() { os.Chmod(filepath.Join(root, "locked"), 0o700) })
	fix := execFix("c", fixes.RemoveOld{Root: "temp", OlderThan: time.Hour})
	r, _ := newTestRunner(t, nil, fixes.RunsAsSystem, catalogOf(fix), func(o *Options) { o.Roots = map[string]string{"temp": root} })
	res, _ := r.Run(context.Background(), Request{FixID: "c", Caller: alice()}, nil)
	if res.Outcome != Success || !strings.Contains(res.Steps[0].Output, "1 could not be deleted") {
		t.Errorf("%+v", res.Steps[0])
	}
}
