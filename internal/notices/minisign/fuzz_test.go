package minisign

import (
	"crypto/ed25519"
	"errors"
	"testing"
)

// The parsers read files an attacker may control (a signature served next
// to the feed). They must never panic, must refuse with ErrMalformed, and
// what they accept must encode back to something they read the same way.

func FuzzParseSignature(f *testing.F) {
	for _, name := range []string{"message.txt.minisig", "message.txt.legacy.minisig", "message.txt.enc.minisig"} {
		f.Add(readTestdata(f, name))
	}
	f.Add([]byte("untrusted comment: \n\ntrusted comment: \n\n"))
	pk := minisignKey(f)
	data := readTestdata(f, "message.txt")
	var originals [2]Signature
	for i, name := range []string{"message.txt.minisig", "message.txt.legacy.minisig"} {
		s, err := ParseSignature(readTestdata(f, name))
		if err != nil {
			f.Fatal(err)
		}
		s.UntrustedComment = ""
		originals[i] = *s
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		s, err := ParseSignature(file)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParseSignature error %v does not wrap ErrMalformed", err)
			}
			return
		}
		out, err := s.MarshalText()
		if err != nil {
			t.Fatalf("accepted signature does not encode: %v", err)
		}
		again, err := ParseSignature(out)
		if err != nil || *again != *s {
			t.Fatalf("round trip: %+v, %v; want %+v", again, err, s)
		}
		// Verification never panics, and succeeds only for the signed parts
		// of a real file: the untrusted comment is free to change.
		if _, err := s.Verify([]PublicKey{pk}, data); err == nil {
			s.UntrustedComment = ""
			if *s != originals[0] && *s != originals[1] {
				t.Fatalf("a mutated signature verified:\n%s", out)
			}
		}
	})
}

func FuzzParsePublicKey(f *testing.F) {
	f.Add(string(readTestdata(f, "w.pub")))
	f.Add(string(readTestdata(f, "enc.pub")))
	f.Add("RWTY8bxrQWvMdIBF/g6D9p0GeFkaL1lEr38M5u9Nbhf8J7Tr+uDQqSWR")
	f.Fuzz(func(t *testing.T, text string) {
		pk, err := ParsePublicKey(text)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParsePublicKey error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if len(pk.Key) != ed25519.PublicKeySize {
			t.Fatalf("accepted a %d-byte key", len(pk.Key))
		}
		again, err := ParsePublicKey(string(pk.MarshalFile()))
		if err != nil || !again.Equal(pk) {
			t.Fatalf("round trip: %v, %v", again, err)
		}
	})
}

func FuzzParsePrivateKey(f *testing.F) {
	f.Add(readTestdata(f, "w.key"))
	f.Add(readTestdata(f, "enc.key"))
	f.Fuzz(func(t *testing.T, file []byte) {
		// No password: an encrypted key stops before scrypt, whose cost
		// the fuzzer would otherwise choose.
		k, err := ParsePrivateKey(file, nil)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrPasswordRequired) {
				t.Fatalf("ParsePrivateKey error %v is neither ErrMalformed nor ErrPasswordRequired", err)
			}
			return
		}
		again, err := ParsePrivateKey(k.MarshalFile(), nil)
		if err != nil || again.ID != k.ID || !again.Key.Equal(k.Key) {
			t.Fatalf("round trip: %v, %v", again, err)
		}
		sig, err := Sign(k, file, SignOptions{TrustedComment: "fuzz"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Verify([]PublicKey{k.Public()}, file, sig); err != nil {
			t.Fatalf("an accepted key signs what it cannot verify: %v", err)
		}
	})
}
