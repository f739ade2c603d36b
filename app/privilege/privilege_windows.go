package privilege

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// isPrivileged reports whether the process token's user is LocalSystem. An
// elevated administrator is still a person at the desk, so only the service
// account is refused.
func isPrivileged() (bool, error) {
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return false, fmt.Errorf("reading the process token's user: %w", err)
	}
	return user.User.Sid.IsWellKnown(windows.WinLocalSystemSid), nil
}
