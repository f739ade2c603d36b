//go:build unix

package audit

import (
	"fmt"
	"os"
)

// restrict makes f readable and writable by its owner only.
func restrict(f *os.File) error { return f.Chmod(0o600) }

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("syncing the audit log folder: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing the audit log folder: %w", err)
	}
	return nil
}
