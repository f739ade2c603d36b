// Package minisign reads and writes the file formats of the minisign tool
// (https://jedisct1.github.io/minisign/): Ed25519 key pairs, and detached
// signatures with a signed "trusted comment".
//
// IT signs notice feeds with the standard minisign binary or with
// firstline-service; either way the service verifies them here. Being
// byte-compatible with minisign is the point, so the formats follow its
// source, not a re-imagining of it:
//
// Public key (file, or its second line alone as a string):
//
//	untrusted comment: minisign public key 74CC6B416BBCF1D8
//	base64("Ed" || key id[8] || Ed25519 public key[32])
//
// Secret key:
//
//	untrusted comment: <anything>
//	base64("Ed" || kdf[2] || "B2" || salt[32] || opslimit[8 LE] || memlimit[8 LE] ||
//	       key id[8] || Ed25519 secret key[64] || checksum[32])
//
// kdf is "Sc" when the last 104 bytes are encrypted (XORed with scrypt of the
// password, libsodium's scryptsalsa208sha256 parameter choice), or two zero
// bytes for a key written with "minisign -W". The checksum is
// BLAKE2b-256("Ed" || key id || secret key) and catches a wrong password.
//
// Signature:
//
//	untrusted comment: <anything, not authenticated>
//	base64(alg[2] || key id[8] || Ed25519 signature[64])
//	trusted comment: <printable text, authenticated>
//	base64(Ed25519 signature of (signature[64] || trusted comment))
//
// alg "ED" signs the BLAKE2b-512 hash of the data (minisign's default since
// 0.9); the legacy "Ed" signs the data itself. Both verify, as with
// "minisign -V"; Sign writes "ED".
//
// The key id is 8 random bytes chosen at key generation; minisign prints it
// as the little-endian 64-bit number in upper-case hex, and so does
// [KeyID.String]. Verification looks the signature's key id up among the
// keys it is given, which is how two keys are trusted during a rotation.
package minisign
