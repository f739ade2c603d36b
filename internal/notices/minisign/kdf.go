package minisign

import (
	"fmt"

	"golang.org/x/crypto/scrypt"
)

// KDF is the cost of the scrypt key derivation that encrypts a secret key,
// in libsodium's terms (crypto_pwhash_scryptsalsa208sha256): the file
// stores these two numbers and the reader derives scrypt's N, r and p from
// them exactly as libsodium does.
type KDF struct {
	OpsLimit uint64
	MemLimit uint64
}

// DefaultKDF is what minisign uses: libsodium's "sensitive" limits, which
// come to scrypt N=2^20, r=8, p=1 — 1 GiB of memory and a second or two.
func DefaultKDF() KDF { return KDF{OpsLimit: 1 << 25, MemLimit: 1 << 30} }

// Bounds on what a key file may ask of the machine that decrypts it: 4 GiB
// of memory and 64 passes. minisign's own keys need 1 GiB and one pass.
const (
	maxNLog2 = 22
	maxP     = 64
)

// deriveStream returns the keystream that is XORed with the secret part of
// an encrypted key.
func deriveStream(password, salt []byte, opsLimit, memLimit uint64) ([]byte, error) {
	nLog2, r, p := scryptParams(opsLimit, memLimit)
	if nLog2 > maxNLog2 || p > maxP || p < 1 {
		return nil, fmt.Errorf("%w: secret key: scrypt cost (opslimit %d, memlimit %d: N=2^%d, r=%d, p=%d) is beyond what this program allows",
			ErrMalformed, opsLimit, memLimit, nLog2, r, p)
	}
	stream, err := scrypt.Key(password, salt, 1<<nLog2, int(r), int(p), secretSize)
	if err != nil {
		return nil, fmt.Errorf("deriving the key from the password: %w", err)
	}
	return stream, nil
}

// scryptParams is libsodium's pickparams (crypto_scrypt-common.c): how the
// stored limits become scrypt's parameters.
func scryptParams(opsLimit, memLimit uint64) (nLog2 uint, r, p uint64) {
	if opsLimit < 32768 {
		opsLimit = 32768
	}
	r = 8
	if opsLimit < memLimit/32 {
		p = 1
		maxN := opsLimit / (r * 4)
		nLog2 = smallestNLog2(maxN)
		return nLog2, r, p
	}
	maxN := memLimit / (r * 128)
	nLog2 = smallestNLog2(maxN)
	maxRP := (opsLimit / 4) / (uint64(1) << nLog2)
	if maxRP > 0x3fffffff {
		maxRP = 0x3fffffff
	}
	p = maxRP / r
	return nLog2, r, p
}

// smallestNLog2 is the first n in 1..62 with 2^n > maxN/2, libsodium's
// loop for the largest N that fits.
func smallestNLog2(maxN uint64) uint {
	n := uint(1)
	for ; n < 63; n++ {
		if uint64(1)<<n > maxN/2 {
			break
		}
	}
	return n
}
