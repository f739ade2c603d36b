package spool

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// rename moves a fully written and synced file into place, replacing what
// was there. MOVEFILE_WRITE_THROUGH makes MoveFileEx return only once the
// move is on disk: Windows cannot flush a folder the way Unix fsyncs one.
func rename(from, to string) error {
	f, err := windows.UTF16PtrFromString(from)
	if err != nil {
		return fmt.Errorf("moving %s into place: %w", to, err)
	}
	t, err := windows.UTF16PtrFromString(to)
	if err != nil {
		return fmt.Errorf("moving %s into place: %w", to, err)
	}
	if err := windows.MoveFileEx(f, t, windows.MOVEFILE_REPLACE_EXISTING|windows.MOVEFILE_WRITE_THROUGH); err != nil {
		return fmt.Errorf("moving %s into place: %w", to, err)
	}
	return nil
}

// syncDir has nothing to do on Windows: renames are written through (see
// rename), and NTFS journals the removal of a file before DeleteFile
// returns. Opening a folder for FlushFileBuffers needs write access to it,
// which is refused for folders in most setups.
func syncDir(string) error { return nil }
