package minisign

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
)

// Algorithm and format markers, as minisign.h defines them.
const (
	algEd25519     = "Ed" // keys, and legacy signatures of the raw data
	algPrehashed   = "ED" // signatures of the BLAKE2b-512 hash of the data
	kdfScrypt      = "Sc"
	kdfNone        = "\x00\x00"
	checksumBlake2 = "B2"

	commentPrefix        = "untrusted comment: "
	trustedCommentPrefix = "trusted comment: "

	// The limits minisign reads lines with (fgets into fixed buffers):
	// longer comments would not verify with the reference tool.
	commentMaxBytes        = 1024
	trustedCommentMaxBytes = 8192

	keyIDSize     = 8
	saltSize      = 32
	publicKeySize = 2 + keyIDSize + ed25519.PublicKeySize     // 42
	secretSize    = keyIDSize + ed25519.PrivateKeySize + 32   // 104, the encrypted part
	secretKeySize = 2 + 2 + 2 + saltSize + 8 + 8 + secretSize // 158
	sigStructSize = 2 + keyIDSize + ed25519.SignatureSize     // 74

	// maxKeyFile bounds what the key parsers look at: a comment line of
	// minisign's maximum and the longest key line, with room to spare.
	maxKeyFile = 4096
)

// b64 is the encoding minisign writes: standard alphabet with padding.
// Strict refuses non-zero padding bits, so one signature has one text.
func b64() *base64.Encoding { return base64.StdEncoding.Strict() }

// KeyID identifies a key pair: 8 random bytes chosen when it was generated,
// carried in every signature so the verifier knows which key to use.
type KeyID [keyIDSize]byte

// String formats id the way minisign prints it: the bytes as a
// little-endian 64-bit number in upper-case hex, 16 digits.
func (id KeyID) String() string {
	return fmt.Sprintf("%016X", binary.LittleEndian.Uint64(id[:]))
}

// PublicKey is a minisign public key.
type PublicKey struct {
	ID  KeyID
	Key ed25519.PublicKey
}

// PrivateKey is a minisign secret key, decrypted.
type PrivateKey struct {
	ID  KeyID
	Key ed25519.PrivateKey
}

// GenerateKey makes a new key pair from rand (crypto/rand.Reader in
// production), as "minisign -G" does: a random key id and an Ed25519 key.
func GenerateKey(rand io.Reader) (PrivateKey, error) {
	var id KeyID
	if _, err := io.ReadFull(rand, id[:]); err != nil {
		return PrivateKey{}, fmt.Errorf("generating a key id: %w", err)
	}
	_, sk, err := ed25519.GenerateKey(rand)
	if err != nil {
		return PrivateKey{}, fmt.Errorf("generating an Ed25519 key: %w", err)
	}
	return PrivateKey{ID: id, Key: sk}, nil
}

// Public returns the public half of k.
func (k PrivateKey) Public() PublicKey {
	return PublicKey{ID: k.ID, Key: k.Key.Public().(ed25519.PublicKey)}
}

// ParsePublicKey reads a public key from either the content of a
// minisign.pub file (comment line, then the key) or the key line alone, the
// string "minisign -P" takes and a configuration file holds.
func ParsePublicKey(text string) (PublicKey, error) {
	if len(text) > maxKeyFile {
		return PublicKey{}, fmt.Errorf("%w: public key: %d bytes is too long for a key", ErrMalformed, len(text))
	}
	lines, err := splitLines([]byte(text))
	if err != nil {
		return PublicKey{}, fmt.Errorf("%w: public key: %w", ErrMalformed, err)
	}
	var keyLine string
	switch {
	case len(lines) == 1:
		keyLine = lines[0]
	case len(lines) == 2 && strings.HasPrefix(lines[0], commentPrefix):
		keyLine = lines[1]
	case len(lines) == 0:
		return PublicKey{}, fmt.Errorf("%w: public key: empty", ErrMalformed)
	default:
		return PublicKey{}, fmt.Errorf("%w: public key: want the key line, or a %q line followed by the key line", ErrMalformed, strings.TrimSpace(commentPrefix))
	}
	raw, err := b64().DecodeString(strings.TrimSpace(keyLine))
	if err != nil || len(raw) != publicKeySize {
		return PublicKey{}, fmt.Errorf("%w: public key: not the base64 of a %d-byte minisign key", ErrMalformed, publicKeySize)
	}
	if string(raw[:2]) != algEd25519 {
		return PublicKey{}, fmt.Errorf("%w: public key: algorithm %q, want %q", ErrMalformed, raw[:2], algEd25519)
	}
	var pk PublicKey
	copy(pk.ID[:], raw[2:2+keyIDSize])
	pk.Key = ed25519.PublicKey(bytes.Clone(raw[2+keyIDSize:]))
	return pk, nil
}

// String returns the key line (base64), as "minisign -P" takes it.
func (k PublicKey) String() string {
	raw := make([]byte, 0, publicKeySize)
	raw = append(raw, algEd25519...)
	raw = append(raw, k.ID[:]...)
	raw = append(raw, k.Key...)
	return b64().EncodeToString(raw)
}

// MarshalFile returns the content of a minisign.pub file for k.
func (k PublicKey) MarshalFile() []byte {
	return []byte(commentPrefix + "minisign public key " + k.ID.String() + "\n" + k.String() + "\n")
}

// Equal reports whether k and o are the same key with the same id.
func (k PublicKey) Equal(o PublicKey) bool {
	return k.ID == o.ID && k.Key.Equal(o.Key)
}

// secretKeyFile is the decoded second line of a secret key file.
type secretKeyFile struct {
	kdf      string
	salt     [saltSize]byte
	opsLimit uint64
	memLimit uint64
	secret   [secretSize]byte // key id, secret key, checksum; maybe encrypted
}

func (f *secretKeyFile) marshal() []byte {
	raw := make([]byte, 0, secretKeySize)
	raw = append(raw, algEd25519...)
	raw = append(raw, f.kdf...)
	raw = append(raw, checksumBlake2...)
	raw = append(raw, f.salt[:]...)
	raw = binary.LittleEndian.AppendUint64(raw, f.opsLimit)
	raw = binary.LittleEndian.AppendUint64(raw, f.memLimit)
	return append(raw, f.secret[:]...)
}

// ParsePrivateKey reads the content of a minisign secret key file. An
// encrypted key needs its password ([ErrPasswordRequired] when password is
// nil, [ErrWrongPassword] when it does not match); an unencrypted one
// ("minisign -W") ignores password.
//
// Decrypting runs scrypt with the cost the file names, which for a key made
// by minisign is a second or two and 1 GiB of memory.
func ParsePrivateKey(file, password []byte) (PrivateKey, error) {
	f, err := parseSecretKeyFile(file)
	if err != nil {
		return PrivateKey{}, err
	}
	secret := f.secret
	switch f.kdf {
	case kdfNone:
	case kdfScrypt:
		if password == nil {
			return PrivateKey{}, ErrPasswordRequired
		}
		stream, err := deriveStream(password, f.salt[:], f.opsLimit, f.memLimit)
		if err != nil {
			return PrivateKey{}, err
		}
		for i := range secret {
			secret[i] ^= stream[i]
		}
	default:
		return PrivateKey{}, fmt.Errorf("%w: secret key: key derivation %q is not supported", ErrMalformed, f.kdf)
	}

	var k PrivateKey
	copy(k.ID[:], secret[:keyIDSize])
	sk := secret[keyIDSize : keyIDSize+ed25519.PrivateKeySize]
	// "minisign -W" leaves the checksum of an unencrypted key zero and never
	// reads it; a set checksum is checked all the same.
	stored := [32]byte(secret[keyIDSize+ed25519.PrivateKeySize:])
	if checksum(k.ID, sk) != stored && (f.kdf == kdfScrypt || stored != [32]byte{}) {
		if f.kdf == kdfScrypt {
			return PrivateKey{}, ErrWrongPassword
		}
		return PrivateKey{}, fmt.Errorf("%w: secret key: checksum mismatch (the file is damaged)", ErrMalformed)
	}
	// libsodium keeps the public key in the second half of the secret key;
	// a file whose halves disagree would sign with one key and claim another.
	seeded := ed25519.NewKeyFromSeed(sk[:ed25519.SeedSize])
	if !bytes.Equal(seeded, sk) {
		return PrivateKey{}, fmt.Errorf("%w: secret key: its public half does not match its seed", ErrMalformed)
	}
	k.Key = seeded
	return k, nil
}

func parseSecretKeyFile(file []byte) (*secretKeyFile, error) {
	if len(file) > maxKeyFile {
		return nil, fmt.Errorf("%w: secret key: %d bytes is too long for a key file", ErrMalformed, len(file))
	}
	lines, err := splitLines(file)
	if err != nil {
		return nil, fmt.Errorf("%w: secret key: %w", ErrMalformed, err)
	}
	if len(lines) != 2 || !strings.HasPrefix(lines[0], commentPrefix) {
		return nil, fmt.Errorf("%w: secret key: want a %q line followed by the key line", ErrMalformed, strings.TrimSpace(commentPrefix))
	}
	raw, err := b64().DecodeString(strings.TrimSpace(lines[1]))
	if err != nil || len(raw) != secretKeySize {
		return nil, fmt.Errorf("%w: secret key: not the base64 of a %d-byte minisign secret key", ErrMalformed, secretKeySize)
	}
	if string(raw[0:2]) != algEd25519 {
		return nil, fmt.Errorf("%w: secret key: algorithm %q, want %q", ErrMalformed, raw[0:2], algEd25519)
	}
	if string(raw[4:6]) != checksumBlake2 {
		return nil, fmt.Errorf("%w: secret key: checksum algorithm %q, want %q", ErrMalformed, raw[4:6], checksumBlake2)
	}
	f := &secretKeyFile{kdf: string(raw[2:4])}
	rest := raw[6:]
	rest = rest[copy(f.salt[:], rest):]
	f.opsLimit = binary.LittleEndian.Uint64(rest)
	f.memLimit = binary.LittleEndian.Uint64(rest[8:])
	copy(f.secret[:], rest[16:])
	return f, nil
}

// MarshalFile returns an unencrypted secret key file, as "minisign -G -W"
// writes it: readable by minisign without a password. Store it 0600.
func (k PrivateKey) MarshalFile() []byte {
	f := secretKeyFile{kdf: kdfNone}
	k.fillSecret(&f.secret)
	return []byte(commentPrefix + "minisign unencrypted secret key\n" + b64().EncodeToString(f.marshal()) + "\n")
}

// MarshalEncryptedFile returns a secret key file encrypted with password,
// which minisign decrypts with the same password. cost is the scrypt cost;
// [DefaultKDF] is what minisign itself uses. rand supplies the salt.
func (k PrivateKey) MarshalEncryptedFile(rand io.Reader, password []byte, cost KDF) ([]byte, error) {
	if len(password) == 0 {
		return nil, fmt.Errorf("encrypting the secret key: the password is empty")
	}
	f := secretKeyFile{kdf: kdfScrypt, opsLimit: cost.OpsLimit, memLimit: cost.MemLimit}
	if _, err := io.ReadFull(rand, f.salt[:]); err != nil {
		return nil, fmt.Errorf("encrypting the secret key: making a salt: %w", err)
	}
	stream, err := deriveStream(password, f.salt[:], f.opsLimit, f.memLimit)
	if err != nil {
		return nil, fmt.Errorf("encrypting the secret key: %w", err)
	}
	k.fillSecret(&f.secret)
	for i := range f.secret {
		f.secret[i] ^= stream[i]
	}
	return []byte(commentPrefix + "minisign encrypted secret key\n" + b64().EncodeToString(f.marshal()) + "\n"), nil
}

func (k PrivateKey) fillSecret(secret *[secretSize]byte) {
	n := copy(secret[:], k.ID[:])
	n += copy(secret[n:], k.Key)
	sum := checksum(k.ID, k.Key)
	copy(secret[n:], sum[:])
}
