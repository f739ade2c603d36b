package inbox

import (
	"fmt"
	"os"
	"path/filepath"
)

// filePerm lets the service's group read the inbox (an IT tool, a mail
// pick-up) but nobody else: reports hold screenshots and system details.
const filePerm = 0o640

// writeAtomic writes data to dir/name so that a reader sees either the old
// file or the complete new one, and the new one survives a power cut once
// writeAtomic returns: temporary file, fsync, rename, fsync of the folder.
// The rename replaces a symlink planted at name instead of following it.
func writeAtomic(dir, name string, data []byte) (err error) {
	tmp, err := os.CreateTemp(dir, ".tmp-"+name+"-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err = tmp.Chmod(filePerm); err != nil {
		return fmt.Errorf("setting the permissions of %s: %w", name, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("flushing %s: %w", name, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err = renameDurable(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("renaming %s into place: %w", name, err)
	}
	return nil
}
