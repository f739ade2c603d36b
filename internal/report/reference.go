package report

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
)

// Reference is the short code an employee quotes on the phone, such as
// "FL-7K3Q2": "FL-" and five characters of Crockford's base32, whose
// alphabet leaves out I, L, O and U so nothing reads as another character.
//
// It is derived from the key alone (the first 25 bits of SHA-256 of its 16
// bytes), so the app, the service and the helpdesk ticket all show the same
// code without having to agree on it, and a client cannot choose a
// reference except by choosing a key. Hashing, rather than taking bits of
// the key, spreads the time-ordered first bits of a UUIDv7 over all codes.
//
// There are 2^25 (33,554,432) references. A new report shares its
// reference with one of n earlier reports with probability n/2^25: one in
// 33,000 with a thousand reports kept, 0.03% with ten thousand. Among all
// reports of one machine a clash somewhere is likelier (about n²/2^26:
// 1.5% for a thousand), so a reference is a name for people, not an
// identifier: a lookup by reference is scoped to one owner's reports and
// may, rarely, return more than one; the Key is what the software relies on.
type Reference string

// referencePrefix marks a Firstline reference in a ticket or an e-mail.
const referencePrefix = "FL-"

// crockford is Crockford's base32 alphabet.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// referenceChars is how many base32 characters follow the prefix.
const referenceChars = 5

// Reference returns the key's reference.
func (k Key) Reference() Reference {
	sum := sha256.Sum256(k[:])
	bits := binary.BigEndian.Uint32(sum[:4]) >> (32 - 5*referenceChars)
	var b [len(referencePrefix) + referenceChars]byte
	copy(b[:], referencePrefix)
	for i := referenceChars - 1; i >= 0; i-- {
		b[len(referencePrefix)+i] = crockford[bits&31]
		bits >>= 5
	}
	return Reference(b[:])
}

// ParseReference reads a reference the way a person might type or dictate
// it: any case, with or without the "FL-" prefix, with spaces or dashes,
// and with O for 0 and I or L for 1 as Crockford's decoding rules allow. It
// returns the canonical form.
func ParseReference(s string) (Reference, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimPrefix(t, "FL")
	var b strings.Builder
	b.WriteString(referencePrefix)
	n := 0
	for _, r := range t {
		switch {
		case r == '-' || r == ' ':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > 0x7f || strings.IndexByte(crockford, byte(r)) < 0 {
			return "", fmt.Errorf("%q is not a Firstline reference (like FL-7K3Q2): %q is not one of its characters", clip(s, 40), r)
		}
		b.WriteRune(r)
		n++
	}
	if n != referenceChars {
		return "", fmt.Errorf("%q is not a Firstline reference (like FL-7K3Q2): it needs %d characters after FL-", clip(s, 40), referenceChars)
	}
	return Reference(b.String()), nil
}
