package api

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/firstline-it/firstline/internal/localapi"
)

const childNoticesEnv = "FIRSTLINE_TEST_CHILD_NOTICES"

// TestChildNoticesClient is the other user of TestNoticesAsAnotherUser,
// run as nobody: it tries to name root in the request, then acts on its
// own behalf. It prints one RESULT line per probe.
func TestChildNoticesClient(t *testing.T) {
	sock := os.Getenv(childNoticesEnv)
	if sock == "" {
		t.Skip("runs only as the child of TestNoticesAsAnotherUser")
	}
	ctx := context.Background()
	// A uid in the request is not an identity: the server ignores it.
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost,
		"http://"+localapi.Host+localapi.PathNoticeAction+"?id=mail-down&action=ack&uid=0&user=0", nil)
	resp, err := rawClient(sock).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	fmt.Printf("RESULT ack-as-root %d\n", resp.StatusCode)
	v, err := localapi.NewClient(sock).Notices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(localapi.NoticeSummary{Unread: v.Unread, Critical: v.Critical})
	fmt.Printf("RESULT own %s\n", b)
}

// TestNoticesAsAnotherUser: notice state is keyed by the uid the kernel
// reports. nobody acknowledging (whatever uid it writes in the request)
// changes nobody's state, never root's.
func TestNoticesAsAnotherUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run a child as another uid")
	}
	const nobody = 65534
	h, svc := startNotices(t)
	if err := os.Chmod(filepath.Dir(filepath.Dir(h.sock)), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(copyExecutable(t), "-test.run=^TestChildNoticesClient$", "-test.v")
	cmd.Env = append(os.Environ(), childNoticesEnv+"="+h.sock)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	results := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "RESULT "); ok {
			name, val, _ := strings.Cut(rest, " ")
			results[name] = val
		}
	}
	if results["ack-as-root"] != "200" {
		t.Fatalf("the child's ack: %q\n%s", results["ack-as-root"], out)
	}
	if want := `{"unread":1,"critical":0}`; results["own"] != want {
		t.Errorf("the child's own counts %s, want %s", results["own"], want)
	}
	root, err := svc.View("0")
	if err != nil {
		t.Fatal(err)
	}
	if root.Unread != 2 || root.Critical != 1 || !root.Items[0].Acked.IsZero() {
		t.Errorf("root's state changed by nobody: %+v", root)
	}
}
