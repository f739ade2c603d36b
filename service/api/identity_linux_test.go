package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/firstline-it/firstline/internal/localapi"
)

const childSocketEnv = "FIRSTLINE_TEST_CHILD_SOCKET"

// TestChildStatusClient is not a test on its own: it is the client half of
// TestIdentityFromKernel, run in a child process under another uid.
func TestChildStatusClient(t *testing.T) {
	sock := os.Getenv(childSocketEnv)
	if sock == "" {
		t.Skip("runs only as the child of TestIdentityFromKernel")
	}
	st, err := localapi.NewClient(sock).Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(st.Caller)
	fmt.Printf("CALLER %s\n", out)
}

// TestIdentityFromKernel runs the client as user nobody and checks the
// server saw nobody: the identity comes from SO_PEERCRED, not from anything
// the client says.
func TestIdentityFromKernel(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run a child as another uid")
	}
	const nobody = 65534
	h := start(t, Options{})
	// The child must be able to reach the socket and run the test binary.
	if err := os.Chmod(filepath.Dir(filepath.Dir(h.sock)), 0o755); err != nil {
		t.Fatal(err)
	}
	bin := copyExecutable(t)

	cmd := exec.Command(bin, "-test.run=^TestChildStatusClient$", "-test.v")
	cmd.Env = append(os.Environ(), childSocketEnv+"="+h.sock)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	caller := parseCaller(t, string(out))
	if caller.UID != strconv.Itoa(nobody) || caller.GID != strconv.Itoa(nobody) {
		t.Errorf("server saw uid %s gid %s, want %d", caller.UID, caller.GID, nobody)
	}
	if caller.Admin {
		t.Error("nobody was treated as admin")
	}
	if caller.PID == 0 || caller.PID == os.Getpid() {
		t.Errorf("caller pid = %d, want the child's", caller.PID)
	}
	if caller.Username != "nobody" {
		t.Errorf("username = %q, want nobody", caller.Username)
	}
}

func copyExecutable(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "fl-child-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	bin := filepath.Join(dir, "child.test")
	dst, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return bin
}

// parseCaller finds the child's CALLER line among go test's own output.
func parseCaller(t *testing.T, out string) localapi.Identity {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if js, ok := strings.CutPrefix(line, "CALLER "); ok {
			var id localapi.Identity
			if err := json.Unmarshal([]byte(js), &id); err != nil {
				t.Fatal(err)
			}
			return id
		}
	}
	t.Fatalf("no CALLER line in child output:\n%s", out)
	return localapi.Identity{}
}
