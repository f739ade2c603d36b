//go:build !unix && !windows

package spool

import (
	"fmt"
	"os"
)

// rename is a plain rename on systems Firstline does not ship for.
func rename(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		return fmt.Errorf("moving %s into place: %w", to, err)
	}
	return nil
}

// syncDir is not available on systems Firstline does not ship for.
func syncDir(string) error { return nil }
