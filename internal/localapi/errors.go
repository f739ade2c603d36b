package localapi

import (
	"errors"
	"fmt"
	"net/http"
)

// Code is a stable, machine-readable error code. The app maps codes to
// messages an employee understands; codes never change meaning.
type Code string

// Error codes.
const (
	CodeBadRequest         Code = "bad_request"
	CodeBrowserRefused     Code = "browser_refused"
	CodeBadHost            Code = "bad_host"
	CodeBodyTooLarge       Code = "body_too_large"
	CodeNotFound           Code = "not_found"
	CodeMethodNotAllowed   Code = "method_not_allowed"
	CodePermissionDenied   Code = "permission_denied"
	CodeTooManyConnections Code = "too_many_connections"
	CodeShuttingDown       Code = "shutting_down"
	// CodeSpoolFull: the service cannot keep one more report; the app
	// keeps it in the employee's own spool and says so.
	CodeSpoolFull Code = "spool_full"
	// CodeKeyInUse: a report key another user already used.
	CodeKeyInUse Code = "key_in_use"
	CodeInternal Code = "internal"
)

// Error is the body of every non-2xx response:
// {"error": {"code": "...", "message": "..."}}.
type Error struct {
	// Status is the HTTP status the error came with; not serialised.
	Status  int    `json:"-"`
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// ErrorBody is the JSON envelope of an [Error].
type ErrorBody struct {
	Error *Error `json:"error"`
}

// StatusOf returns the HTTP status the server sends for code.
func StatusOf(code Code) int {
	switch code {
	case CodeBadRequest:
		return http.StatusBadRequest
	case CodeBrowserRefused, CodeBadHost, CodePermissionDenied:
		return http.StatusForbidden
	case CodeBodyTooLarge:
		return http.StatusRequestEntityTooLarge
	case CodeNotFound, CodeFixUnknown:
		return http.StatusNotFound
	case CodeFixDisabled:
		return http.StatusForbidden
	case CodeFixWrongRunner, CodeFixBadParams:
		return http.StatusBadRequest
	case CodeFixUnavailable, CodeFixBusy:
		return http.StatusConflict
	case CodeRateLimited:
		return http.StatusTooManyRequests
	case CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case CodeTooManyConnections, CodeShuttingDown:
		return http.StatusServiceUnavailable
	case CodeSpoolFull:
		return http.StatusInsufficientStorage
	case CodeKeyInUse:
		return http.StatusConflict
	default:
		return http.StatusInternalServerError
	}
}

// ErrUnreachable is wrapped by client errors that mean the service is not
// running or its socket cannot be opened: the app shows "Firstline service is
// not running" for these, not a protocol error.
var ErrUnreachable = errors.New("firstline service is not reachable")

// IsCode reports whether err is an [*Error] with the given code.
func IsCode(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}
