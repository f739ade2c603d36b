//go:build unix && !linux && !darwin

package transport

import (
	"fmt"
	"net"
	"runtime"
)

// peerCreds refuses on Unixes whose peer-credential call is not wired up:
// a connection the service cannot attribute must not be served.
func peerCreds(net.Conn) (Creds, error) {
	return Creds{}, fmt.Errorf("%w on %s", ErrNoCreds, runtime.GOOS)
}
