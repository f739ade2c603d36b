package localapi

import "time"

// Identity is who the kernel says is on the other end of a connection. It is
// never taken from a request field.
type Identity struct {
	// UID is the numeric user id on Unix and the user's SID on Windows.
	UID string `json:"uid"`
	// GID is the primary group id on Unix and the primary group's SID on
	// Windows.
	GID string `json:"gid"`
	// PID is the caller's process id, 0 when the OS does not tell.
	PID int `json:"pid"`
	// Username is resolved from UID for display and audit; empty when the
	// account cannot be looked up.
	Username string `json:"username,omitempty"`
	// Admin is true for root or an elevated Administrator.
	Admin bool `json:"admin"`
}

// Capability names a feature the running service offers, so the app can
// show a feature only when the service it talks to has it.
type Capability string

// Capabilities of this version.
const (
	CapStatus  Capability = "status"
	CapWatch   Capability = "watch"
	CapSysInfo Capability = "sysinfo" // snapshot, metrics history and chart, probes
	CapReports Capability = "reports" // submit and list reports
	CapNotices Capability = "notices" // IT notices: view, act, check, status
)

// Status answers GET /v1/status.
type Status struct {
	Version   string    `json:"version"`
	OS        string    `json:"os"`
	Arch      string    `json:"arch"`
	StartedAt time.Time `json:"started_at"`
	// UptimeSeconds is how long the service has run, as seen by the service.
	UptimeSeconds float64 `json:"uptime_seconds"`
	// Caller is the identity the service read from the kernel for this
	// request: what it will use for permissions and audit.
	Caller       Identity     `json:"caller"`
	Capabilities []Capability `json:"capabilities"`
	// Dev is true when the service runs in-process in the app's dev mode.
	Dev bool `json:"dev,omitempty"`
	// Support tells employees how to reach IT, as configured by IT.
	Support Support `json:"support"`
}

// Has reports whether the service offers capability c.
func (s *Status) Has(c Capability) bool {
	for _, have := range s.Capabilities {
		if have == c {
			return true
		}
	}
	return false
}

// Support is IT's contact information, shown in the app.
type Support struct {
	Organization string `json:"organization"`
	Phone        string `json:"phone,omitempty"`
	Email        string `json:"email,omitempty"`
	URL          string `json:"url,omitempty"`
}

// State is what the app shows at a glance: it is sent whole on every change,
// so a client that missed events needs nothing but the latest one.
type State struct {
	ServiceVersion string        `json:"service_version"`
	Notices        NoticeSummary `json:"notices"`
	Reports        ReportSummary `json:"reports"`
	Health         HealthSummary `json:"health"`
}

// NoticeSummary counts the notices the caller has not dealt with yet.
type NoticeSummary struct {
	Unread   int `json:"unread"`
	Critical int `json:"critical"`
}

// ReportSummary counts the caller's reports that are still on their way or
// need the employee's attention.
type ReportSummary struct {
	Pending        int `json:"pending"`
	NeedsAttention int `json:"needs_attention"`
}

// EventType tells what an [Event] carries.
type EventType string

// Event types of the watch stream.
const (
	// EventState carries the whole current [State]. It is always the first
	// event of a stream and is sent again on every change.
	EventState EventType = "state"
	// EventKeepAlive proves the stream is alive when nothing changed for
	// [KeepAliveInterval].
	EventKeepAlive EventType = "keepalive"
)

// Event is one line of the newline-delimited JSON stream of GET /v1/watch.
// Clients must ignore event types they do not know.
type Event struct {
	Type EventType `json:"type"`
	// Seq increases with every state change; keep-alives repeat the last one.
	Seq   uint64    `json:"seq"`
	Time  time.Time `json:"time"`
	State *State    `json:"state,omitempty"`
}
