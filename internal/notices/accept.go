package notices

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/firstline-it/firstline/internal/notices/minisign"
)

// State is the last feed this machine accepted. The zero State is a
// machine that has accepted nothing yet.
type State struct {
	// Feed is the accepted feed; nil when none has been.
	Feed *Feed `json:"-"`
	// Sequence is the accepted feed's sequence: feeds below it are
	// refused as rollbacks. It survives a feed that no longer verifies
	// after a key rotation (see Store.LoadFeed).
	Sequence uint64 `json:"sequence"`
	// Digest is the SHA-256 of the feed bytes, in hex.
	Digest string `json:"digest,omitempty"`
	// KeyID is the key that signed it, and TrustedComment the signature's
	// authenticated comment (minisign puts the signing time there).
	KeyID          string `json:"key_id,omitempty"`
	TrustedComment string `json:"trusted_comment,omitempty"`
	// AcceptedAt is when this machine accepted it.
	AcceptedAt time.Time `json:"accepted_at,omitzero"`
	// Raw and Signature are the bytes as fetched, kept so the state can be
	// saved and verified again when it is loaded.
	Raw       []byte `json:"raw,omitempty"`
	Signature []byte `json:"signature,omitempty"`
}

// Reason says why a feed was refused.
type Reason string

// The reasons Accept refuses a feed.
const (
	ReasonUnsigned       Reason = "unsigned"
	ReasonBadSignature   Reason = "bad signature"
	ReasonUnknownKey     Reason = "unknown key"
	ReasonMalformed      Reason = "malformed"
	ReasonRollback       Reason = "rollback"
	ReasonSequenceReused Reason = "sequence reused"
)

// RefusedError is why Accept refused a feed. The previous state stays.
type RefusedError struct {
	Reason Reason
	// Err has the details: a minisign error, a *FeedError, or a message.
	Err error
}

func (e *RefusedError) Error() string {
	return "feed refused (" + string(e.Reason) + "): " + e.Err.Error()
}

func (e *RefusedError) Unwrap() error { return e.Err }

func refuse(r Reason, err error) error { return &RefusedError{Reason: r, Err: err} }

// Accept verifies a fetched feed and its minisign signature against the
// trusted keys and returns the state to keep. It refuses, with a
// *RefusedError naming the reason, a feed that is:
//
//   - unsigned (no signature, or an empty one);
//   - badly signed (malformed signature, data or trusted comment changed);
//   - signed by a key not among keys;
//   - malformed (too big, not the schema; every problem named);
//   - a rollback: a lower sequence than prev's;
//   - a different document with prev's sequence (a sequence must not be
//     reused; republishing the same bytes is fine and changes nothing).
//
// On refusal the caller keeps prev. The signature is checked before the
// document is parsed, so nothing unauthenticated is interpreted. A feed
// whose notices have all expired is accepted: expiry is the view's
// business, and the sequence still moves forward.
func Accept(prev State, feed, sig []byte, keys []minisign.PublicKey, now time.Time) (State, error) {
	if len(feed) > MaxFeedBytes {
		return prev, refuse(ReasonMalformed, fmt.Errorf("the feed is %d bytes; the limit is %d", len(feed), MaxFeedBytes))
	}
	if len(bytes.TrimSpace(sig)) == 0 {
		return prev, refuse(ReasonUnsigned, errors.New("no signature (publish the .minisig file next to the feed)"))
	}
	v, err := minisign.Verify(keys, feed, sig)
	switch {
	case errors.Is(err, minisign.ErrUnknownKey):
		return prev, refuse(ReasonUnknownKey, err)
	case err != nil:
		return prev, refuse(ReasonBadSignature, err)
	}
	f, err := DecodeFeed(feed)
	if err != nil {
		return prev, refuse(ReasonMalformed, err)
	}
	sum := sha256.Sum256(feed)
	digest := hex.EncodeToString(sum[:])
	if f.Sequence < prev.Sequence {
		return prev, refuse(ReasonRollback, fmt.Errorf("sequence %d is lower than %d, the last one accepted (an old feed is being served)", f.Sequence, prev.Sequence))
	}
	if f.Sequence == prev.Sequence {
		if digest != prev.Digest {
			return prev, refuse(ReasonSequenceReused, fmt.Errorf("sequence %d was already accepted with different content; publish with a higher sequence", f.Sequence))
		}
		if prev.Feed != nil {
			return prev, nil // the same document again
		}
		// The same document, whose notices were dropped when the saved copy
		// stopped verifying (see Store.LoadFeed): take it back.
	}
	return State{
		Feed:           f,
		Sequence:       f.Sequence,
		Digest:         digest,
		KeyID:          v.KeyID.String(),
		TrustedComment: v.TrustedComment,
		AcceptedAt:     now,
		Raw:            bytes.Clone(feed),
		Signature:      bytes.Clone(sig),
	}, nil
}
