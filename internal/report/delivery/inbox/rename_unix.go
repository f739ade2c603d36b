//go:build !windows

package inbox

import (
	"fmt"
	"os"
	"path/filepath"
)

// renameDurable renames from to to and syncs their folder: on Unix file
// systems the new directory entry is only safe once the directory itself
// is synced.
func renameDurable(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		return err
	}
	dir := filepath.Dir(to)
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("opening %s to sync it: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}
