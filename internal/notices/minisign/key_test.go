package minisign

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cheapKDF keeps encryption tests fast: scrypt N=2^10, r=8, p=1.
var cheapKDF = KDF{OpsLimit: 32768, MemLimit: 1 << 20}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustGenerate(t testing.TB) PrivateKey {
	t.Helper()
	k, err := GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestKeyIDStringIsMinisignsLittleEndianHex(t *testing.T) {
	// w.pub was written by minisign, whose comment line prints the id.
	file := string(readTestdata(t, "w.pub"))
	pk, err := ParsePublicKey(file)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(file, "\n")
	want := strings.TrimPrefix(first, "untrusted comment: minisign public key ")
	if pk.ID.String() != want {
		t.Errorf("KeyID.String() = %s, minisign printed %s", pk.ID, want)
	}
	if got := (KeyID{0x01, 0, 0, 0, 0, 0, 0, 0xAB}).String(); got != "AB00000000000001" {
		t.Errorf("KeyID.String() = %s, want AB00000000000001", got)
	}
}

func TestPublicKeyParsesFileLineAndRoundTrips(t *testing.T) {
	file := readTestdata(t, "w.pub")
	fromFile, err := ParsePublicKey(string(file))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(file), "\n")
	fromLine, err := ParsePublicKey("  " + lines[1] + "  ")
	if err != nil {
		t.Fatal(err)
	}
	if !fromFile.Equal(fromLine) {
		t.Errorf("file and line give different keys: %v %v", fromFile, fromLine)
	}
	if fromFile.String() != lines[1] {
		t.Errorf("String() = %q, want the file's key line %q", fromFile.String(), lines[1])
	}
	if !bytes.Equal(fromFile.MarshalFile(), file) {
		t.Errorf("MarshalFile() =\n%s\nwant minisign's\n%s", fromFile.MarshalFile(), file)
	}
	crlf := strings.ReplaceAll(string(file), "\n", "\r\n")
	if k, err := ParsePublicKey(crlf); err != nil || !k.Equal(fromFile) {
		t.Errorf("CRLF file: %v, %v", k, err)
	}
}

func TestParsePublicKeyRefusesMalformed(t *testing.T) {
	good := strings.Split(string(readTestdata(t, "w.pub")), "\n")[1]
	short := good[:len(good)-4]
	tests := map[string]string{
		"empty":           "",
		"not base64":      "not a key!",
		"short":           short,
		"three lines":     "untrusted comment: x\n" + good + "\n" + good,
		"comment missing": "comment: x\n" + good,
		"carriage return": good[:10] + "\r" + good[10:],
		"secret key":      strings.Split(string(readTestdata(t, "w.key")), "\n")[1],
		"wrong algorithm": "RUQ" + good[3:], // "ED" instead of "Ed"
		"huge":            strings.Repeat("A", 5000),
		"padding":         good + "==",
	}
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ParsePublicKey(text)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParsePublicKey = %v, want ErrMalformed", err)
			}
			t.Log(err)
		})
	}
}

func TestUnencryptedSecretKeyFromMinisign(t *testing.T) {
	sk, err := ParsePrivateKey(readTestdata(t, "w.key"), nil)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := ParsePublicKey(string(readTestdata(t, "w.pub")))
	if err != nil {
		t.Fatal(err)
	}
	if !sk.Public().Equal(pk) {
		t.Errorf("secret key's public half %v differs from w.pub %v", sk.Public(), pk)
	}
	// Re-encoding gives minisign's bytes back, except that minisign -W
	// leaves the checksum zero where MarshalFile fills it in.
	got, _ := b64().DecodeString(strings.Split(string(sk.MarshalFile()), "\n")[1])
	want, _ := b64().DecodeString(strings.Split(string(readTestdata(t, "w.key")), "\n")[1])
	if !bytes.Equal(got[:secretKeySize-32], want[:secretKeySize-32]) {
		t.Errorf("MarshalFile key =\n%x\nwant minisign's\n%x", got, want)
	}
	if sum := checksum(sk.ID, sk.Key); !bytes.Equal(got[secretKeySize-32:], sum[:]) {
		t.Errorf("MarshalFile checksum = %x, want %x", got[secretKeySize-32:], sum)
	}
}

func TestSecretKeyRoundTrips(t *testing.T) {
	k := mustGenerate(t)
	plain, err := ParsePrivateKey(k.MarshalFile(), []byte("ignored"))
	if err != nil || plain.ID != k.ID || !plain.Key.Equal(k.Key) {
		t.Fatalf("unencrypted round trip: %v, %v", plain, err)
	}
	enc, err := k.MarshalEncryptedFile(rand.Reader, []byte("s3cret"), cheapKDF)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(enc, []byte(strings.Split(string(k.MarshalFile()), "\n")[1][60:100])) {
		t.Error("the encrypted file contains part of the plain key line")
	}
	back, err := ParsePrivateKey(enc, []byte("s3cret"))
	if err != nil || back.ID != k.ID || !back.Key.Equal(k.Key) {
		t.Fatalf("encrypted round trip: %v, %v", back, err)
	}
	if _, err := ParsePrivateKey(enc, []byte("wrong")); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong password: %v, want ErrWrongPassword", err)
	}
	if _, err := ParsePrivateKey(enc, nil); !errors.Is(err, ErrPasswordRequired) {
		t.Errorf("no password: %v, want ErrPasswordRequired", err)
	}
	if _, err := k.MarshalEncryptedFile(rand.Reader, nil, cheapKDF); err == nil {
		t.Error("MarshalEncryptedFile accepted an empty password")
	}
}

func TestParsePrivateKeyRefusesDamage(t *testing.T) {
	k := mustGenerate(t)
	line := strings.Split(string(k.MarshalFile()), "\n")[1]
	raw, _ := b64().DecodeString(line)
	mutate := func(f func(raw []byte)) string {
		r := bytes.Clone(raw)
		f(r)
		return "untrusted comment: x\n" + b64().EncodeToString(r) + "\n"
	}
	tests := map[string]string{
		"no comment":         line + "\n",
		"truncated":          "untrusted comment: x\n" + line[:100] + "\n",
		"checksum":           mutate(func(r []byte) { r[len(r)-1] ^= 1 }),
		"public half":        mutate(func(r []byte) { r[6+32+16+8+40] ^= 1 }),
		"kdf":                mutate(func(r []byte) { copy(r[2:], "Ar") }),
		"checksum algorithm": mutate(func(r []byte) { copy(r[4:], "B3") }),
		"algorithm":          mutate(func(r []byte) { copy(r[0:], "ED") }),
		"scrypt cost": mutate(func(r []byte) {
			copy(r[2:], kdfScrypt)
			copy(r[6+32:], []byte{0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}) // 2^56 each
		}),
	}
	for name, file := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ParsePrivateKey([]byte(file), []byte("pw"))
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParsePrivateKey = %v, want ErrMalformed", err)
			}
			t.Log(err)
		})
	}
}

func TestScryptParamsMatchLibsodium(t *testing.T) {
	// Expected values worked by hand through libsodium's pickparams.
	tests := []struct {
		ops, mem uint64
		nLog2    uint
		r, p     uint64
	}{
		{1 << 25, 1 << 30, 20, 8, 1},  // minisign's (SENSITIVE)
		{524288, 16777216, 14, 8, 1},  // INTERACTIVE
		{1 << 30, 1 << 30, 20, 8, 32}, // ops-heavy: more passes
		{32768, 1 << 30, 10, 8, 1},    // memory-heavy: N from opslimit
		{0, 1 << 20, 10, 8, 1},        // opslimit raised to 32768
		{1 << 20, 1 << 24, 14, 8, 2},
		{1 << 40, 1 << 20, 10, 8, 1 << 25},
		{1 << 50, 1 << 20, 10, 8, 0x3fffffff / 8}, // r*p capped below 2^30
	}
	for _, tt := range tests {
		n, r, p := scryptParams(tt.ops, tt.mem)
		if n != tt.nLog2 || r != tt.r || p != tt.p {
			t.Errorf("scryptParams(%d, %d) = N=2^%d r=%d p=%d, want N=2^%d r=%d p=%d", tt.ops, tt.mem, n, r, p, tt.nLog2, tt.r, tt.p)
		}
	}
}

func TestEncryptedKeyFromMinisign(t *testing.T) {
	if testing.Short() {
		t.Skip("decrypting a key made by minisign takes 1 GiB of memory and a few seconds")
	}
	if raceEnabled {
		t.Skip("scrypt with N=2^20 under the race detector takes minutes; covered by the run without -race")
	}
	sk, err := ParsePrivateKey(readTestdata(t, "enc.key"), []byte("correct horse"))
	if err != nil {
		t.Fatal(err)
	}
	pk, err := ParsePublicKey(string(readTestdata(t, "enc.pub")))
	if err != nil {
		t.Fatal(err)
	}
	if !sk.Public().Equal(pk) {
		t.Errorf("decrypted key %v does not match enc.pub %v", sk.Public(), pk)
	}
}

func randReader(t testing.TB) io.Reader {
	t.Helper()
	return rand.Reader
}
