//go:build !unix && !windows

package spool

import "os"

// lockFile cannot lock on systems Firstline does not ship for; the spool
// then relies on being opened by one process only.
func lockFile(*os.File) error { return nil }
