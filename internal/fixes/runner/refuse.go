package runner

import (
	"fmt"

	"github.com/firstline-it/firstline/internal/fixes/audit"
)

// Code names why a request was refused. The LocalAPI passes it on so the
// app can show the right words.
type Code string

// The refusal codes.
const (
	CodeUnknownFix  Code = "unknown-fix"
	CodeDisabled    Code = "disabled"
	CodeWrongRunner Code = "wrong-runner"
	CodeWrongOS     Code = "wrong-os"
	CodeUnavailable Code = "unavailable"
	CodeBadParams   Code = "bad-params"
	CodeInvalidFix  Code = "invalid-fix"
	CodeBusy        Code = "busy"
	CodeRateLimited Code = "rate-limited"
)

// RefusedError is a request the runner would not carry out. Nothing was
// executed.
type RefusedError struct {
	Code   Code
	FixID  string
	Reason string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("fix %s refused (%s): %s", quoteID(e.FixID), e.Code, e.Reason)
}

// quoteID shortens and quotes a fix id from a request for messages: an
// unknown id is whatever the caller sent.
func quoteID(id string) string {
	return audit.Shorten(id, 64)
}
