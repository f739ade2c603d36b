// Package transport opens the LocalAPI's local socket and tells who is on the
// other end of a connection, per OS: a Unix socket with SO_PEERCRED (Linux) or
// LOCAL_PEERCRED (macOS), a named pipe with an explicit security descriptor
// and the client's token (Windows). It never listens on TCP.
package transport

import (
	"errors"
	"net"
)

// Creds is what the kernel reports about a connection's peer.
type Creds struct {
	// UID is the numeric uid on Unix and the user SID on Windows.
	UID string
	// GID is the primary gid on Unix and the primary group SID on Windows.
	GID string
	// PID is the peer's process id; 0 when unknown.
	PID int
	// Admin is true for uid 0 or an elevated Windows token.
	Admin bool
}

// ErrNoCreds is returned for connections whose peer the kernel cannot name.
// The server refuses such connections.
var ErrNoCreds = errors.New("peer credentials unavailable")

// PeerCreds returns the kernel's view of who opened c. c must be a connection
// accepted from a listener made by [Listen].
func PeerCreds(c net.Conn) (Creds, error) {
	return peerCreds(c)
}
