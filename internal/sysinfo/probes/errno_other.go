//go:build !windows

package probes

import (
	"errors"
	"syscall"
)

// isRefused says whether a connection was actively refused (a reset came
// back).
func isRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED)
}

// isUnreachable says whether the host or network could not be reached.
func isUnreachable(err error) bool {
	return errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH)
}

// isReset says whether the peer (or something on the way) cut the
// connection.
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET)
}
