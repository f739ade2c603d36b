package probes

import (
	"errors"

	"golang.org/x/sys/windows"
)

// isRefused says whether a connection was actively refused (a reset came
// back). Windows reports its own WSA error numbers, not the POSIX ones.
func isRefused(err error) bool {
	return errors.Is(err, windows.WSAECONNREFUSED)
}

// isUnreachable says whether the host or network could not be reached.
func isUnreachable(err error) bool {
	return errors.Is(err, windows.WSAEHOSTUNREACH) || errors.Is(err, windows.WSAENETUNREACH)
}

// isReset says whether the peer (or something on the way) cut the
// connection.
func isReset(err error) bool {
	return errors.Is(err, windows.WSAECONNRESET)
}
