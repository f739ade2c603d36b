package notices

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/notices/minisign"
)

func openStore(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := OpenStore(StoreOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestUserStateSurvivesRestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "notices")
	s := openStore(t, dir)
	if _, err := s.Record("1000", ActionSeen, []string{"a", "b"}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record("1000", ActionAck, []string{"a"}, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record("1000", ActionMeToo, []string{"c"}, t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	// Again: the first time stays.
	if _, err := s.Record("1000", ActionAck, []string{"a"}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record("1001", ActionDismiss, []string{"a"}, t0); err != nil {
		t.Fatal(err)
	}

	reopened := openStore(t, dir) // as after a service restart
	got, err := reopened.Load("1000")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Record{
		"a": {Seen: t0, Acked: t0.Add(time.Minute)},
		"b": {Seen: t0},
		"c": {Seen: t0.Add(2 * time.Minute), MeToo: t0.Add(2 * time.Minute)},
	}
	if len(got.Notices) != len(want) {
		t.Fatalf("user 1000 = %+v, want %+v", got.Notices, want)
	}
	for id, w := range want {
		g := got.Notices[id]
		if !g.Seen.Equal(w.Seen) || !g.Acked.Equal(w.Acked) || !g.MeToo.Equal(w.MeToo) || !g.Dismissed.Equal(w.Dismissed) {
			t.Errorf("%s = %+v, want %+v", id, g, w)
		}
	}
	other, _ := reopened.Load("1001")
	if len(other.Notices) != 1 || other.Notices["a"].Dismissed.IsZero() {
		t.Errorf("user 1001 = %+v; each user has their own state", other)
	}
	if fresh, err := reopened.Load("1002"); err != nil || len(fresh.Notices) != 0 {
		t.Errorf("a new user: %+v, %v", fresh, err)
	}
}

func TestStorePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes")
	}
	dir := filepath.Join(t.TempDir(), "notices")
	if err := os.MkdirAll(dir, 0o755); err != nil { // an existing, too open folder
		t.Fatal(err)
	}
	s := openStore(t, dir)
	if _, err := s.Record("1000", ActionSeen, []string{"a"}, t0); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{
		dir:                                   0o700,
		filepath.Join(dir, "users"):           0o700,
		filepath.Join(dir, "users/1000.json"): 0o600,
	} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: %v %v, want %04o", path, fi.Mode().Perm(), err, want)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "users"))
	if len(entries) != 1 {
		t.Errorf("users folder holds %d entries, want only the state file (no temporary files left)", len(entries))
	}
}

func TestStoreRefusesBadUsersAndIDs(t *testing.T) {
	s := openStore(t, t.TempDir())
	for _, user := range []string{"", "../1000", "a/b", `a\b`, "1000.json", string(bytes.Repeat([]byte("1"), 129))} {
		if _, err := s.Record(user, ActionSeen, []string{"a"}, t0); err == nil {
			t.Errorf("Record accepted user %q", user)
		}
	}
	if _, err := s.Record("S-1-5-21-1004336348-1177238915-682003330-512", ActionSeen, []string{"a"}, t0); err != nil {
		t.Errorf("a Windows SID: %v", err)
	}
	if _, err := s.Record("1000", ActionSeen, []string{"../x"}, t0); err == nil {
		t.Error("Record accepted a bad notice id")
	}
	if _, err := s.Record("1000", Action("explode"), []string{"a"}, t0); err == nil {
		t.Error("Record accepted an unknown action")
	}
}

func TestStoreConcurrentUpdatesAreNotLost(t *testing.T) {
	s := openStore(t, t.TempDir())
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Record("1000", ActionSeen, []string{fmt.Sprintf("n%d", i)}, t0); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	st, _ := s.Load("1000")
	if len(st.Notices) != 20 {
		t.Errorf("%d records, want 20", len(st.Notices))
	}
}

func TestStoreMovesAsideAnUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	path := filepath.Join(dir, "users", "1000.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := s.Record("1000", ActionAck, []string{"a"}, t0)
	if err != nil || st.Notices["a"].Acked.IsZero() {
		t.Fatalf("Record after corruption = %+v, %v", st, err)
	}
	if b, err := os.ReadFile(path + ".corrupt"); err != nil || string(b) != "{not json" {
		t.Errorf("the unreadable file was not kept aside: %q %v", b, err)
	}
}

func TestPrune(t *testing.T) {
	u := UserState{Notices: map[string]Record{
		"current":     {Seen: t0.Add(-100 * 24 * time.Hour)},
		"gone-old":    {Seen: t0.Add(-100 * 24 * time.Hour)},
		"gone-recent": {Seen: t0.Add(-100 * 24 * time.Hour), Acked: t0.Add(-time.Hour)},
	}}
	u.Prune(func(id string) bool { return id == "current" }, t0, 30*24*time.Hour)
	if _, ok := u.Notices["gone-old"]; ok || len(u.Notices) != 2 {
		t.Errorf("after Prune: %v", u.Notices)
	}
}

func TestFeedStateSurvivesRestartAndIsVerifiedAgain(t *testing.T) {
	dir := t.TempDir()
	key := newKey(t)
	keys := []minisign.PublicKey{key.Public()}
	data, sig := encode(t, key, feedOf(12, notice("a", SeverityInfo, t0)))
	st, err := Accept(State{}, data, sig, keys, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := openStore(t, dir).SaveFeed(st); err != nil {
		t.Fatal(err)
	}

	s := openStore(t, dir)
	back, err := s.LoadFeed(keys, t0.Add(time.Hour))
	if err != nil || back.Sequence != 12 || back.Feed == nil || back.Feed.Notices[0].ID != "a" ||
		back.Digest != st.Digest || !back.AcceptedAt.Equal(t0) {
		t.Fatalf("LoadFeed = %+v, %v", back, err)
	}
	// The rollback floor holds after the restart.
	old, oldSig := encode(t, key, feedOf(11))
	if _, err := Accept(back, old, oldSig, keys, t0); !isReason(err, ReasonRollback) {
		t.Errorf("rollback after restart: %v", err)
	}

	// The signing key retired: the notices go, the floor stays, and the
	// same feed fetched again (signed by the new key) is taken back.
	newKeys := []minisign.PublicKey{newKey(t).Public()}
	floor, err := s.LoadFeed(newKeys, t0)
	if err != nil || floor.Sequence != 12 || floor.Feed != nil {
		t.Errorf("LoadFeed with other keys = %+v, %v; want the floor only", floor, err)
	}
	// A damaged file: the same.
	path := filepath.Join(dir, "feed.json")
	raw, _ := os.ReadFile(path)
	if err := os.WriteFile(path, bytes.Replace(raw, []byte(`"sequence": 12`), []byte(`"sequence": 13`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	if floor, err := s.LoadFeed(keys, t0); err != nil || floor.Feed != nil || floor.Sequence != 13 {
		t.Errorf("LoadFeed of an edited file = %+v, %v; want its notices dropped", floor, err)
	}

	if empty, err := openStore(t, t.TempDir()).LoadFeed(keys, t0); err != nil || empty.Sequence != 0 || empty.Feed != nil {
		t.Errorf("LoadFeed with nothing saved = %+v, %v", empty, err)
	}
	if err := os.WriteFile(path, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadFeed(keys, t0); err == nil || !errors.Is(err, errCorrupt) {
		t.Errorf("LoadFeed of garbage = %v, want an error", err)
	}
}

func TestAcceptTakesBackTheSameFeedAfterTheFloor(t *testing.T) {
	key := newKey(t)
	data, sig := encode(t, key, feedOf(12, notice("a", SeverityInfo, t0)))
	full, _ := Accept(State{}, data, sig, []minisign.PublicKey{key.Public()}, t0)
	floor := State{Sequence: full.Sequence, Digest: full.Digest}
	st, err := Accept(floor, data, sig, []minisign.PublicKey{key.Public()}, t0)
	if err != nil || st.Feed == nil {
		t.Errorf("Accept(floor, same feed) = %+v, %v; want it taken back", st, err)
	}
}
