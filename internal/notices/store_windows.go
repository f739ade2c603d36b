//go:build windows

package notices

// makePrivate has nothing to do: privdir.MkdirAll gives the folders it
// creates a protected DACL (SYSTEM and Administrators), and the files
// inherit it.
func makePrivate(dir string) error { return nil }

// syncDir has nothing to do: a folder cannot be opened for flushing on
// Windows, and NTFS journals the rename (MoveFileEx) itself.
func syncDir(dir string) error { return nil }
