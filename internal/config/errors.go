package config

import (
	"strconv"
	"strings"

	"github.com/firstline-it/firstline/internal/trust"
)

// Error is every problem found while loading or validating a configuration.
// Load collects all of them instead of stopping at the first, so an
// administrator can fix a file in one pass; use errors.As to get at them.
type Error struct {
	// Problems in the order the files were read, then by line.
	Problems []Problem
}

// Problem is one thing wrong with the configuration.
type Problem struct {
	// File is the file or directory at fault; empty for problems found by
	// Config.Validate on a Config that did not come from a file.
	File string
	// Line and Column are 1-based; 0 when unknown or not meaningful (a
	// refused file, for instance). Column is set for syntax errors only:
	// everywhere else the line and key say enough.
	Line   int
	Column int
	// Key is the dotted key concerned ("service.log_level"), if any.
	Key string
	// Message says what is wrong and, where it helps, what would be right.
	Message string
	// Err is the underlying error, if any: an I/O error, or an
	// *UntrustedError for a refused file. Error.Unwrap exposes it.
	Err error

	// via is the key whose setting made Key necessary ("delivery.route"
	// for "delivery.webhook.url"): when Key is set in no file, the problem
	// is reported where via is.
	via string
}

// String formats the problem the way compilers do, so editors and terminals
// can jump to it: "FILE:LINE[:COLUMN]: [KEY: ]MESSAGE".
//
// The key prefix is left out when the message already quotes the key (as in
// `unknown key "service.log_levl"`), so the key is not said twice.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			b.WriteString(":" + strconv.Itoa(p.Line))
			if p.Column > 0 {
				b.WriteString(":" + strconv.Itoa(p.Column))
			}
		}
		b.WriteString(": ")
	}
	if p.Key != "" && !strings.Contains(p.Message, strconv.Quote(p.Key)) {
		b.WriteString(p.Key + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Error prints one problem per line.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the underlying errors of the problems that have one, so
// that errors.Is(err, fs.ErrPermission) and errors.As(err, &untrusted) work
// on the result of Load.
func (e *Error) Unwrap() []error {
	var errs []error
	for _, p := range e.Problems {
		if p.Err != nil {
			errs = append(errs, p.Err)
		}
	}
	return errs
}

// UntrustedError is why a file or directory was refused: someone other than
// root (or the user running the process) owns it or may write it, and could
// therefore make the service do what they want.
type UntrustedError = trust.UntrustedError
