package notices

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/notices/minisign"
)

func TestAccept(t *testing.T) {
	key, other, next := newKey(t), newKey(t), newKey(t)
	keys := []minisign.PublicKey{key.Public()}
	data5, sig5 := encode(t, key, feedOf(5, notice("a", SeverityInfo, t0)))
	prev, err := Accept(State{}, data5, sig5, keys, t0)
	if err != nil {
		t.Fatal(err)
	}
	data6, sig6 := encode(t, key, feedOf(6, notice("a", SeverityInfo, t0), notice("b", SeverityWarning, t0)))
	data4, sig4 := encode(t, key, feedOf(4, notice("old", SeverityInfo, t0)))
	data5b, sig5b := encode(t, key, feedOf(5, notice("other", SeverityInfo, t0)))
	dataOther, sigOther := encode(t, other, feedOf(7))
	dataNext, sigNext := encode(t, next, feedOf(8))
	expired := notice("gone", SeverityCritical, t0.Add(-48*time.Hour))
	expired.Expires = t0.Add(-24 * time.Hour)
	dataExp, sigExp := encode(t, key, feedOf(9, expired))
	badJSON := []byte(`{"version":1,"sequence":10,"published":"2025-03-01T09:05:00Z","notices":[],"surprise":1}`)
	tampered := bytes.Replace(data6, []byte("Notice b"), []byte("Notice B"), 1)
	comment := bytes.Replace(sig6, []byte("trusted comment: test"), []byte("trusted comment: tEst"), 1)
	huge := append(bytes.Clone(data6), bytes.Repeat([]byte(" "), MaxFeedBytes)...)

	tests := []struct {
		name     string
		keys     []minisign.PublicKey
		data     []byte
		sig      []byte
		reason   Reason // "" means accepted
		sequence uint64 // of the resulting state
		detail   string // part of the error
	}{
		{"newer feed", keys, data6, sig6, "", 6, ""},
		{"same feed again", keys, data5, sig5, "", 5, ""},
		{"unsigned", keys, data6, nil, ReasonUnsigned, 5, "no signature"},
		{"blank signature", keys, data6, []byte("\n \n"), ReasonUnsigned, 5, "no signature"},
		{"tampered body", keys, tampered, sig6, ReasonBadSignature, 5, "signature does not match"},
		{"tampered trusted comment", keys, data6, comment, ReasonBadSignature, 5, "trusted comment"},
		{"garbage signature", keys, data6, []byte("hello"), ReasonBadSignature, 5, "minisign format"},
		{"signature of another feed", keys, data6, sig5, ReasonBadSignature, 5, "does not match"},
		{"unknown key", keys, dataOther, sigOther, ReasonUnknownKey, 5, other.ID.String()},
		{"no keys configured", nil, data6, sig6, ReasonUnknownKey, 5, "trusted keys: none"},
		{"rotation: new key listed", []minisign.PublicKey{key.Public(), next.Public()}, dataNext, sigNext, "", 8, ""},
		{"malformed but signed", keys, badJSON, signBytes(t, key, badJSON), ReasonMalformed, 5, `unknown field "surprise"`},
		{"too big", keys, huge, signBytes(t, key, huge), ReasonMalformed, 5, "the limit is 1048576"},
		{"rollback", keys, data4, sig4, ReasonRollback, 5, "sequence 4 is lower than 5"},
		{"sequence reused", keys, data5b, sig5b, ReasonSequenceReused, 5, "sequence 5 was already accepted"},
		{"all expired is fine", keys, dataExp, sigExp, "", 9, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := Accept(prev, tt.data, tt.sig, tt.keys, t0.Add(time.Minute))
			if st.Sequence != tt.sequence {
				t.Errorf("state sequence = %d, want %d", st.Sequence, tt.sequence)
			}
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("Accept = %v, want accepted", err)
				}
				if st.Feed == nil || st.Feed.Sequence != tt.sequence || !bytes.Equal(st.Raw, tt.data) {
					t.Errorf("state = %+v", st)
				}
				return
			}
			var re *RefusedError
			if !errors.As(err, &re) || re.Reason != tt.reason || !strings.Contains(err.Error(), tt.detail) {
				t.Fatalf("Accept = %v; want refused for %q mentioning %q", err, tt.reason, tt.detail)
			}
			if st.Digest != prev.Digest || st.Feed != prev.Feed {
				t.Error("a refusal changed the state")
			}
			t.Log(err)
		})
	}
}

func TestAcceptRecordsWhoSignedAndWhen(t *testing.T) {
	key := newKey(t)
	data, sig := encode(t, key, feedOf(3))
	st, err := Accept(State{}, data, sig, []minisign.PublicKey{key.Public()}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if st.KeyID != key.ID.String() || st.TrustedComment != "test" || !st.AcceptedAt.Equal(t0) || len(st.Digest) != 64 {
		t.Errorf("state = %+v", st)
	}
}

// TestAcceptFeedSignedWithMinisignTool is the administrator's path: a feed
// signed with the Debian minisign binary is accepted, and the tampered and
// rolled-back variants refused.
func TestAcceptFeedSignedWithMinisignTool(t *testing.T) {
	bin, err := exec.LookPath("minisign")
	if err != nil {
		t.Skip("minisign is not installed (apt-get install minisign); interoperability not tested")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Dir = dir
		cmd.Env = []string{"LANG=C", "LC_ALL=C"}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("minisign %v: %v\n%.2000s", args, err, out)
		}
	}
	run("-G", "-W", "-p", "it.pub", "-s", "it.key")
	pubFile, err := os.ReadFile(filepath.Join(dir, "it.pub"))
	if err != nil {
		t.Fatal(err)
	}
	pk, err := minisign.ParsePublicKey(string(pubFile))
	if err != nil {
		t.Fatal(err)
	}
	keys := []minisign.PublicKey{pk}
	signWithTool := func(name string, doc []byte) []byte {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), doc, 0o600); err != nil {
			t.Fatal(err)
		}
		run("-S", "-s", "it.key", "-m", name)
		sig, err := os.ReadFile(filepath.Join(dir, name+".minisig"))
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	doc := readTestdata(t, "feed.json")
	st, err := Accept(State{}, doc, signWithTool("feed.json", doc), keys, t0)
	if err != nil || st.Sequence != 42 || !strings.HasPrefix(st.TrustedComment, "timestamp:") {
		t.Fatalf("Accept(minisign-signed feed) = %+v, %v", st, err)
	}
	old := bytes.Replace(doc, []byte(`"sequence": 42`), []byte(`"sequence": 41`), 1)
	if _, err := Accept(st, old, signWithTool("old.json", old), keys, t0); !isReason(err, ReasonRollback) {
		t.Errorf("rollback signed by minisign: %v", err)
	}
	sig := signWithTool("feed.json", doc)
	if _, err := Accept(State{}, bytes.Replace(doc, []byte("11:30"), []byte("12:30"), 1), sig, keys, t0); !isReason(err, ReasonBadSignature) {
		t.Errorf("tampered body: %v", err)
	}
	tamperedComment := bytes.Replace(sig, []byte("file:feed.json"), []byte("file:feed.jsom"), 1)
	if _, err := Accept(State{}, doc, tamperedComment, keys, t0); !isReason(err, ReasonBadSignature) || !errors.Is(err, minisign.ErrBadTrustedComment) {
		t.Errorf("tampered trusted comment: %v", err)
	}
	if _, err := Accept(State{}, doc, sig, []minisign.PublicKey{newKey(t).Public()}, t0); !isReason(err, ReasonUnknownKey) {
		t.Errorf("wrong key: %v", err)
	}
}

func isReason(err error, r Reason) bool {
	var re *RefusedError
	return errors.As(err, &re) && re.Reason == r
}
