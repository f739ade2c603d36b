//go:build !unix && !windows

package notices

import (
	"errors"
	"os"
)

// checkTrust cannot tell who may write a file on this system, so it trusts
// nothing: the drop folder is refused rather than read unchecked.
func checkTrust(path string, f *os.File) error {
	return &UntrustedError{Path: path, Reason: "ownership cannot be checked on this operating system", Fix: "use the HTTPS feed"}
}

func openNoFollow(path string) (*os.File, error) {
	return nil, errors.New("not supported on this operating system")
}
