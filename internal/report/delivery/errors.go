package delivery

import (
	"context"
	"errors"
	"strings"
	"time"
)

// PermanentError is a failure that retrying cannot fix: the destination
// refused the report or the credentials, or the configuration is wrong.
// The report needs attention from IT.
type PermanentError struct {
	Err error
}

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// TransientError is a failure worth retrying: the network, a timeout, a
// busy or broken server.
type TransientError struct {
	Err error
	// RetryAfter is how long the server asked us to wait (HTTP
	// Retry-After); 0 when it did not say.
	RetryAfter time.Duration
}

func (e *TransientError) Error() string { return e.Err.Error() }
func (e *TransientError) Unwrap() error { return e.Err }

// Permanent marks err as permanent. It returns nil for a nil err.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &PermanentError{Err: err}
}

// Transient marks err as worth retrying, not before retryAfter when that
// is positive. It returns nil for a nil err.
func Transient(err error, retryAfter time.Duration) error {
	if err == nil {
		return nil
	}
	return &TransientError{Err: err, RetryAfter: max(retryAfter, 0)}
}

// IsPermanent reports whether err, or anything it wraps, is permanent. A
// permanent mark anywhere wins over a transient one: something in the
// chain decided that retrying is pointless.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// RetryAfter returns the wait a transient err asks for, and 0 when it names
// none.
func RetryAfter(err error) time.Duration {
	var t *TransientError
	if errors.As(err, &t) {
		return t.RetryAfter
	}
	return 0
}

// IsCanceled reports whether err only says that the caller gave up (the
// service is stopping). Such an attempt is not a failure of the
// destination and must not count against it.
func IsCanceled(err error) bool {
	return errors.Is(err, context.Canceled) && !IsPermanent(err)
}

// ClassifyNetwork classifies an error from talking to a peer below the
// application protocol: DNS, TCP, TLS, a timeout, a connection cut in the
// middle. All of these are transient (an employee's laptop is offline or
// behind a captive portal more often than not), except a cancellation,
// which is returned as it is.
func ClassifyNetwork(err error) error {
	if err == nil || IsCanceled(err) || IsPermanent(err) {
		return err
	}
	var t *TransientError
	if errors.As(err, &t) {
		return err
	}
	return Transient(err, 0)
}

// AuthError is a destination refusing the configured credentials (or their
// permissions). It names the configuration keys to check, never their
// values.
type AuthError struct {
	// Destination is the destination's name.
	Destination string
	// Keys are the dotted configuration keys to check
	// ("delivery.rt.token").
	Keys []string
	// Err is what the server said.
	Err error
}

func (e *AuthError) Error() string {
	var b strings.Builder
	if e.Err != nil {
		// Err already says which destination and what happened.
		b.WriteString(e.Err.Error())
		b.WriteString(": ")
	} else {
		b.WriteString(e.Destination + ": ")
	}
	b.WriteString("credentials or permissions refused")
	if len(e.Keys) > 0 {
		b.WriteString("; check ")
		b.WriteString(strings.Join(e.Keys, " and "))
		b.WriteString(" in the service configuration")
	}
	return b.String()
}

func (e *AuthError) Unwrap() error { return e.Err }

// AuthFailed returns a permanent *AuthError for destination, naming keys.
// cause must not contain the secret (a server's reply never does).
func AuthFailed(destination string, cause error, keys ...string) error {
	return Permanent(&AuthError{Destination: destination, Keys: keys, Err: cause})
}
