package minisign

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"
)

func minisignKey(t testing.TB) PublicKey {
	t.Helper()
	pk, err := ParsePublicKey(string(readTestdata(t, "w.pub")))
	if err != nil {
		t.Fatal(err)
	}
	return pk
}

func TestVerifySignaturesMadeByMinisign(t *testing.T) {
	pk := minisignKey(t)
	data := readTestdata(t, "message.txt")
	tests := []struct {
		sig       string
		prehashed bool
		comment   string
	}{
		{"message.txt.minisig", true, "timestamp:1700000000\tfile:message.txt\thashed"},
		{"message.txt.legacy.minisig", false, "legacy test"},
	}
	for _, tt := range tests {
		t.Run(tt.sig, func(t *testing.T) {
			v, err := Verify([]PublicKey{pk}, data, readTestdata(t, tt.sig))
			if err != nil {
				t.Fatal(err)
			}
			if v.KeyID != pk.ID || v.Prehashed != tt.prehashed || v.TrustedComment != tt.comment {
				t.Errorf("Verify = %+v, want key %s, prehashed %v, comment %q", v, pk.ID, tt.prehashed, tt.comment)
			}
		})
	}
}

func TestVerifyRefuses(t *testing.T) {
	pk := minisignKey(t)
	other := mustGenerate(t).Public()
	sameIDOtherKey := PublicKey{ID: pk.ID, Key: other.Key}
	data := readTestdata(t, "message.txt")
	sig := string(readTestdata(t, "message.txt.minisig"))
	tests := []struct {
		name string
		keys []PublicKey
		data []byte
		sig  string
		want error
	}{
		{"tampered data", []PublicKey{pk}, append(bytes.Clone(data), '!'), sig, ErrBadSignature},
		{"tampered trusted comment", []PublicKey{pk}, data, strings.Replace(sig, "1700000000", "1800000000", 1), ErrBadTrustedComment},
		{"unknown key", []PublicKey{other}, data, sig, ErrUnknownKey},
		{"no keys", nil, data, sig, ErrUnknownKey},
		{"same id, other key", []PublicKey{sameIDOtherKey}, data, sig, ErrBadSignature},
		{"legacy tampered", []PublicKey{pk}, data[1:], string(readTestdata(t, "message.txt.legacy.minisig")), ErrBadSignature},
		{"unsigned", []PublicKey{pk}, data, "", ErrMalformed},
		{"three lines", []PublicKey{pk}, data, strings.Join(strings.Split(sig, "\n")[:3], "\n"), ErrMalformed},
		{"no comment prefix", []PublicKey{pk}, data, strings.Replace(sig, "untrusted comment: ", "comment: ", 1), ErrMalformed},
		{"no trusted prefix", []PublicKey{pk}, data, strings.Replace(sig, "trusted comment: ", "trusted: ", 1), ErrMalformed},
		{"unprintable comment", []PublicKey{pk}, data, strings.Replace(sig, "timestamp", "time\x01stamp", 1), ErrMalformed},
		{"invalid utf-8 comment", []PublicKey{pk}, data, strings.Replace(sig, "timestamp", "time\xffstamp", 1), ErrMalformed},
		{"algorithm", []PublicKey{pk}, data, strings.Replace(sig, "\nRUT", "\nRVT", 1), ErrMalformed},
		{"bad base64", []PublicKey{pk}, data, strings.Replace(sig, "\nRUT", "\n*UT", 1), ErrMalformed},
		{"extra line", []PublicKey{pk}, data, sig + "more\n", ErrMalformed},
		{"huge", []PublicKey{pk}, data, strings.Repeat("x", 20000), ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Verify(tt.keys, tt.data, []byte(tt.sig))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %+v, %v; want %v", v, err, tt.want)
			}
			t.Log(err)
		})
	}
}

func TestUnknownKeyErrorNamesTheKeys(t *testing.T) {
	a, b := mustGenerate(t).Public(), mustGenerate(t).Public()
	_, err := Verify([]PublicKey{a, b}, readTestdata(t, "message.txt"), readTestdata(t, "message.txt.minisig"))
	var uk *UnknownKeyError
	if !errors.As(err, &uk) {
		t.Fatalf("Verify = %v, want *UnknownKeyError", err)
	}
	for _, id := range []KeyID{minisignKey(t).ID, a.ID, b.ID} {
		if !strings.Contains(err.Error(), id.String()) {
			t.Errorf("%q does not name key %s", err, id)
		}
	}
}

func TestSignVerifyAndKeyRotation(t *testing.T) {
	old, next := mustGenerate(t), mustGenerate(t)
	data := []byte(`{"version":1}`)
	at := time.Unix(1700000000, 0)
	sig, err := Sign(next, data, SignOptions{FileName: "feed.json", Time: at})
	if err != nil {
		t.Fatal(err)
	}
	want := "trusted comment: timestamp:1700000000\tfile:feed.json\thashed\n"
	if !strings.Contains(string(sig), want) || !strings.HasPrefix(string(sig), "untrusted comment: signature from minisign secret key\n") {
		t.Errorf("signature file:\n%s\nwant minisign's default comments", sig)
	}
	// During a rotation both keys are trusted; either order works.
	for _, keys := range [][]PublicKey{{old.Public(), next.Public()}, {next.Public(), old.Public()}} {
		v, err := Verify(keys, data, sig)
		if err != nil || v.KeyID != next.ID || !v.Prehashed {
			t.Errorf("Verify(%v) = %+v, %v", keys, v, err)
		}
	}
	if _, err := Verify([]PublicKey{old.Public()}, data, sig); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("old key alone: %v, want ErrUnknownKey", err)
	}
}

func TestSignRefusesBadComments(t *testing.T) {
	k := mustGenerate(t)
	for name, opts := range map[string]SignOptions{
		"newline in untrusted":   {UntrustedComment: "a\nb", TrustedComment: "x"},
		"newline in trusted":     {TrustedComment: "a\nb"},
		"control in trusted":     {TrustedComment: "a\x1bb"},
		"trusted too long":       {TrustedComment: strings.Repeat("a", 8192)},
		"untrusted too long":     {UntrustedComment: strings.Repeat("a", 1024), TrustedComment: "x"},
		"newline in a file name": {FileName: "a\nb"},
	} {
		if _, err := Sign(k, nil, opts); err == nil {
			t.Errorf("%s: Sign accepted it", name)
		}
	}
	if _, err := Sign(PrivateKey{}, nil, SignOptions{}); err == nil {
		t.Error("Sign accepted a zero key")
	}
}

func TestSignatureRoundTrip(t *testing.T) {
	file := readTestdata(t, "message.txt.minisig")
	s, err := ParseSignature(file)
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.MarshalText()
	if err != nil || !bytes.Equal(out, file) {
		t.Errorf("MarshalText =\n%s%v\nwant the file back:\n%s", out, err, file)
	}
	if len(s.Sig) != ed25519.SignatureSize || s.UntrustedComment != "signature from minisign secret key" {
		t.Errorf("parsed %+v", s)
	}
}

func TestVerifyTriesEveryKeyWithTheID(t *testing.T) {
	pk := minisignKey(t)
	clash := PublicKey{ID: pk.ID, Key: mustGenerate(t).Public().Key}
	v, err := Verify([]PublicKey{clash, pk}, readTestdata(t, "message.txt"), readTestdata(t, "message.txt.minisig"))
	if err != nil || v.KeyID != pk.ID {
		t.Errorf("Verify = %+v, %v; want the second key with that id to verify", v, err)
	}
}
