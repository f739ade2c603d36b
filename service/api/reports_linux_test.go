package api

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
)

const (
	childReportsEnv = "FIRSTLINE_TEST_CHILD_REPORTS" // the socket
	childVictimEnv  = "FIRSTLINE_TEST_CHILD_VICTIM"  // the key of root's report
)

// TestChildReportsClient is not a test on its own: it is the hostile user
// of TestReportsAsAnotherUser, run as nobody. It prints one RESULT line
// per probe.
func TestChildReportsClient(t *testing.T) {
	sock := os.Getenv(childReportsEnv)
	if sock == "" {
		t.Skip("runs only as the child of TestReportsAsAnotherUser")
	}
	victim, err := report.ParseKey(os.Getenv(childVictimEnv))
	if err != nil {
		t.Fatal(err)
	}
	c := localapi.NewClient(sock)
	defer c.Close()
	raw := rawClient(sock)
	ctx := context.Background()
	result := func(name string, v any) {
		b, _ := json.Marshal(v)
		fmt.Printf("RESULT %s %s\n", name, b)
	}
	asAnswer := func(err error) answer {
		if e, ok := err.(*localapi.Error); ok {
			return answer{Status: e.Status, Code: string(e.Code), Message: e.Message}
		}
		if err != nil {
			return answer{Message: err.Error()}
		}
		return answer{Status: 200}
	}

	_, err = c.Report(ctx, victim)
	result("read-other", asAnswer(err))
	_, err = c.Report(ctx, report.NewKey(time.Now()))
	result("read-missing", asAnswer(err))

	stolen := newSubmission(0)
	stolen.Key = victim
	_, err = c.SubmitReport(ctx, &stolen)
	result("reuse-key", asAnswer(err))

	result("huge", hugePost(t, sock, true))
	result("huge-chunked", hugePost(t, sock, false))
	result("malformed", post(t, raw, localapi.PathReports, "application/json", strings.NewReader(`{"text": "x", "key": `), -1))
	body := strings.Replace(string(encodeSubmission(t, newSubmission(16))), `"data":`, `"path":"/root/.ssh/id_ed25519","data":`, 1)
	result("path", post(t, raw, localapi.PathReports, "application/json", strings.NewReader(body), int64(len(body))))

	_, err = c.Reports(ctx, true)
	result("list-all", asAnswer(err))
	_, err = c.RetryReport(ctx, victim)
	result("retry", asAnswer(err))

	mine := newSubmission(64)
	res, err := c.SubmitReport(ctx, &mine)
	if err != nil {
		t.Fatal(err)
	}
	result("submit-owner", res.Record.Owner)
	list, err := c.Reports(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range list {
		keys = append(keys, r.Key.String())
	}
	result("list-own", keys)

	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	_ = c.Watch(wctx, func(ev localapi.Event) error {
		result("watch", ev.State.Reports)
		cancel()
		return nil
	})
}

// TestReportsAsAnotherUser: an ordinary user cannot read, take over or
// retry another user's report, cannot list everybody's, and every hostile
// submission is refused with nothing written; their own report is theirs,
// by the kernel's word, and their watch stream counts only it.
func TestReportsAsAnotherUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run a child as another uid")
	}
	const nobody = 65534
	h := startReports(t, Options{})
	if err := os.Chmod(filepath.Dir(filepath.Dir(h.sock)), 0o755); err != nil {
		t.Fatal(err)
	}
	c := localapi.NewClient(h.sock)
	defer c.Close()
	rootSub := newSubmission(32)
	if _, err := c.SubmitReport(context.Background(), &rootSub); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(copyExecutable(t), "-test.run=^TestChildReportsClient$", "-test.v")
	cmd.Env = append(os.Environ(), childReportsEnv+"="+h.sock, childVictimEnv+"="+rootSub.Key.String())
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	results := map[string]json.RawMessage{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "RESULT "); ok {
			name, js, _ := strings.Cut(rest, " ")
			results[name] = json.RawMessage(js)
		}
	}
	refusal := func(name string) answer {
		var a answer
		if err := json.Unmarshal(results[name], &a); err != nil {
			t.Fatalf("no result %s in the child's output:\n%s", name, out)
		}
		return a
	}
	tests := []struct {
		name    string
		status  int
		code    string
		message string
	}{
		{"read-other", 404, "not_found", "no such report"},
		{"read-missing", 404, "not_found", "no such report"},
		{"reuse-key", 409, "key_in_use", "this report key is already used by another report; send it with a new key"},
		{"huge", 413, "body_too_large", "request body is larger than"},
		{"huge-chunked", 413, "body_too_large", "the report is larger than"},
		{"malformed", 400, "bad_request", "key: the report ends too early (incomplete JSON)"},
		{"path", 400, "bad_request", "attachments[0].path: refused"},
		{"list-all", 403, "permission_denied", "listing every user's reports needs an administrator"},
		{"retry", 403, "permission_denied", "this needs an administrator"},
	}
	for _, tt := range tests {
		if a := refusal(tt.name); a.Status != tt.status || a.Code != tt.code || !strings.HasPrefix(a.Message, tt.message) {
			t.Errorf("%s: %+v, want %d %s %q", tt.name, a, tt.status, tt.code, tt.message)
		}
	}
	if a, b := refusal("read-other"), refusal("read-missing"); a != b {
		t.Errorf("another user's report (%+v) can be told from a missing one (%+v)", a, b)
	}

	var owner report.Owner
	_ = json.Unmarshal(results["submit-owner"], &owner)
	if owner.UID != "65534" || owner.Name != "nobody" {
		t.Errorf("the child's report belongs to %+v", owner)
	}
	var own []string
	_ = json.Unmarshal(results["list-own"], &own)
	if len(own) != 1 || own[0] == rootSub.Key.String() {
		t.Errorf("the child lists %v", own)
	}
	var counts localapi.ReportSummary
	_ = json.Unmarshal(results["watch"], &counts)
	if counts != (localapi.ReportSummary{Pending: 1}) {
		t.Errorf("the child's watch counts %+v, want its one report", counts)
	}

	// Root's report is untouched, and the spool holds exactly the two
	// accepted reports: nothing of the refused ones.
	rec, err := c.Report(context.Background(), rootSub.Key)
	if err != nil || rec.Owner.UID != "0" || len(rec.State.Destinations) != 0 {
		t.Errorf("root's report after the attack: %+v %v", rec, err)
	}
	if files := h.spoolFiles(t); len(files) != 4 {
		t.Errorf("spool files %v, want the body and state of two reports", files)
	}
	if all := h.p.List(""); len(all) != 2 {
		t.Errorf("%d reports stored, want 2", len(all))
	}
	logs := h.logs.String()
	for _, code := range []string{"code=not_found", "code=key_in_use", "code=body_too_large", "code=bad_request", "code=permission_denied"} {
		if !strings.Contains(logs, code+" ") || !strings.Contains(logs, "uid=65534") {
			t.Errorf("refusal %s of uid 65534 not logged", code)
		}
	}
}
