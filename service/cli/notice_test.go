package cli

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/notices"
)

// keygen makes a key pair in a fresh folder and returns its paths and the
// public key line printed for the config.
func keygen(t *testing.T) (secret, pub, line string) {
	t.Helper()
	dir := t.TempDir()
	r := runMain("notice", "keygen", "--out", dir)
	if r.code != 0 {
		t.Fatalf("keygen: %+v", r)
	}
	secret, pub = filepath.Join(dir, noticeSecretKeyFile), filepath.Join(dir, noticePublicKeyFile)
	fi, err := os.Stat(secret)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret key file: %v, %v", fi, err)
	}
	for _, l := range strings.Split(r.stdout, "\n") {
		if rest, ok := strings.CutPrefix(l, "keys = [\""); ok {
			line = strings.TrimSuffix(rest, "\"]")
		}
	}
	if !strings.HasPrefix(line, "RW") {
		t.Fatalf("keygen printed no key line:\n%s", r.stdout)
	}
	if again := runMain("notice", "keygen", "--out", dir); again.code == 0 {
		t.Error("keygen replaced an existing key")
	}
	return secret, pub, line
}

func TestNoticeNew(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"full", []string{"--id", "mail-down", "--severity", "critical", "--title", "Email is down", "--body", `line 1\nline 2`,
			"--expires", "2h", "--ack", "--incident", "--os", "windows,macos", "--host", "lab-*", "--group", "finance",
			"--link", "Status|https://status.example.com/"}, 0, `"require_ack": true`},
		{"no id", []string{"--title", "x"}, ExitUsage, "id"},
		{"bad severity", []string{"--id", "a", "--title", "x", "--severity", "urgent"}, ExitUsage, "severity"},
		{"http link", []string{"--id", "a", "--title", "x", "--link", "X|http://x.example.com/"}, ExitUsage, "https"},
		{"bad link", []string{"--id", "a", "--title", "x", "--link", "no bar"}, ExitUsage, "Title|https"},
		{"bad expiry", []string{"--id", "a", "--title", "x", "--expires", "tomorrow"}, ExitUsage, "RFC 3339"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runMain(append([]string{"notice", "new"}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stdout+r.stderr, tt.want) {
				t.Fatalf("code %d, want %d with %q:\n%s%s", r.code, tt.code, tt.want, r.stdout, r.stderr)
			}
			if tt.code != 0 {
				return
			}
			var n notices.Notice
			if err := json.Unmarshal([]byte(r.stdout), &n); err != nil {
				t.Fatal(err)
			}
			if n.Body != "line 1\nline 2" || len(n.Target.OS) != 2 || n.Expires.Sub(n.Created) != 2*time.Hour || n.Links[0].Title != "Status" {
				t.Errorf("notice = %+v", n)
			}
		})
	}
}

func TestNoticePublishVerifyList(t *testing.T) {
	secret, pub, line := keygen(t)
	feed := filepath.Join(t.TempDir(), "notices.json")
	publish := func(args ...string) cliResult {
		return runMain(append([]string{"notice", "publish", "--key", secret, "--feed", feed}, args...)...)
	}
	if r := publish("--id", "a", "--title", "First", "--expires", "1h"); r.code != 0 {
		t.Fatalf("publish: %+v", r)
	}
	if r := publish("--id", "b", "--title", "Second", "--severity", "warning"); r.code != 0 {
		t.Fatalf("publish: %+v", r)
	}
	// Replacing a notice keeps one of that id.
	if r := publish("--id", "a", "--title", "First, updated"); r.code != 0 {
		t.Fatalf("publish: %+v", r)
	}
	f := readFeedFile(t, feed)
	if f.Sequence != 3 || len(f.Notices) != 2 {
		t.Fatalf("feed after three publications: sequence %d, %d notices", f.Sequence, len(f.Notices))
	}

	for _, key := range []string{pub, line} {
		if r := runMain("notice", "verify", "--pubkey", key, feed); r.code != 0 || !strings.Contains(r.stdout, "sequence 3, 2 notices") {
			t.Errorf("verify with %s: %+v", key, r)
		}
	}
	if r := runMain("notice", "list", feed); r.code != 0 || !strings.Contains(r.stdout, "First, updated") || !strings.Contains(r.stdout, "warning") {
		t.Errorf("list: %+v", r)
	}

	// Another key, a tampered feed, a missing signature: refused, with why.
	_, otherPub, _ := keygen(t)
	if r := runMain("notice", "verify", "--pubkey", otherPub, feed); r.code != ExitFailure || !strings.Contains(r.stderr, "unknown key") {
		t.Errorf("verify with another key: %+v", r)
	}
	data, _ := os.ReadFile(feed)
	tampered := filepath.Join(filepath.Dir(feed), "tampered.json")
	os.WriteFile(tampered, []byte(strings.Replace(string(data), "Second", "Secxnd", 1)), 0o644)
	sig, _ := os.ReadFile(feed + ".minisig")
	os.WriteFile(tampered+".minisig", sig, 0o644)
	if r := runMain("notice", "verify", "--pubkey", pub, tampered); r.code != ExitFailure || !strings.Contains(r.stderr, "bad signature") {
		t.Errorf("verify tampered: %+v", r)
	}
	os.Remove(tampered + ".minisig")
	if r := runMain("notice", "verify", "--pubkey", pub, tampered); r.code != ExitFailure || !strings.Contains(r.stderr, "unsigned") {
		t.Errorf("verify unsigned: %+v", r)
	}
	// sign makes it good again.
	if r := runMain("notice", "sign", "--key", secret, tampered); r.code != 0 {
		t.Fatalf("sign: %+v", r)
	}
	if r := runMain("notice", "verify", "--pubkey", pub, tampered); r.code != 0 {
		t.Errorf("verify after sign: %+v", r)
	}

	// A notice from "notice new", published from its file.
	n := runMain("notice", "new", "--id", "c", "--title", "From a file", "--ack")
	nfile := filepath.Join(t.TempDir(), "c.json")
	os.WriteFile(nfile, []byte(n.stdout), 0o644)
	if r := publish("--notice", nfile); r.code != 0 {
		t.Fatalf("publish --notice: %+v", r)
	}
	if f := readFeedFile(t, feed); f.Sequence != 4 || len(f.Notices) != 3 || !f.Notices[2].RequireAck {
		t.Fatalf("after publish --notice: %+v", f)
	}
	os.WriteFile(nfile, []byte(`{"id": "d", "title": "x", "severity": "info", "created": "2025-03-01T09:00:00Z", "evil": 1}`), 0o644)
	if r := publish("--notice", nfile); r.code != ExitUsage || !strings.Contains(r.stderr, "evil") {
		t.Errorf("publish --notice with an unknown field: %+v", r)
	}

	// Withdrawing raises the sequence.
	if r := publish("--remove", "a"); r.code != 0 {
		t.Fatalf("remove: %+v", r)
	}
	if f := readFeedFile(t, feed); f.Sequence != 5 || len(f.Notices) != 2 || f.Notices[0].ID != "b" {
		t.Errorf("after remove: %+v", f)
	}
	if r := publish("--remove", "zzz"); r.code != ExitFailure {
		t.Errorf("removing a missing notice: %+v", r)
	}
}

// TestNoticeSignInteropMinisign: what notice sign writes, the real
// minisign verifies.
func TestNoticeSignInteropMinisign(t *testing.T) {
	bin, err := exec.LookPath("minisign")
	if err != nil {
		t.Skip("minisign is not installed")
	}
	secret, pub, _ := keygen(t)
	feed := filepath.Join(t.TempDir(), "feed.json")
	if r := runMain("notice", "publish", "--key", secret, "--feed", feed, "--id", "x", "--title", "Hello"); r.code != 0 {
		t.Fatalf("publish: %+v", r)
	}
	if r := runMain("notice", "sign", "--key", secret, feed); r.code != 0 {
		t.Fatalf("sign: %+v", r)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-V", "-p", pub, "-m", feed)
	cmd.Env = []string{"LANG=C", "LC_ALL=C"}
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "Signature and comment signature verified") {
		t.Errorf("minisign -V: %v\n%s", err, out)
	}
	os.WriteFile(feed, []byte(strings.Replace(string(mustRead(t, feed)), "Hello", "Hellp", 1)), 0o644)
	cmd = exec.CommandContext(ctx, bin, "-V", "-p", pub, "-m", feed)
	cmd.Env = []string{"LANG=C", "LC_ALL=C"}
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("minisign -V accepted a tampered feed:\n%s", out)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readFeedFile(t *testing.T, path string) *notices.Feed {
	t.Helper()
	f, err := notices.DecodeFeed(mustRead(t, path))
	if err != nil {
		t.Fatal(err)
	}
	return f
}
