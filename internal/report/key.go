package report

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Key is a report's idempotency key: a UUIDv7 (RFC 9562, section 5.7). Its
// first 48 bits are the Unix time in milliseconds, so keys sort roughly by
// creation time, and 74 bits are random, so two machines never pick the same
// key. The zero Key means "not set".
//
// In JSON and file names a Key is written in the canonical lowercase
// 8-4-4-4-12 hex form.
type Key [16]byte

// NewKey returns a fresh key for a report created at now, with its random
// bits from crypto/rand.
func NewKey(now time.Time) Key {
	var k Key
	rand.Read(k[6:]) // never fails: crypto/rand crashes the program instead
	ms := max(now.UnixMilli(), 0)
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], uint64(ms))
	copy(k[:6], ts[2:])
	k[6] = 0x70 | k[6]&0x0f // version 7
	k[8] = 0x80 | k[8]&0x3f // variant 10 (RFC 9562)
	return k
}

// ParseKey parses the canonical text form of a UUIDv7, in either case. It
// refuses other UUID versions: a key that is not v7 was not made by
// Firstline and is more likely a mistake than a report.
func ParseKey(s string) (Key, error) {
	var k Key
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return Key{}, fmt.Errorf("%q is not a report key (want a UUID like 0190f2c4-5e1a-7b3c-8d4e-5f6a7b8c9d0e)", clip(s, 40))
	}
	hexDigits := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:36]
	if _, err := hex.Decode(k[:], []byte(hexDigits)); err != nil {
		return Key{}, fmt.Errorf("%q is not a report key: it has a character that is not a hex digit", clip(s, 40))
	}
	if err := k.check(); err != nil {
		return Key{}, err
	}
	return k, nil
}

// check reports why k is not a UUIDv7 key.
func (k Key) check() error {
	switch {
	case k.IsZero():
		return errors.New("the report key is missing")
	case k[6]>>4 != 7:
		return fmt.Errorf("report key %s is a version %d UUID; report keys are version 7", k, k[6]>>4)
	case k[8]>>6 != 0b10:
		return fmt.Errorf("report key %s does not have the RFC 9562 variant bits", k)
	}
	return nil
}

// IsZero reports whether k is unset.
func (k Key) IsZero() bool { return k == Key{} }

// Time is when the key was made, to the millisecond.
func (k Key) Time() time.Time {
	var ts [8]byte
	copy(ts[2:], k[:6])
	return time.UnixMilli(int64(binary.BigEndian.Uint64(ts[:])))
}

// String returns the canonical lowercase form.
func (k Key) String() string {
	var b [36]byte
	hex.Encode(b[0:8], k[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], k[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], k[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], k[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], k[10:16])
	return string(b[:])
}

// MarshalText implements encoding.TextMarshaler. A zero key marshals as ""
// so that "missing" survives a round trip and is caught by validation.
func (k Key) MarshalText() ([]byte, error) {
	if k.IsZero() {
		return []byte{}, nil
	}
	return []byte(k.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *Key) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*k = Key{}
		return nil
	}
	parsed, err := ParseKey(string(text))
	if err != nil {
		return err
	}
	*k = parsed
	return nil
}

// clip shortens s for quoting in an error message: a hostile client must not
// be able to make a log line megabytes long.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xc0 != 0x80 }
