//go:build !unix && !windows

package trust

import (
	"errors"
	"os"
)

// Check cannot tell who may write a file on this system, so it trusts
// nothing: the drop folder is refused rather than read unchecked.
func Check(path string, f *os.File) error {
	return &UntrustedError{Path: path, Reason: "ownership cannot be checked on this operating system", Fix: "use the HTTPS feed"}
}

func OpenNoFollow(path string) (*os.File, error) {
	return nil, errors.New("not supported on this operating system")
}
