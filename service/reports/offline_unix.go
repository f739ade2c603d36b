//go:build !windows

package reports

import (
	"errors"
	"syscall"
)

// isUnreachable reports the errno of a network that is down or has no
// route.
func isUnreachable(err error) bool {
	return errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETDOWN)
}
