package minisign

import (
	"errors"
	"strings"
)

// Errors a caller tells apart with errors.Is. The messages say what is
// wrong in words an administrator can act on; the wrapping error adds which
// file and which part.
var (
	// ErrMalformed: the text is not a minisign key or signature (wrong line
	// layout, bad base64, wrong length, unknown algorithm, unprintable
	// trusted comment).
	ErrMalformed = errors.New("not in minisign format")
	// ErrUnknownKey: the signature names a key id none of the trusted keys
	// has. The error is an *UnknownKeyError.
	ErrUnknownKey = errors.New("signed by a key that is not trusted")
	// ErrBadSignature: the data does not match the signature (it was
	// changed after signing, or signed by another key with the same id).
	ErrBadSignature = errors.New("signature does not match the data")
	// ErrBadTrustedComment: the data verified but the trusted comment was
	// changed after signing.
	ErrBadTrustedComment = errors.New("trusted comment signature does not verify (the comment was changed after signing)")
	// ErrPasswordRequired: the secret key is encrypted and no password was
	// given.
	ErrPasswordRequired = errors.New("the secret key is encrypted: a password is required")
	// ErrWrongPassword: the password does not decrypt the secret key.
	ErrWrongPassword = errors.New("wrong password for this secret key")
)

// UnknownKeyError is returned by Verify when no trusted key has the
// signature's key id.
type UnknownKeyError struct {
	// KeyID is the id the signature names.
	KeyID KeyID
	// Trusted are the ids of the keys that were tried.
	Trusted []KeyID
}

func (e *UnknownKeyError) Error() string {
	ids := make([]string, len(e.Trusted))
	for i, id := range e.Trusted {
		ids[i] = id.String()
	}
	trusted := "none"
	if len(ids) > 0 {
		trusted = strings.Join(ids, ", ")
	}
	return "signed by key " + e.KeyID.String() + ", which is not trusted (trusted keys: " + trusted + ")"
}

// Is makes errors.Is(err, ErrUnknownKey) true.
func (e *UnknownKeyError) Is(target error) bool { return target == ErrUnknownKey }
