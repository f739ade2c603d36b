// Package notify turns new IT notices into desktop notifications. It
// decides what is new (an ID never notified before, remembered in a small
// file so a restart does not notify again), what may interrupt (never an
// info notice; at most Cap popups an hour) and what must be seen (a
// critical notice opens the window, cap or not).
package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
)

// Urgency levels of the freedesktop notification spec.
const (
	UrgencyLow      byte = 0
	UrgencyNormal   byte = 1
	UrgencyCritical byte = 2
)

// Message is one desktop notification.
type Message struct {
	// ID is the notice's ID, for the sender's bookkeeping.
	ID      string
	Summary string
	Body    string
	Urgency byte
}

// Sender shows a desktop notification; [DBus] and [Fyne] satisfy it.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// DefaultCap is how many popups an hour a user gets by default.
const DefaultCap = 3

// bodyLimit is how much of a notice's body a popup shows.
const bodyLimit = 200

// keepNotified is how many notified IDs the state file keeps; the oldest
// go first, long after their notices expired.
const keepNotified = 500

// Options configure a [Notifier].
type Options struct {
	Sender Sender
	// Path is the file that remembers what was notified; "" remembers
	// only until the app quits.
	Path string
	// Cap is the most popups in any hour; 0 means DefaultCap, negative
	// means none at all.
	Cap int
	// Open shows the window on the Notices page; safe from any goroutine.
	Open   func()
	Now    func() time.Time
	Logger *slog.Logger
}

// Notifier decides which notices interrupt the employee. It is safe for
// concurrent use.
type Notifier struct {
	opts Options
	log  *slog.Logger

	mu     sync.Mutex
	loaded bool
	st     memory
}

// memory is what the state file holds.
type memory struct {
	// Notified maps a notice ID to when it was first considered.
	Notified map[string]time.Time `json:"notified"`
	// Popups are the times of the popups in the last hour.
	Popups []time.Time `json:"popups"`
}

// New returns a notifier; the state file is read on first use.
func New(opts Options) *Notifier {
	if opts.Cap == 0 {
		opts.Cap = DefaultCap
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Open == nil {
		opts.Open = func() {}
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Notifier{opts: opts, log: log, st: memory{Notified: map[string]time.Time{}}}
}

// Outcome is what Consider did, for logs and tests.
type Outcome struct {
	// New are the IDs not considered before.
	New []string
	// Popped are the IDs shown as desktop notifications.
	Popped []string
	// Capped are the IDs that would have popped but for the cap.
	Capped []string
	// Opened is set when a new critical notice opened the window.
	Opened bool
}

// Consider looks at the notices of a fresh view and interrupts for the new
// ones. Notices the employee has already seen (on this or another
// session) are remembered without a popup.
func (n *Notifier) Consider(ctx context.Context, v localapi.NoticeView) Outcome {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.load()
	now := n.opts.Now()
	limit := n.opts.Cap
	if v.PopupsPerHour != nil { // IT's word wins over the app's default
		limit = *v.PopupsPerHour
	}
	var out Outcome
	fresh := slices.Clone(v.Items)
	// Most urgent first, so the cap spends popups on what matters most.
	slices.SortStableFunc(fresh, func(a, b localapi.NoticeItem) int { return rank(b.Severity) - rank(a.Severity) })
	for _, it := range fresh {
		if _, done := n.st.Notified[it.ID]; done {
			continue
		}
		n.st.Notified[it.ID] = now
		out.New = append(out.New, it.ID)
		if !it.Seen.IsZero() || !it.Acked.IsZero() || !it.Dismissed.IsZero() || it.Severity == "info" {
			continue // info waits in the list; a seen notice was read already
		}
		if it.Severity == "critical" {
			out.Opened = true
		}
		if !n.mayPop(now, limit) {
			out.Capped = append(out.Capped, it.ID)
			continue
		}
		if err := n.opts.Sender.Send(ctx, message(it)); err != nil {
			// The window and the tray still show it; a desktop without a
			// notification service is no reason to retry.
			n.log.Warn("showing a desktop notification", "id", it.ID, "err", err)
			continue
		}
		n.st.Popups = append(n.st.Popups, now)
		out.Popped = append(out.Popped, it.ID)
	}
	if len(out.New) > 0 {
		n.save()
	}
	if out.Opened {
		n.opts.Open()
	}
	if len(out.Capped) > 0 {
		n.log.Info("notices not shown as popups: the hourly limit is reached", "ids", out.Capped, "cap", limit)
	}
	return out
}

// mayPop drops popups older than an hour and reports whether one more fits
// under limit.
func (n *Notifier) mayPop(now time.Time, limit int) bool {
	n.st.Popups = slices.DeleteFunc(n.st.Popups, func(t time.Time) bool { return now.Sub(t) >= time.Hour || t.After(now) })
	return limit > 0 && len(n.st.Popups) < limit
}

// message is the popup for a notice.
func message(it localapi.NoticeItem) Message {
	m := Message{ID: it.ID, Summary: it.Title, Body: truncate(it.Body, bodyLimit), Urgency: UrgencyLow}
	switch it.Severity {
	case "critical":
		m.Urgency = UrgencyCritical
	case "warning":
		m.Urgency = UrgencyNormal
	}
	return m
}

// truncate keeps the first limit characters of s, ending with … when cut.
func truncate(s string, limit int) string {
	r := []rune(s)
	if len(r) <= limit {
		return s
	}
	return string(r[:limit-1]) + "…"
}

func rank(severity string) int {
	switch severity {
	case "critical":
		return 2
	case "warning":
		return 1
	}
	return 0
}

// load reads the state file once; a missing or broken file starts afresh.
func (n *Notifier) load() {
	if n.loaded {
		return
	}
	n.loaded = true
	if n.opts.Path == "" {
		return
	}
	b, err := os.ReadFile(n.opts.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	var m memory
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		n.log.Warn("reading which notices were notified; starting afresh", "path", n.opts.Path, "err", err)
		return
	}
	if m.Notified == nil {
		m.Notified = map[string]time.Time{}
	}
	n.st = m
}

// save writes the state file atomically, forgetting the oldest IDs.
func (n *Notifier) save() {
	if n.opts.Path == "" {
		return
	}
	if over := len(n.st.Notified) - keepNotified; over > 0 {
		ids := make([]string, 0, len(n.st.Notified))
		for id := range n.st.Notified {
			ids = append(ids, id)
		}
		slices.SortFunc(ids, func(a, b string) int { return n.st.Notified[a].Compare(n.st.Notified[b]) })
		for _, id := range ids[:over] {
			delete(n.st.Notified, id)
		}
	}
	if err := writeFile(n.opts.Path, n.st); err != nil {
		n.log.Warn("remembering which notices were notified", "path", n.opts.Path, "err", err)
	}
}

func writeFile(path string, m memory) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encoding: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating the folder: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".notified-*")
	if err != nil {
		return fmt.Errorf("creating a temporary file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	return nil
}
