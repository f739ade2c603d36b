//go:build unix

package privilege

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestIsRoot(t *testing.T) {
	if !isRoot(0) {
		t.Error("euid 0 not seen as root")
	}
	if isRoot(1000) {
		t.Error("euid 1000 seen as root")
	}
}

func TestRefuseMatchesEffectiveUID(t *testing.T) {
	err := Refuse()
	if root := os.Geteuid() == 0; root != errors.Is(err, ErrPrivileged) {
		t.Fatalf("euid %d: Refuse() = %v", os.Geteuid(), err)
	}
}

func TestMessageTellsWhatToDo(t *testing.T) {
	msg := ErrPrivileged.Error()
	for _, want := range []string{"must not run as root", "run it as yourself", "firstline-service"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}
