//go:build unix

package notices

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/firstline-it/firstline/internal/notices/minisign"
)

func writeDrop(t *testing.T, dir, name string, data, sig []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if sig != nil {
		if err := os.WriteFile(filepath.Join(dir, name+".minisig"), sig, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReadDropFolder(t *testing.T) {
	key, stranger := newKey(t), newKey(t)
	keys := []minisign.PublicKey{key.Public()}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	good1, sig1 := encode(t, key, feedOf(1, notice("gpo-1", SeverityInfo, t0), notice("gpo-2", SeverityWarning, t0)))
	good2, sig2 := encode(t, key, feedOf(1, notice("mdm-1", SeverityCritical, t0)))
	strangers, strangerSig := encode(t, stranger, feedOf(1, notice("evil", SeverityCritical, t0)))
	writeDrop(t, dir, "10-gpo.json", good1, sig1)
	writeDrop(t, dir, "20-mdm.json", good2, sig2)
	writeDrop(t, dir, "30-unsigned.json", good1, nil)
	writeDrop(t, dir, "40-stranger.json", strangers, strangerSig)
	writeDrop(t, dir, "50-tampered.json", []byte(strings.Replace(string(good2), "mdm-1", "mdm-2", 1)), sig2)
	writeDrop(t, dir, "60-writable.json", good2, sig2)
	if err := os.Chmod(filepath.Join(dir, "60-writable.json"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "10-gpo.json"), filepath.Join(dir, "70-link.json")); err != nil {
		t.Fatal(err)
	}
	writeDrop(t, dir, "README.txt", []byte("not a notice"), nil)
	writeDrop(t, dir, ".hidden.json", good1, sig1)

	d, err := ReadDropFolder(DropOptions{Dir: dir, Keys: keys}, t0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range d.Notices {
		got = append(got, n.ID)
	}
	if strings.Join(got, ",") != "gpo-1,gpo-2,mdm-1" {
		t.Errorf("notices = %v, want those of the two good files", got)
	}
	want := []struct {
		name   string
		reason Reason
		detail string
	}{
		{"10-gpo.json", "", ""},
		{"20-mdm.json", "", ""},
		{"30-unsigned.json", ReasonUnsigned, "no 30-unsigned.json.minisig"},
		{"40-stranger.json", ReasonUnknownKey, stranger.ID.String()},
		{"50-tampered.json", ReasonBadSignature, "does not match"},
		{"60-writable.json", "", "group or others can write it"},
		{"70-link.json", "", "not a regular file"},
	}
	if len(d.Files) != len(want) {
		t.Fatalf("files = %+v, want %d", d.Files, len(want))
	}
	for i, w := range want {
		f := d.Files[i]
		if f.Name != w.name {
			t.Errorf("file %d = %s, want %s", i, f.Name, w.name)
			continue
		}
		switch {
		case w.detail == "" && (f.Err != nil || f.Sequence != 1 || f.KeyID != key.ID.String()):
			t.Errorf("%s: %+v, want accepted", f.Name, f)
		case w.detail != "" && (f.Err == nil || !strings.Contains(f.Err.Error(), w.detail)):
			t.Errorf("%s: %v, want refused mentioning %q", f.Name, f.Err, w.detail)
		case w.reason != "" && !isReason(f.Err, w.reason):
			t.Errorf("%s: %v, want reason %q", f.Name, f.Err, w.reason)
		}
	}
	if d.Files[0].Notices != 2 {
		t.Errorf("10-gpo.json counted %d notices", d.Files[0].Notices)
	}
}

func TestReadDropFolderRefusesAnOpenFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	key := newKey(t)
	data, sig := encode(t, key, feedOf(1, notice("a", SeverityInfo, t0)))
	writeDrop(t, dir, "a.json", data, sig)
	d, err := ReadDropFolder(DropOptions{Dir: dir, Keys: []minisign.PublicKey{key.Public()}}, t0)
	var ue *UntrustedError
	if !errors.As(err, &ue) || len(d.Notices) != 0 || !strings.Contains(err.Error(), "chmod 0755") {
		t.Errorf("ReadDropFolder = %+v, %v; want the folder refused with a fix", d, err)
	}
}

func TestReadDropFolderRefusesFilesOfOtherUsers(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give a file to another user")
	}
	dir := t.TempDir()
	key := newKey(t)
	data, sig := encode(t, key, feedOf(1, notice("a", SeverityInfo, t0)))
	writeDrop(t, dir, "a.json", data, sig)
	if err := os.Chown(filepath.Join(dir, "a.json.minisig"), 1234, 1234); err != nil {
		t.Fatal(err)
	}
	d, err := ReadDropFolder(DropOptions{Dir: dir, Keys: []minisign.PublicKey{key.Public()}}, t0)
	if err != nil || len(d.Notices) != 0 || len(d.Files) != 1 || !strings.Contains(d.Files[0].Err.Error(), "owned by a user other than root") {
		t.Errorf("ReadDropFolder = %+v, %v; want the file refused", d, err)
	}
	if err := os.Chown(dir, 1234, 1234); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDropFolder(DropOptions{Dir: dir, Keys: []minisign.PublicKey{key.Public()}}, t0); err == nil {
		t.Error("a folder owned by another user was read")
	}
}

func TestReadDropFolderMissingIsEmpty(t *testing.T) {
	d, err := ReadDropFolder(DropOptions{Dir: filepath.Join(t.TempDir(), "none")}, t0)
	if err != nil || len(d.Notices) != 0 || len(d.Files) != 0 {
		t.Errorf("ReadDropFolder(missing) = %+v, %v", d, err)
	}
}
