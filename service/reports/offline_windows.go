package reports

import (
	"errors"

	"golang.org/x/sys/windows"
)

// isUnreachable reports the Winsock error of a network that is down or
// has no route.
func isUnreachable(err error) bool {
	return errors.Is(err, windows.WSAENETUNREACH) || errors.Is(err, windows.WSAEHOSTUNREACH) || errors.Is(err, windows.WSAENETDOWN)
}
