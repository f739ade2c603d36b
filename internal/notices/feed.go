package notices

import (
	"time"
)

// FeedVersion is the schema version this package reads and writes.
const FeedVersion = 1

// Limits of the schema. They keep a notice readable on a desktop and a
// feed cheap to fetch on 100,000 of them; doc.go explains each.
const (
	MaxFeedBytes      = 1 << 20 // a feed document, and a drop-folder file
	MaxSignatureBytes = 16 << 10
	MaxNotices        = 200
	MaxTitleRunes     = 120
	MaxBodyRunes      = 4000
	MaxLinks          = 5
	MaxLinkTitleRunes = 80
	MaxURLBytes       = 2048
	MaxTargetEntries  = 100
	maxIDLen          = 64
	maxHostnameLen    = 253
	maxGroupLen       = 64
)

// Feed is one signed notice feed document.
type Feed struct {
	// Version is the schema version; this package reads FeedVersion.
	Version int `json:"version"`
	// Sequence increases with every publication. A feed with a lower
	// sequence than the last one accepted is a rollback and is refused.
	Sequence uint64 `json:"sequence"`
	// Published is when the feed was written.
	Published time.Time `json:"published"`
	// Notices are the notices in force; removing one withdraws it.
	Notices []Notice `json:"notices"`
}

// Notice is one message from IT.
type Notice struct {
	// ID names the notice across feed versions; state (seen, acknowledged)
	// is kept per ID.
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	// Title and Body are plain text: never interpreted as markup.
	Title string `json:"title"`
	Body  string `json:"body,omitempty"`
	// Links are clickable only when their host is allow-listed on the
	// machine; otherwise they are shown as text.
	Links   []Link    `json:"links,omitempty"`
	Created time.Time `json:"created"`
	// Expires is when the notice disappears; zero means when it is
	// removed from the feed.
	Expires time.Time `json:"expires,omitzero"`
	// Target restricts which machines show the notice; empty means all.
	Target Target `json:"target,omitzero"`
	// RequireAck asks the employee to confirm they read it.
	RequireAck bool `json:"require_ack,omitempty"`
	// Incident offers "this affects me too".
	Incident bool `json:"incident,omitempty"`
}

// Link is a titled URL in a notice.
type Link struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Target says which machines a notice is for. Each non-empty list must
// match (a notice for OS windows and group finance shows only on finance's
// Windows machines); within a list, any entry matches.
type Target struct {
	// OS values: "linux", "windows", "macos" (or "darwin").
	OS []string `json:"os,omitempty"`
	// Hostnames are glob patterns ("*" any run of characters, "?" one),
	// matched case-insensitively against the full and the short host name.
	Hostnames []string `json:"hostnames,omitempty"`
	// Groups are the names IT assigns to machines in the service config,
	// matched case-insensitively.
	Groups []string `json:"groups,omitempty"`
}

// Severity is how urgent a notice is.
type Severity string

// The severities, from least to most urgent.
const (
	SeverityInfo     Severity = "info"
	SeverityWarning  Severity = "warning"
	SeverityCritical Severity = "critical"
)

// rank orders severities: higher is more urgent; 0 is unknown.
func (s Severity) rank() int {
	switch s {
	case SeverityInfo:
		return 1
	case SeverityWarning:
		return 2
	case SeverityCritical:
		return 3
	}
	return 0
}

// Active reports whether n is in force at now: not expired. Created is not
// a start time: desktop clocks run behind, and an incident notice must not
// wait for them.
func (n *Notice) Active(now time.Time) bool {
	return n.Expires.IsZero() || now.Before(n.Expires)
}
