//go:build unix

package manager

import (
	"fmt"
	"os"
)

// RequirePrivilege fails with a message a person can act on when action
// (install, start, …) is run without root.
func RequirePrivilege(action string) error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("%s needs root: run it with sudo", action)
	}
	return nil
}
