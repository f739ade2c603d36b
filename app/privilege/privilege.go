// Package privilege keeps the tray app from running with the machine's
// highest privilege. The app shows web links, opens files and takes
// screenshots on an employee's behalf; as root or LocalSystem any of that
// would become a way around the service's rules.
package privilege

import "errors"

// ErrPrivileged is returned by [Refuse] when the process runs as root or
// LocalSystem.
var ErrPrivileged = errors.New("firstline is the per-user tray app and must not run as root; " +
	"run it as yourself (the service is firstline-service)")

// Refuse returns [ErrPrivileged] when the process runs as root (Unix) or as
// LocalSystem (Windows), and nil otherwise.
func Refuse() error {
	privileged, err := isPrivileged()
	if err != nil {
		return err
	}
	if privileged {
		return ErrPrivileged
	}
	return nil
}
