package trust

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestJudgeUnix(t *testing.T) {
	tests := []struct {
		name  string
		isDir bool
		uid   uint32
		perm  uint32
		euid  uint32
		want  string // "" means trusted
	}{
		{"root 0644", false, 0, 0o644, 0, ""},
		{"root folder 0755", true, 0, 0o755, 1000, ""},
		{"own file in a dev run", false, 1000, 0o600, 1000, ""},
		{"other user's", false, 1000, 0o644, 0, "owned by a user other than root (owner uid 1000, mode 0644)"},
		{"group-writable", false, 0, 0o664, 0, "group or others can write it"},
		{"world-writable folder", true, 0, 0o777, 0, "fix with: chown root:root '/etc/fire line/notices' && chmod 0755"},
		{"both", false, 7, 0o602, 0, "owned by a user other than root and group or others can write it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := judgeUnix("/etc/fire line/notices", tt.isDir, tt.uid, os.FileMode(tt.perm), tt.euid)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ue *UntrustedError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("judgeUnix = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestShellQuote(t *testing.T) {
	tests := map[string]string{
		"/etc/firstline/firstline.toml":                         "/etc/firstline/firstline.toml",
		"/Library/Application Support/Firstline/firstline.toml": "'/Library/Application Support/Firstline/firstline.toml'",
		"/tmp/it's": `'/tmp/it'\''s'`,
	}
	for in, want := range tests {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}
