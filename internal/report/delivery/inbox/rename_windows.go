package inbox

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// renameDurable renames from to to with MoveFileEx and
// MOVEFILE_WRITE_THROUGH, which returns only once the move is on disk:
// Windows has no fsync for a directory handle, this is its equivalent.
func renameDurable(from, to string) error {
	f, err := windows.UTF16PtrFromString(from)
	if err != nil {
		return fmt.Errorf("rename source %q: %w", from, err)
	}
	t, err := windows.UTF16PtrFromString(to)
	if err != nil {
		return fmt.Errorf("rename target %q: %w", to, err)
	}
	if err := windows.MoveFileEx(f, t, windows.MOVEFILE_REPLACE_EXISTING|windows.MOVEFILE_WRITE_THROUGH); err != nil {
		return fmt.Errorf("moving %s to %s: %w", from, to, err)
	}
	return nil
}
