//go:build !windows

package handover

import (
	"fmt"
	"os"
	"path/filepath"
)

// UserDir is the folder where the app keeps this user's draft and outbox:
// the config folder (~/.config on Linux, ~/Library/Application Support on
// macOS), which cache cleaners leave alone. Dev mode keeps its own: its
// reports belong to the service inside that app.
func UserDir(dev bool) (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the folder for unsent reports: %w", err)
	}
	if dev {
		return filepath.Join(base, "firstline", "dev"), nil
	}
	return filepath.Join(base, "firstline"), nil
}
