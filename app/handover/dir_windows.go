package handover

import (
	"fmt"
	"os"
	"path/filepath"
)

// UserDir is the folder where the app keeps this user's draft and outbox.
// On Windows that is %LocalAppData%, which os.UserCacheDir names: the
// roaming %AppData% would copy screenshots and unsent reports to every
// machine the employee signs in to.
func UserDir(dev bool) (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the folder for unsent reports: %w", err)
	}
	if dev {
		return filepath.Join(base, "Firstline", "dev"), nil
	}
	return filepath.Join(base, "Firstline"), nil
}
