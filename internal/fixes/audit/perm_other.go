//go:build !unix

package audit

import "os"

// restrict relies, outside Unix, on the folder: the service keeps its state
// in a folder only SYSTEM and Administrators can open (internal/privdir),
// and files inherit that. Mode bits mean little on Windows.
func restrict(*os.File) error { return nil }

// syncDir does nothing: Windows cannot fsync a directory handle opened this
// way, and NTFS journals renames itself.
func syncDir(string) error { return nil }
