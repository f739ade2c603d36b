//go:build unix

package spool

import (
	"fmt"
	"os"
)

// rename moves a fully written and synced file into place. On Unix the
// rename is atomic; it becomes durable when the folder is synced
// (syncDir), which callers do once after their last rename.
func rename(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		return fmt.Errorf("moving %s into place: %w", to, err)
	}
	return nil
}

// syncDir makes the renames and removals done in dir durable: without it a
// power cut can undo a rename even though the file's content was synced.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("opening %s to sync it: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing folder %s: %w", dir, err)
	}
	return nil
}
