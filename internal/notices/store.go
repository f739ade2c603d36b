package notices

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/notices/minisign"
	"github.com/firstline-it/firstline/internal/privdir"
)

// Store keeps notice state on disk under the service's state folder:
//
//	DIR/feed.json         the last accepted feed (State), for the rollback
//	                      floor and the notices across restarts
//	DIR/users/USER.json   one employee's seen/acknowledged/dismissed/me-too
//
// The folders are private (0700, or SYSTEM and Administrators on Windows)
// and the files 0600; every write goes to a temporary file that is synced
// and renamed over the old one, so a crash leaves the old or the new
// content, never a mix. A Store is safe for concurrent use.
type Store struct {
	dir string
	log *slog.Logger

	mu    sync.Mutex
	users map[string]*sync.Mutex // per-user locks for read-modify-write
}

// StoreOptions configure OpenStore.
type StoreOptions struct {
	// Dir is the notices state folder, for instance STATE_DIR/notices.
	Dir string
	// Logger defaults to discarding.
	Logger *slog.Logger
}

// maxStateFile bounds what is read back from a state file.
const maxStateFile = 4 << 20

// OpenStore creates the folders if needed and returns the store.
func OpenStore(opts StoreOptions) (*Store, error) {
	if opts.Dir == "" {
		return nil, errors.New("notice state: no folder given")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	users := filepath.Join(opts.Dir, "users")
	if err := privdir.MkdirAll(users); err != nil {
		return nil, fmt.Errorf("creating the notice state folder: %w", err)
	}
	for _, d := range []string{opts.Dir, users} {
		if err := makePrivate(d); err != nil {
			return nil, fmt.Errorf("securing the notice state folder: %w", err)
		}
	}
	return &Store{dir: opts.Dir, log: opts.Logger, users: map[string]*sync.Mutex{}}, nil
}

// UserState is one employee's state of the notices.
type UserState struct {
	// Notices are keyed by notice ID.
	Notices map[string]Record `json:"notices"`
}

// Record is what one employee did with one notice, and when. Zero times
// mean "not yet".
type Record struct {
	Seen      time.Time `json:"seen,omitzero"`
	Acked     time.Time `json:"acked,omitzero"`
	Dismissed time.Time `json:"dismissed,omitzero"`
	MeToo     time.Time `json:"me_too,omitzero"`
}

// lastTouched is the latest time in r.
func (r Record) lastTouched() time.Time {
	t := r.Seen
	for _, u := range []time.Time{r.Acked, r.Dismissed, r.MeToo} {
		if u.After(t) {
			t = u
		}
	}
	return t
}

// userFile is the on-disk form, versioned for later changes.
type userFile struct {
	Version int `json:"version"`
	UserState
}

const userFileVersion = 1

// Action is something an employee does with a notice.
type Action string

// The actions.
const (
	ActionSeen    Action = "seen"
	ActionAck     Action = "ack"
	ActionDismiss Action = "dismiss"
	ActionMeToo   Action = "me_too"
)

// userPath is the file of user, an identity the kernel reported: a uid on
// Unix, a SID on Windows. Anything that could name another path is refused.
func (s *Store) userPath(user string) (string, error) {
	if !validUserKey(user) {
		return "", fmt.Errorf("notice state: %q is not a user id", user)
	}
	return filepath.Join(s.dir, "users", user+".json"), nil
}

func validUserKey(user string) bool {
	if user == "" || len(user) > 128 {
		return false
	}
	for _, c := range user {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-') {
			return false
		}
	}
	return true
}

func (s *Store) userLock(user string) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.users[user]
	if !ok {
		l = &sync.Mutex{}
		s.users[user] = l
	}
	return l
}

// Load returns user's state; a user with no file yet has an empty one.
func (s *Store) Load(user string) (UserState, error) {
	path, err := s.userPath(user)
	if err != nil {
		return UserState{}, err
	}
	l := s.userLock(user)
	l.Lock()
	defer l.Unlock()
	return s.load(path)
}

// load reads a user file. A file that does not parse (it cannot be half
// written, but a disk can fail) is moved aside and logged, so that one bad
// file costs the employee their read marks, not the ability to acknowledge.
func (s *Store) load(path string) (UserState, error) {
	var uf userFile
	err := readJSON(path, &uf)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return UserState{Notices: map[string]Record{}}, nil
	case errors.Is(err, errCorrupt) || err == nil && uf.Version != userFileVersion:
		aside := path + ".corrupt"
		s.log.Warn("notice state file unreadable; starting afresh", "file", path, "moved_to", aside, "error", err, "version", uf.Version)
		if err := os.Rename(path, aside); err != nil {
			return UserState{}, fmt.Errorf("moving aside the unreadable %s: %w", path, err)
		}
		return UserState{Notices: map[string]Record{}}, nil
	case err != nil:
		return UserState{}, err
	}
	if uf.Notices == nil {
		uf.Notices = map[string]Record{}
	}
	return uf.UserState, nil
}

// Update applies fn to user's state and saves the result atomically.
// Concurrent updates of one user are serialised.
func (s *Store) Update(user string, fn func(*UserState) error) (UserState, error) {
	path, err := s.userPath(user)
	if err != nil {
		return UserState{}, err
	}
	l := s.userLock(user)
	l.Lock()
	defer l.Unlock()
	st, err := s.load(path)
	if err != nil {
		return UserState{}, err
	}
	if err := fn(&st); err != nil {
		return UserState{}, err
	}
	if err := writeJSON(path, userFile{Version: userFileVersion, UserState: st}); err != nil {
		return UserState{}, fmt.Errorf("saving the notice state of user %s: %w", user, err)
	}
	return st, nil
}

// Record notes that user did action on the notices ids at now. Doing it
// again keeps the first time. Whether the action is allowed on the notice
// is CheckAction's business, before this.
func (s *Store) Record(user string, action Action, ids []string, now time.Time) (UserState, error) {
	return s.Update(user, func(st *UserState) error {
		for _, id := range ids {
			if !validName(id, maxIDLen) {
				return fmt.Errorf("notice state: %q is not a notice id", id)
			}
			r := st.Notices[id]
			var field *time.Time
			switch action {
			case ActionSeen:
				field = &r.Seen
			case ActionAck:
				field = &r.Acked
			case ActionDismiss:
				field = &r.Dismissed
			case ActionMeToo:
				field = &r.MeToo
			default:
				return fmt.Errorf("notice state: unknown action %q", action)
			}
			if field.IsZero() {
				*field = now
			}
			if r.Seen.IsZero() {
				r.Seen = now // acting on a notice means it was seen
			}
			st.Notices[id] = r
		}
		return nil
	})
}

// Prune forgets records of notices that are no longer current and were
// last touched more than keep before now. Records are kept a while after
// their notice leaves the feed, so a notice that comes back (the drop
// folder unreadable for a moment, a feed republished) is not shown as new.
func (u *UserState) Prune(current func(id string) bool, now time.Time, keep time.Duration) {
	for id, r := range u.Notices {
		if !current(id) && now.Sub(r.lastTouched()) > keep {
			delete(u.Notices, id)
		}
	}
}

// SaveFeed writes the accepted feed state, so the rollback floor and the
// notices survive a restart.
func (s *Store) SaveFeed(st State) error {
	if err := writeJSON(filepath.Join(s.dir, "feed.json"), st); err != nil {
		return fmt.Errorf("saving the accepted notice feed: %w", err)
	}
	return nil
}

// LoadFeed reads the saved feed state and verifies it again with keys, as
// if it had just been fetched: the file is data, not trust. If it no longer
// verifies (the signing key was retired, the file damaged), its notices
// are dropped but its sequence stays as the rollback floor, and the reason
// is logged. No saved state is the zero State.
func (s *Store) LoadFeed(keys []minisign.PublicKey, now time.Time) (State, error) {
	path := filepath.Join(s.dir, "feed.json")
	var saved State
	err := readJSON(path, &saved)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return State{}, nil
	case err != nil:
		return State{}, fmt.Errorf("loading the accepted notice feed: %w", err)
	}
	st, err := Accept(State{}, saved.Raw, saved.Signature, keys, saved.AcceptedAt)
	if err != nil || st.Sequence != saved.Sequence {
		s.log.Warn("saved notice feed no longer verifies; keeping its sequence as the floor and dropping its notices",
			"file", path, "sequence", saved.Sequence, "error", err)
		return State{Sequence: saved.Sequence, Digest: saved.Digest}, nil
	}
	return st, nil
}

var errCorrupt = errors.New("not a valid state file")

func readJSON(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxStateFile+1))
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	if len(data) > maxStateFile {
		return fmt.Errorf("%w: %s is larger than %d bytes", errCorrupt, path, maxStateFile)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %s: %w", errCorrupt, path, err)
	}
	return nil
}

// writeJSON replaces path atomically: temporary file in the same folder
// (created 0600), write, fsync, rename, fsync the folder.
func writeJSON(path string, v any) (err error) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("creating a temporary file in %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(append(data, '\n')); err != nil {
		return fmt.Errorf("writing %s: %w", tmp.Name(), err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", tmp.Name(), err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", tmp.Name(), err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	return syncDir(dir)
}

// Outbox is what this machine has told IT about its users' responses to
// notices: the uids already reported per notice and action, and the batch
// being handed to the report pipeline. The batch is written before it is
// submitted and keeps its report key, so a crash between the two sends the
// same report again, which the pipeline recognises by its key: IT hears of
// each response exactly once.
type Outbox struct {
	// Sent are uids reported, by notice id, then action ("ack", "metoo").
	Sent map[string]map[string][]string `json:"sent"`
	// Pending is the batch being submitted, nil when none.
	Pending *ResponseBatch `json:"pending,omitempty"`
}

// ResponseBatch is one notice's new responses, as one report.
type ResponseBatch struct {
	Key       string     `json:"key"`
	NoticeID  string     `json:"notice"`
	Responses []Response `json:"responses"`
	Created   time.Time  `json:"created"`
}

// Response is one employee's acknowledgement or "me too".
type Response struct {
	UID    string    `json:"uid"`
	User   string    `json:"user,omitempty"`
	Action Action    `json:"action"`
	At     time.Time `json:"at"`
}

// LoadOutbox reads the outbox; none yet is an empty one.
func (s *Store) LoadOutbox() (Outbox, error) {
	var o Outbox
	err := readJSON(filepath.Join(s.dir, "responses.json"), &o)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Outbox{}, fmt.Errorf("loading the notice responses sent: %w", err)
	}
	if o.Sent == nil {
		o.Sent = map[string]map[string][]string{}
	}
	return o, nil
}

// SaveOutbox writes the outbox atomically.
func (s *Store) SaveOutbox(o Outbox) error {
	if err := writeJSON(filepath.Join(s.dir, "responses.json"), o); err != nil {
		return fmt.Errorf("saving the notice responses sent: %w", err)
	}
	return nil
}
