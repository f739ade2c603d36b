// Package notices runs IT notices in the service: it polls the signed
// feed, reads the drop folder, keeps each employee's state, and answers
// what one employee sees. The verification, targeting and state formats
// are internal/notices'; this package owns the background work and the
// state in memory that the LocalAPI serves.
package notices

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/localapi"
	core "github.com/firstline-it/firstline/internal/notices"
	"github.com/firstline-it/firstline/internal/notices/minisign"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/service/events"
)

// Options configure a Service.
type Options struct {
	// Config is the [notices] table.
	Config config.Notices
	// StateDir is the notices state folder (STATE_DIR/notices).
	StateDir string
	// DropDir is the drop folder (Config.DropFolder of the config file).
	DropDir string
	// Hub is told when what employees see changes; nil: nobody is told.
	Hub *events.Hub
	// Machine is what targeting matches; zero: this machine (GOOS, host
	// name) with Config.Groups.
	Machine core.Machine
	// Client fetches the feed; nil uses the system's proxy settings.
	Client *http.Client
	// DropInterval is how often the drop folder is read again and expiry
	// looked at (default 1 min).
	DropInterval time.Duration
	// MinCheckNow is the least time between a poll and a manual check
	// (default: the poller's, 10 s).
	MinCheckNow time.Duration
	// Rand is the poller's jitter source; nil: math/rand/v2's.
	Rand *rand.Rand
	// Respond hands a batch of acknowledgements and "me too" to the report
	// pipeline; nil keeps them on this machine (notice status counts them).
	Respond func(context.Context, report.Submission) error
	// RespondInterval is how often new responses are batched and sent
	// (default DefaultRespondInterval).
	RespondInterval time.Duration
	Logger          *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
}

const defaultDropInterval = time.Minute

// keepRecords is how long an employee's record of a notice that left the
// feed is kept, so a notice that comes back is not shown as new.
const keepRecords = 30 * 24 * time.Hour

// Service is IT notices in the running service. Its methods are safe for
// concurrent use; Run must be called once.
type Service struct {
	opts   Options
	log    *slog.Logger
	keys   []minisign.PublicKey
	allow  core.AllowList
	store  *core.Store
	poller *core.Poller // nil without a feed URL
	check  chan struct{}

	// respondMu keeps one batch of responses in flight at a time.
	respondMu sync.Mutex

	mu      sync.Mutex
	feed    core.State
	drop    core.Drop
	dropErr error
	notices []core.Notice // feed and drop merged
	active  string        // ids in force for this machine, to see expiry
	changes int           // bumped into the hub on every change
}

// New checks the configuration, opens the state and loads the last
// accepted feed, verifying it again. It does not fetch yet.
func New(opts Options) (*Service, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.DropInterval <= 0 {
		opts.DropInterval = defaultDropInterval
	}
	if opts.RespondInterval <= 0 {
		opts.RespondInterval = DefaultRespondInterval
	}
	if opts.Machine.OS == "" {
		host, _ := os.Hostname()
		opts.Machine = core.Machine{OS: runtime.GOOS, Hostname: host, Groups: opts.Config.Groups}
	}
	log := opts.Logger.With("component", "notices")
	keys, err := opts.Config.PublicKeys()
	if err != nil {
		return nil, fmt.Errorf("notice keys: %w", err)
	}
	allow, err := core.ParseAllowList(opts.Config.AllowedLinkHosts)
	if err != nil {
		return nil, err
	}
	store, err := core.OpenStore(core.StoreOptions{Dir: opts.StateDir, Logger: log})
	if err != nil {
		return nil, err
	}
	feed, err := store.LoadFeed(keys, opts.Now())
	if err != nil {
		return nil, err
	}
	s := &Service{opts: opts, log: log, keys: keys, allow: allow, store: store, feed: feed, check: make(chan struct{}, 1)}
	if opts.Config.FeedURL != "" && len(keys) > 0 {
		s.poller, err = core.NewPoller(core.PollerOptions{
			FeedURL:      opts.Config.FeedURL,
			SignatureURL: opts.Config.SignatureURL,
			Keys:         keys,
			Client:       opts.Client,
			Interval:     opts.Config.Interval.Duration(),
			MinCheckNow:  opts.MinCheckNow,
			State:        feed,
			OnAccept:     s.accepted,
			Logger:       log,
			Now:          opts.Now,
			Rand:         opts.Rand,
		})
		if err != nil {
			return nil, err
		}
	}
	s.readDrop()
	return s, nil
}

// Run polls the feed and rereads the drop folder until ctx ends; it
// returns once both loops have.
func (s *Service) Run(ctx context.Context) error {
	if len(s.keys) == 0 {
		<-ctx.Done()
		return nil
	}
	var wg sync.WaitGroup
	if s.poller != nil {
		wg.Go(func() { _ = s.poller.Run(ctx, s.check) })
	}
	if s.opts.Respond != nil {
		wg.Go(func() { s.respondLoop(ctx) })
	}
	t := time.NewTicker(s.opts.DropInterval)
	defer func() {
		t.Stop()
		wg.Wait()
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			s.readDrop()
		}
	}
}

// CheckNow asks for a poll now; the poller ignores it right after a poll.
func (s *Service) CheckNow() {
	select {
	case s.check <- struct{}{}:
	default: // one is pending already
	}
}

// accepted keeps a newly accepted feed: saved, so the rollback floor
// survives a restart, and shown.
func (s *Service) accepted(st core.State) {
	if err := s.store.SaveFeed(st); err != nil {
		s.log.Error("saving the accepted notice feed", "err", err)
	}
	s.mu.Lock()
	s.feed = st
	s.mu.Unlock()
	s.refresh()
}

// readDrop reads the drop folder again. A folder that cannot be trusted
// shows none of its notices; the feed's stay.
func (s *Service) readDrop() {
	if len(s.keys) == 0 {
		return
	}
	d, err := core.ReadDropFolder(core.DropOptions{Dir: s.opts.DropDir, Keys: s.keys, Logger: s.log}, s.opts.Now())
	s.mu.Lock()
	s.drop, s.dropErr = d, err
	s.mu.Unlock()
	s.refresh()
}

// refresh merges the notices and tells the hub when the set in force
// changed (a new feed, a drop file, an expiry).
func (s *Service) refresh() {
	now := s.opts.Now()
	s.mu.Lock()
	var fromFeed []core.Notice
	if s.feed.Feed != nil {
		fromFeed = s.feed.Feed.Notices
	}
	s.notices = core.Merge(fromFeed, s.drop.Notices)
	var ids []string
	for i := range s.notices {
		n := &s.notices[i]
		if n.Active(now) && core.Applies(n, s.opts.Machine) {
			ids = append(ids, n.ID+"@"+n.Created.String()+"@"+n.Expires.String())
		}
	}
	slices.Sort(ids)
	active := strings.Join(ids, "\n")
	changed := active != s.active
	s.active = active
	s.mu.Unlock()
	if changed {
		s.bump()
	}
}

// bump wakes the watch streams. The hub's Notices hold a change counter,
// never sent as is: each stream replaces it with the caller's own counts.
func (s *Service) bump() {
	if s.opts.Hub == nil {
		return
	}
	s.mu.Lock()
	s.changes++
	n := s.changes
	s.mu.Unlock()
	s.opts.Hub.Update(func(st *localapi.State) { st.Notices = localapi.NoticeSummary{Unread: n} })
}

func (s *Service) current() []core.Notice {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notices
}

// View is what the user (a kernel-reported uid or SID) sees now.
func (s *Service) View(uid string) (localapi.NoticeView, error) {
	st, err := s.store.Load(uid)
	if err != nil {
		return localapi.NoticeView{}, err
	}
	v := toView(core.ComputeView(s.current(), s.opts.Machine, st, s.allow, s.opts.Now()))
	popups := s.opts.Config.PopupsPerHour
	v.PopupsPerHour = &popups
	return v, nil
}

// Counts are the watch stream's counts for uid; zero when its state
// cannot be read (that is logged, and the Notices page says why).
func (s *Service) Counts(uid string) localapi.NoticeSummary {
	v, err := s.View(uid)
	if err != nil {
		s.log.Warn("reading a user's notice state", "uid", uid, "err", err)
		return localapi.NoticeSummary{}
	}
	return localapi.NoticeSummary{Unread: v.Unread, Critical: v.Critical}
}

// ErrNoSuchNotice is an action on a notice that is not shown on this
// machine (unknown, withdrawn, for other machines).
var ErrNoSuchNotice = errors.New("no such notice")

// Act records uid's action on the notice id, once core.CheckAction allows
// it, and returns uid's new view. Errors wrap ErrNoSuchNotice or
// core.ErrActionRefused for a request the caller should not have made.
func (s *Service) Act(uid, id string, action core.Action) (localapi.NoticeView, error) {
	now := s.opts.Now()
	var n *core.Notice
	for _, c := range s.current() {
		if c.ID == id && core.Applies(&c, s.opts.Machine) {
			n = &c
			break
		}
	}
	if n == nil {
		return localapi.NoticeView{}, fmt.Errorf("%w: %q", ErrNoSuchNotice, id)
	}
	_, err := s.store.Update(uid, func(st *core.UserState) error {
		if err := core.CheckAction(n, st.Notices[id], action, now); err != nil {
			return err
		}
		r := st.Notices[id]
		for _, f := range []struct {
			a Action
			t *time.Time
		}{{core.ActionSeen, &r.Seen}, {core.ActionAck, &r.Acked}, {core.ActionDismiss, &r.Dismissed}, {core.ActionMeToo, &r.MeToo}} {
			if f.a == action && f.t.IsZero() {
				*f.t = now
			}
		}
		if r.Seen.IsZero() {
			r.Seen = now
		}
		st.Notices[id] = r
		st.Prune(s.isCurrent, now, keepRecords)
		return nil
	})
	if err != nil {
		return localapi.NoticeView{}, err
	}
	if action == core.ActionAck || action == core.ActionMeToo {
		// The next flush of responses carries it to IT.
		s.log.Info("notice "+string(action), "uid", uid, "notice", id)
	}
	s.bump()
	return s.View(uid)
}

// Action is core.Action, named here for the table in Act.
type Action = core.Action

func (s *Service) isCurrent(id string) bool {
	return slices.ContainsFunc(s.current(), func(n core.Notice) bool { return n.ID == id })
}

// Status is what `notice status` shows.
func (s *Service) Status() localapi.NoticeStatus {
	now := s.opts.Now()
	s.mu.Lock()
	st := localapi.NoticeStatus{
		Enabled:    len(s.keys) > 0,
		FeedURL:    s.opts.Config.FeedURL,
		Sequence:   s.feed.Sequence,
		KeyID:      s.feed.KeyID,
		AcceptedAt: s.feed.AcceptedAt,
		DropDir:    s.opts.DropDir,
	}
	if s.feed.Feed != nil {
		st.FeedNotices = len(s.feed.Feed.Notices)
	}
	if s.dropErr != nil {
		st.DropError = s.dropErr.Error()
	}
	for _, f := range s.drop.Files {
		df := localapi.NoticeDropFile{Name: f.Name, Sequence: f.Sequence, KeyID: f.KeyID, Notices: f.Notices}
		if f.Err != nil {
			df.Error = f.Err.Error()
		}
		st.DropFiles = append(st.DropFiles, df)
	}
	for i := range s.notices {
		if s.notices[i].Active(now) && core.Applies(&s.notices[i], s.opts.Machine) {
			st.Active++
		}
	}
	s.mu.Unlock()
	st.Responses = s.responses(now)
	if s.poller != nil {
		ps := s.poller.Status()
		st.LastPoll, st.Failures = ps.LastPoll, ps.Failures
		if !ps.LastPoll.IsZero() {
			st.LastOutcome = ps.LastOutcome.String()
		}
		if ps.LastError != nil {
			st.LastError = ps.LastError.Error()
		}
	}
	return st
}

// maxUsersCounted bounds the work of one status on a machine with many
// accounts (a terminal server).
const maxUsersCounted = 10_000

// responses counts what the machine's users did with each notice in force,
// from their state files.
func (s *Service) responses(now time.Time) []localapi.NoticeResponses {
	var out []localapi.NoticeResponses
	at := map[string]int{}
	for _, n := range s.inForce(now) {
		at[n.ID] = len(out)
		out = append(out, localapi.NoticeResponses{ID: n.ID})
	}
	if len(out) == 0 {
		return nil
	}
	if o, err := s.store.LoadOutbox(); err == nil {
		for i := range out {
			for _, uids := range o.Sent[out[i].ID] {
				out[i].Sent += len(uids)
			}
		}
	}
	s.eachRecord(func(_ string, id string, r core.Record) {
		j, ok := at[id]
		if !ok {
			return
		}
		c := &out[j]
		for _, f := range []struct {
			t time.Time
			n *int
		}{{r.Seen, &c.Seen}, {r.Acked, &c.Acked}, {r.MeToo, &c.MeToo}, {r.Dismissed, &c.Dismissed}} {
			if !f.t.IsZero() {
				*f.n++
			}
		}
	})
	return out
}

// inForce are the notices active for this machine at now.
func (s *Service) inForce(now time.Time) []core.Notice {
	var out []core.Notice
	for _, n := range s.current() {
		if n.Active(now) && core.Applies(&n, s.opts.Machine) {
			out = append(out, n)
		}
	}
	return out
}

// eachRecord calls fn for every user's record of every notice, from the
// users' state files. An unreadable file counts for nobody.
func (s *Service) eachRecord(fn func(uid, id string, r core.Record)) {
	entries, err := os.ReadDir(filepath.Join(s.opts.StateDir, "users"))
	if err != nil {
		s.log.Warn("listing the users' notice state", "err", err)
		return
	}
	for i, e := range entries {
		uid, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || strings.HasPrefix(uid, ".") || i >= maxUsersCounted {
			continue
		}
		us, err := s.store.Load(uid)
		if err != nil {
			continue // not a user id, or unreadable
		}
		for id, r := range us.Notices {
			fn(uid, id, r)
		}
	}
}

// StateDir is where the notice state lives under the service's state
// folder.
func StateDir(serviceStateDir string) string { return filepath.Join(serviceStateDir, "notices") }

func toView(v core.View) localapi.NoticeView {
	out := localapi.NoticeView{Unread: v.Unread, Critical: v.Critical, Items: []localapi.NoticeItem{}, Dismissed: []localapi.NoticeItem{}}
	for _, it := range v.Items {
		out.Items = append(out.Items, toItem(it))
	}
	for _, it := range v.Dismissed {
		out.Dismissed = append(out.Dismissed, toItem(it))
	}
	return out
}

func toItem(it core.Item) localapi.NoticeItem {
	n := it.Notice
	item := localapi.NoticeItem{
		ID: n.ID, Severity: string(n.Severity), Title: n.Title, Body: n.Body,
		Created: n.Created, Expires: n.Expires, RequireAck: n.RequireAck, Incident: n.Incident,
		Seen: it.Record.Seen, Acked: it.Record.Acked, Dismissed: it.Record.Dismissed, MeToo: it.Record.MeToo,
	}
	for _, l := range it.Links {
		item.Links = append(item.Links, localapi.NoticeLink{Title: l.Title, URL: l.URL, Clickable: l.Clickable})
	}
	return item
}

// ParseAction maps the LocalAPI's action names to core actions.
func ParseAction(name string) (core.Action, bool) {
	switch name {
	case localapi.NoticeSeen:
		return core.ActionSeen, true
	case localapi.NoticeAck:
		return core.ActionAck, true
	case localapi.NoticeDismiss:
		return core.ActionDismiss, true
	case localapi.NoticeMeToo, string(core.ActionMeToo):
		return core.ActionMeToo, true
	}
	return "", false
}
