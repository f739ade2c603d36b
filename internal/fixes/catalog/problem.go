package catalog

import (
	"strconv"
	"strings"

	"github.com/firstline-it/firstline/internal/trust"
)

// Problem is one thing wrong with an admin file, or why it was refused.
type Problem struct {
	File string
	// Line is 1-based; 0 when the problem is about the whole file.
	Line    int
	Message string
	// Err is the underlying error, if any (an *UntrustedError for a
	// refused file).
	Err error
}

// String formats the problem as compilers do, "FILE:LINE: MESSAGE", so
// editors and terminals can jump to it.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteString(":" + strconv.Itoa(p.Line))
	}
	b.WriteString(": " + p.Message)
	return b.String()
}

// LoadError lists the admin files that were skipped and why. The catalog
// Load returns with it is still usable: built-ins and the sound files.
type LoadError struct {
	Problems []Problem
}

func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap exposes the underlying errors, so errors.As finds an
// *UntrustedError.
func (e *LoadError) Unwrap() []error {
	var out []error
	for _, p := range e.Problems {
		if p.Err != nil {
			out = append(out, p.Err)
		}
	}
	return out
}

// UntrustedError is why a file or folder was not read: someone other than
// root (or Administrators) owns it or can write it, and could make the
// service run what they like.
type UntrustedError = trust.UntrustedError
