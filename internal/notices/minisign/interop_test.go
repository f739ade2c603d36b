package minisign

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// These tests run the real minisign binary (Debian package "minisign").
// Without it they are skipped, and say so.

// capped keeps at most 64 KiB of a command's output.
type capped struct{ bytes.Buffer }

func (c *capped) Write(p []byte) (int, error) {
	if room := 64<<10 - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// runMinisign runs minisign with args in dir, stdin as its input, and
// returns its combined output and whether it exited 0.
func runMinisign(t *testing.T, dir, stdin string, args ...string) (string, bool) {
	t.Helper()
	bin, err := exec.LookPath("minisign")
	if err != nil {
		t.Skip("minisign is not installed (apt-get install minisign); interoperability not tested")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = []string{"LANG=C", "LC_ALL=C", "PATH=/usr/bin:/bin"}
	cmd.Stdin = strings.NewReader(stdin)
	var out capped
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("minisign %v timed out", args)
	}
	return out.String(), err == nil
}

func writeFiles(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestInteropMinisignSignsWeVerify(t *testing.T) {
	dir := t.TempDir()
	if out, ok := runMinisign(t, dir, "", "-G", "-W", "-p", "k.pub", "-s", "k.key"); !ok {
		t.Fatalf("minisign -G: %s", out)
	}
	feed := []byte(`{"version":1,"sequence":7,"notices":[]}`)
	if err := os.WriteFile(filepath.Join(dir, "feed.json"), feed, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, ok := runMinisign(t, dir, "", "-S", "-s", "k.key", "-m", "feed.json", "-t", "feed 7"); !ok {
		t.Fatalf("minisign -S: %s", out)
	}
	pubFile, _ := os.ReadFile(filepath.Join(dir, "k.pub"))
	sig, _ := os.ReadFile(filepath.Join(dir, "feed.json.minisig"))
	pk, err := ParsePublicKey(string(pubFile))
	if err != nil {
		t.Fatal(err)
	}
	v, err := Verify([]PublicKey{pk}, feed, sig)
	if err != nil || v.TrustedComment != "feed 7" {
		t.Fatalf("Verify = %+v, %v", v, err)
	}
	// minisign's secret key reads here and signs what minisign verifies.
	skFile, _ := os.ReadFile(filepath.Join(dir, "k.key"))
	sk, err := ParsePrivateKey(skFile, nil)
	if err != nil || !sk.Public().Equal(pk) {
		t.Fatalf("ParsePrivateKey(minisign -W key) = %v, %v", sk.Public(), err)
	}
	ours, err := Sign(sk, feed, SignOptions{TrustedComment: "ours"})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "feed.json.minisig"), ours, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, ok := runMinisign(t, dir, "", "-V", "-p", "k.pub", "-m", "feed.json"); !ok {
		t.Errorf("minisign -V of our signature with its own key: %s", out)
	}
}

func TestInteropWeSignMinisignVerifies(t *testing.T) {
	k := mustGenerate(t)
	feed := []byte(`{"version":1,"sequence":8,"notices":[]}`)
	sig, err := Sign(k, feed, SignOptions{FileName: "feed.json"})
	if err != nil {
		t.Fatal(err)
	}
	tamperedComment := strings.Replace(string(sig), "file:feed.json", "file:other.json", 1)
	tests := []struct {
		name   string
		data   []byte
		sig    string
		pub    []byte
		ok     bool
		output string // part of minisign's output
	}{
		{"valid", feed, string(sig), k.Public().MarshalFile(), true, "Signature and comment signature verified"},
		{"tampered body", append(bytes.Clone(feed), ' '), string(sig), k.Public().MarshalFile(), false, "Signature verification failed"},
		{"tampered trusted comment", feed, tamperedComment, k.Public().MarshalFile(), false, "Comment signature verification failed"},
		{"wrong key", feed, string(sig), mustGenerate(t).Public().MarshalFile(), false, "key id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, map[string][]byte{"feed.json": tt.data, "feed.json.minisig": []byte(tt.sig), "k.pub": tt.pub})
			out, ok := runMinisign(t, dir, "", "-V", "-p", "k.pub", "-m", "feed.json")
			if ok != tt.ok || !strings.Contains(out, tt.output) {
				t.Errorf("minisign -V: ok=%v, output %q; want ok=%v and %q", ok, out, tt.ok, tt.output)
			}
			// Ours agrees with minisign on every case.
			pk, err := ParsePublicKey(string(tt.pub))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Verify([]PublicKey{pk}, tt.data, []byte(tt.sig)); (err == nil) != tt.ok {
				t.Errorf("Verify = %v, want ok=%v like minisign", err, tt.ok)
			}
		})
	}
	// The -P form takes PublicKey.String().
	dir := writeFiles(t, map[string][]byte{"feed.json": feed, "feed.json.minisig": sig})
	if out, ok := runMinisign(t, dir, "", "-V", "-P", k.Public().String(), "-m", "feed.json"); !ok {
		t.Errorf("minisign -V -P: %s", out)
	}
}

func TestInteropMinisignUsesOurSecretKeys(t *testing.T) {
	k := mustGenerate(t)
	enc, err := k.MarshalEncryptedFile(randReader(t), []byte("hunter2"), cheapKDF)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, stdin string
		key         []byte
	}{
		{"unencrypted (-W)", "", k.MarshalFile()},
		{"encrypted", "hunter2\n", enc},
	}
	feed := []byte("notice feed\n")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, map[string][]byte{"k.key": tt.key, "feed.json": feed})
			args := []string{"-S", "-s", "k.key", "-m", "feed.json", "-t", "by minisign"}
			if tt.stdin == "" {
				args = append(args, "-W")
			}
			if out, ok := runMinisign(t, dir, tt.stdin, args...); !ok {
				t.Fatalf("minisign -S with our key: %s", out)
			}
			sig, _ := os.ReadFile(filepath.Join(dir, "feed.json.minisig"))
			if v, err := Verify([]PublicKey{k.Public()}, feed, sig); err != nil || v.TrustedComment != "by minisign" {
				t.Errorf("Verify = %+v, %v", v, err)
			}
		})
	}
	// -R recreates the public key file from our secret key: same key, same id.
	dir := writeFiles(t, map[string][]byte{"k.key": k.MarshalFile()})
	if out, ok := runMinisign(t, dir, "", "-R", "-s", "k.key", "-p", "k.pub"); !ok {
		t.Fatalf("minisign -R: %s", out)
	}
	// Only the key lines are compared: minisign 0.11 prints the id in the
	// comment without leading zeros, later versions (and we) pad it to 16.
	pub, _ := os.ReadFile(filepath.Join(dir, "k.pub"))
	if got, want := strings.Split(string(pub), "\n"), strings.Split(string(k.Public().MarshalFile()), "\n"); got[1] != want[1] {
		t.Errorf("minisign -R wrote\n%s\nwe write\n%s", pub, k.Public().MarshalFile())
	}
	if pk, err := ParsePublicKey(string(pub)); err != nil || !pk.Equal(k.Public()) {
		t.Errorf("ParsePublicKey(minisign -R output) = %v, %v", pk, err)
	}
}
