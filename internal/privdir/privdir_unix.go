//go:build !windows

package privdir

import (
	"fmt"
	"os"
)

func mkdirAll(path string) error {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	return nil
}
