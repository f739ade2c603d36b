package minisign

import (
	"crypto/ed25519"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/blake2b"
)

// maxSignatureFile bounds what ParseSignature reads: minisign's longest
// untrusted and trusted comments plus the two signature lines.
const maxSignatureFile = commentMaxBytes + trustedCommentMaxBytes + 2*128

// Signature is a parsed minisign signature file.
type Signature struct {
	// Prehashed is true for "ED" signatures (of the BLAKE2b-512 hash of the
	// data), false for legacy "Ed" ones (of the data itself).
	Prehashed bool
	KeyID     KeyID
	// Sig is the Ed25519 signature of the data (or its hash).
	Sig [ed25519.SignatureSize]byte
	// UntrustedComment is not authenticated: anyone can change it.
	UntrustedComment string
	// TrustedComment is signed together with Sig by GlobalSig.
	TrustedComment string
	GlobalSig      [ed25519.SignatureSize]byte
}

// ParseSignature reads the content of a .minisig file. It checks the
// format only; Verify checks the signatures.
func ParseSignature(file []byte) (*Signature, error) {
	if len(file) > maxSignatureFile {
		return nil, fmt.Errorf("%w: signature: %d bytes is more than a signature file holds", ErrMalformed, len(file))
	}
	lines, err := splitLines(file)
	if err != nil {
		return nil, fmt.Errorf("%w: signature: %w", ErrMalformed, err)
	}
	if len(lines) != 4 {
		return nil, fmt.Errorf("%w: signature: %d lines, want 4 (untrusted comment, signature, trusted comment, comment signature)", ErrMalformed, len(lines))
	}
	s := &Signature{}
	var ok bool
	if s.UntrustedComment, ok = strings.CutPrefix(lines[0], commentPrefix); !ok {
		return nil, fmt.Errorf("%w: signature: line 1 does not start with %q", ErrMalformed, commentPrefix)
	}
	if len(lines[0]) >= commentMaxBytes {
		return nil, fmt.Errorf("%w: signature: untrusted comment longer than %d bytes", ErrMalformed, commentMaxBytes-1)
	}
	raw, err := b64().DecodeString(lines[1])
	if err != nil || len(raw) != sigStructSize {
		return nil, fmt.Errorf("%w: signature: line 2 is not the base64 of a %d-byte signature", ErrMalformed, sigStructSize)
	}
	switch string(raw[:2]) {
	case algPrehashed:
		s.Prehashed = true
	case algEd25519:
	default:
		return nil, fmt.Errorf("%w: signature: algorithm %q is not supported (want %q or %q)", ErrMalformed, raw[:2], algPrehashed, algEd25519)
	}
	copy(s.KeyID[:], raw[2:])
	copy(s.Sig[:], raw[2+keyIDSize:])
	if s.TrustedComment, ok = strings.CutPrefix(lines[2], trustedCommentPrefix); !ok {
		return nil, fmt.Errorf("%w: signature: line 3 does not start with %q", ErrMalformed, trustedCommentPrefix)
	}
	if err := checkTrustedComment(s.TrustedComment); err != nil {
		return nil, fmt.Errorf("%w: signature: %w", ErrMalformed, err)
	}
	raw, err = b64().DecodeString(lines[3])
	if err != nil || len(raw) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w: signature: line 4 is not the base64 of a %d-byte comment signature", ErrMalformed, ed25519.SignatureSize)
	}
	copy(s.GlobalSig[:], raw)
	return s, nil
}

func checkTrustedComment(c string) error {
	if len(trustedCommentPrefix)+len(c) >= trustedCommentMaxBytes {
		return fmt.Errorf("trusted comment longer than %d bytes", trustedCommentMaxBytes-len(trustedCommentPrefix)-1)
	}
	if !isPrintable(c) {
		return fmt.Errorf("trusted comment has unprintable characters")
	}
	return nil
}

// MarshalText returns the .minisig file content.
func (s *Signature) MarshalText() ([]byte, error) {
	if strings.ContainsAny(s.UntrustedComment, "\r\n") || len(commentPrefix)+len(s.UntrustedComment) >= commentMaxBytes {
		return nil, fmt.Errorf("untrusted comment: one line of at most %d bytes", commentMaxBytes-len(commentPrefix)-1)
	}
	if err := checkTrustedComment(s.TrustedComment); err != nil {
		return nil, err
	}
	alg := algEd25519
	if s.Prehashed {
		alg = algPrehashed
	}
	raw := make([]byte, 0, sigStructSize)
	raw = append(raw, alg...)
	raw = append(raw, s.KeyID[:]...)
	raw = append(raw, s.Sig[:]...)
	var b strings.Builder
	b.WriteString(commentPrefix + s.UntrustedComment + "\n")
	b.WriteString(b64().EncodeToString(raw) + "\n")
	b.WriteString(trustedCommentPrefix + s.TrustedComment + "\n")
	b.WriteString(b64().EncodeToString(s.GlobalSig[:]) + "\n")
	return []byte(b.String()), nil
}

// SignOptions are the comments of a signature. Zero values pick minisign's
// defaults.
type SignOptions struct {
	// UntrustedComment defaults to "signature from minisign secret key".
	UntrustedComment string
	// TrustedComment defaults to minisign's
	// "timestamp:<unix time>\tfile:<FileName>\thashed".
	TrustedComment string
	// FileName goes into the default trusted comment.
	FileName string
	// Time goes into the default trusted comment; zero means now.
	Time time.Time
}

// Sign signs data with k the way "minisign -S" does (prehashed, "ED") and
// returns the .minisig file content.
func Sign(k PrivateKey, data []byte, opts SignOptions) ([]byte, error) {
	if len(k.Key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("signing: the secret key is not set")
	}
	if opts.UntrustedComment == "" {
		opts.UntrustedComment = "signature from minisign secret key"
	}
	if opts.TrustedComment == "" {
		at := opts.Time
		if at.IsZero() {
			at = time.Now()
		}
		opts.TrustedComment = "timestamp:" + strconv.FormatInt(at.Unix(), 10) +
			"\tfile:" + opts.FileName + "\thashed"
	}
	hash := blake2b.Sum512(data)
	s := &Signature{
		Prehashed:        true,
		KeyID:            k.ID,
		UntrustedComment: opts.UntrustedComment,
		TrustedComment:   opts.TrustedComment,
	}
	copy(s.Sig[:], ed25519.Sign(k.Key, hash[:]))
	copy(s.GlobalSig[:], ed25519.Sign(k.Key, s.globalMessage()))
	out, err := s.MarshalText()
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	return out, nil
}

// globalMessage is what the comment signature covers.
func (s *Signature) globalMessage() []byte {
	m := make([]byte, 0, len(s.Sig)+len(s.TrustedComment))
	m = append(m, s.Sig[:]...)
	return append(m, s.TrustedComment...)
}

// Verified is what a successful Verify learned.
type Verified struct {
	// KeyID is the key that signed.
	KeyID KeyID
	// TrustedComment is the authenticated comment.
	TrustedComment string
	// Prehashed is false for a legacy "Ed" signature.
	Prehashed bool
}

// Verify checks that sigFile is a valid minisign signature of data by one
// of keys, and that its trusted comment is authentic. Errors wrap
// ErrMalformed, ErrUnknownKey (an *UnknownKeyError), ErrBadSignature or
// ErrBadTrustedComment.
func Verify(keys []PublicKey, data, sigFile []byte) (*Verified, error) {
	s, err := ParseSignature(sigFile)
	if err != nil {
		return nil, err
	}
	return s.Verify(keys, data)
}

// Verify checks s against data with the key among keys that has s's id.
// Should two trusted keys share an id (ids are random, so only by
// mistake), each is tried.
func (s *Signature) Verify(keys []PublicKey, data []byte) (*Verified, error) {
	signed := data
	if s.Prehashed {
		hash := blake2b.Sum512(data)
		signed = hash[:]
	}
	err := error(nil)
	for _, k := range keys {
		if k.ID != s.KeyID || len(k.Key) != ed25519.PublicKeySize {
			continue
		}
		switch {
		case !ed25519.Verify(k.Key, signed, s.Sig[:]):
			err = ErrBadSignature
		case !ed25519.Verify(k.Key, s.globalMessage(), s.GlobalSig[:]):
			err = ErrBadTrustedComment
		default:
			return &Verified{KeyID: s.KeyID, TrustedComment: s.TrustedComment, Prehashed: s.Prehashed}, nil
		}
	}
	if err != nil {
		return nil, err
	}
	ids := make([]KeyID, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	return nil, &UnknownKeyError{KeyID: s.KeyID, Trusted: ids}
}
