package api

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

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

const childHogEnv = "FIRSTLINE_TEST_CHILD_HOG"

// TestChildHogsConnections is the hostile half of TestUserCannotLockOutAdmins.
func TestChildHogsConnections(t *testing.T) {
	sock := os.Getenv(childHogEnv)
	if sock == "" {
		t.Skip("runs only as the child of TestUserCannotLockOutAdmins")
	}
	served, busy := 0, 0
	for range 20 {
		c, err := net.Dial("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(c, "GET /v1/watch HTTP/1.1\r\nHost: %s\r\n\r\n", localapi.Host)
		line, _ := bufio.NewReader(c).ReadString('\n')
		switch {
		case strings.HasPrefix(line, "HTTP/1.1 200"):
			served++ // kept open: the stream holds its slot
		case strings.HasPrefix(line, "HTTP/1.1 503"):
			busy++
		}
	}
	fmt.Printf("HOG served=%d busy=%d\n", served, busy)
	time.Sleep(time.Minute) // hold the streams until the parent kills us
}

// TestUserCannotLockOutAdmins: an ordinary user opening watch streams in a
// loop gets only its per-user share, and root still gets answers.
func TestUserCannotLockOutAdmins(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run a child as another uid")
	}
	h := start(t, Options{MaxConnections: 16}) // 2 per user
	if err := os.Chmod(filepath.Dir(filepath.Dir(h.sock)), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(copyExecutable(t), "-test.run=^TestChildHogsConnections$", "-test.v")
	cmd.Env = append(os.Environ(), childHogEnv+"="+h.sock)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(out)
	var served, busy int
	for sc.Scan() {
		if _, err := fmt.Sscanf(sc.Text(), "HOG served=%d busy=%d", &served, &busy); err == nil {
			break
		}
	}
	// Refusals past the 16 being answered at once are closed unanswered.
	if served != 2 || busy == 0 {
		t.Fatalf("hostile user got %d streams and %d answered refusals, want 2 and some", served, busy)
	}
	if _, err := localapi.NewClient(h.sock).Status(context.Background()); err != nil {
		t.Fatalf("root locked out by another user's connections: %v", err)
	}
	if n := strings.Count(h.logs.String(), "refused LocalAPI connection"); n != 18 {
		t.Errorf("%d refusals logged, want 18 (all within the burst)", n)
	}
}
