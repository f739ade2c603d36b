package reports

import (
	"errors"
	"net"
)

// isOffline reports whether err says this computer has no network rather
// than that the destination failed: no route, a network that is down, or
// a name that cannot be resolved (what an offline laptop, or one behind a
// captive portal, sees first). The employee is then told the report will
// go when they are back online.
func isOffline(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns) || isUnreachable(err)
}
