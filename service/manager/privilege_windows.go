package manager

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// RequirePrivilege fails with a message a person can act on when action
// (install, start, …) is run without an elevated Administrator token.
func RequirePrivilege(action string) error {
	if !windows.GetCurrentProcessToken().IsElevated() {
		return fmt.Errorf("%s needs an administrator: run it from an elevated prompt (Run as administrator)", action)
	}
	return nil
}
