package minisign

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/blake2b"
)

// splitLines splits text into lines the way minisign reads them: "\n" ends
// a line, one "\r" before it is dropped (files edited on Windows), and a
// "\r" anywhere else is refused. Trailing empty lines are dropped, so a
// file with or without its final newline reads the same.
func splitLines(text []byte) ([]string, error) {
	lines := strings.Split(string(text), "\n")
	for len(lines) > 0 && strings.TrimRight(lines[len(lines)-1], "\r") == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		l = strings.TrimSuffix(l, "\r")
		if strings.ContainsRune(l, '\r') {
			return nil, errors.New("a carriage return inside a line")
		}
		lines[i] = l
	}
	return lines, nil
}

// checksum is minisign's secret key checksum: BLAKE2b-256 of the algorithm,
// the key id and the secret key.
func checksum(id KeyID, sk ed25519.PrivateKey) [32]byte {
	h, _ := blake2b.New256(nil) // cannot fail without a key
	h.Write([]byte(algEd25519))
	h.Write(id[:])
	h.Write(sk)
	return [32]byte(h.Sum(nil))
}

// isPrintable is minisign's rule for trusted comments: valid UTF-8 with no
// control characters (C0, DEL, C1) other than tab.
func isPrintable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r != '\t' && (r < 0x20 || (r >= 0x7f && r <= 0x9f)) {
			return false
		}
	}
	return true
}
