package api

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/firstline-it/firstline/internal/fixes/audit"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/service/fixes"
)

const childFixesEnv = "FIRSTLINE_TEST_CHILD_FIXES"

// TestChildFixesClient is the hostile user of TestFixesAsAnotherUser, run
// as nobody. It prints one "RESULT name status code" line per probe.
func TestChildFixesClient(t *testing.T) {
	sock := os.Getenv(childFixesEnv)
	if sock == "" {
		t.Skip("runs only as the child of TestFixesAsAnotherUser")
	}
	c := rawClient(sock)
	send := func(name, method, path, body string) {
		req, err := http.NewRequest(method, "http://"+localapi.Host+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = int64(len(body))
		resp, err := c.Do(req)
		if err != nil {
			fmt.Printf("RESULT %s error -\n", name)
			return
		}
		defer resp.Body.Close()
		a := readAnswer(resp)
		fmt.Printf("RESULT %s %d %s\n", name, a.Status, a.Code)
	}
	run := func(name, id, params string) {
		send(name, http.MethodPost, localapi.PathFixRun+"?id="+id, `{"params":`+params+`}`)
	}
	run("unknown", "..%2F..%2Fbin%2Fsh", `{}`)
	run("semicolon", "record", `{"mode":"fast; touch /tmp/pwned"}`)
	run("substitution", "record", `{"count":"$(id)"}`)
	run("traversal", "record", `{"mode":"../../etc/shadow"}`)
	run("nul", "record", `{"mode":"fast\u0000"}`)
	run("range", "record", `{"count":"99"}`)
	// The megabyte is announced and refused before it is read: the
	// reply comes while the client is still sending, so read it raw.
	func() {
		conn, err := net.Dial("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		big := `{"params":{"mode":"` + strings.Repeat("A", 1<<20) + `"}}`
		fmt.Fprintf(conn, "POST %s?id=record HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n%s",
			localapi.PathFixRun, localapi.Host, len(big), big[:4096])
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			fmt.Printf("RESULT megabyte error -\n")
			return
		}
		defer resp.Body.Close()
		a := readAnswer(resp)
		fmt.Printf("RESULT megabyte %d %s\n", a.Status, a.Code)
	}()
	run("disabled", "slow", `{}`)
	run("user-fix", "user-cache", `{}`)
	send("history-all", http.MethodGet, localapi.PathFixHistory+"?all=1", "")
	send("user-run-system", http.MethodPost, localapi.PathFixUserRun, `{"result":{"fix":"record","outcome":"success"}}`)
	flood := 0
	for range 30 {
		req, _ := http.NewRequest(http.MethodPost, "http://"+localapi.Host+localapi.PathFixRun+"?id=nope", nil)
		if resp, err := c.Do(req); err == nil {
			if readAnswer(resp).Code == string(localapi.CodeRateLimited) {
				flood++
			}
			resp.Body.Close()
		}
	}
	fmt.Printf("RESULT flood %d rate_limited\n", flood)
	h, err := localapi.NewClient(sock).FixHistory(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	others := 0
	for _, r := range h.Items {
		if r.UID != "65534" {
			others++
		}
	}
	fmt.Printf("RESULT own-history %d %d\n", len(h.Items), others)
}

// TestFixesAsAnotherUser: an ordinary user sends everything a compromised
// app could: an unknown id, injected and out-of-range parameters, a
// megabyte, a fix IT disabled, a user fix, a flood, another user's
// history, a system fix passed off as a user run. Each is refused with
// its code, audited under the uid the kernel reported, and nothing runs.
func TestFixesAsAnotherUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run a child as another uid")
	}
	const nobody = 65534
	l := newFixLab(t)
	svc := l.open(func(o *fixes.Options) {
		o.RateBurst = 10
		o.CatalogDir = l.adminDir(map[string]string{"50-off.toml": "disable = [\"slow\"]\n"})
	})
	h := start(t, Options{Fixes: svc})
	if err := os.Chmod(filepath.Dir(filepath.Dir(h.sock)), 0o755); err != nil {
		t.Fatal(err)
	}
	// Root's own run, which nobody must not see in its history.
	if _, err := localapi.NewClient(h.sock).RunFix(context.Background(), "true", nil, nil); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(copyExecutable(t), "-test.run=^TestChildFixesClient$", "-test.v")
	cmd.Env = append(os.Environ(), childFixesEnv+"="+h.sock)
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
	want := map[string]string{
		"unknown":         "404 fix_unknown",
		"semicolon":       "400 fix_bad_params",
		"substitution":    "400 fix_bad_params",
		"traversal":       "400 fix_bad_params",
		"nul":             "400 fix_bad_params",
		"range":           "400 fix_bad_params",
		"megabyte":        "413 body_too_large",
		"disabled":        "403 fix_disabled",
		"user-fix":        "400 fix_wrong_runner",
		"history-all":     "403 permission_denied",
		"user-run-system": "400 fix_wrong_runner",
	}
	for name, w := range want {
		if results[name] != w {
			t.Errorf("%s: %q, want %q", name, results[name], w)
		}
	}
	// Eight runs reached the runner before the flood (the megabyte did
	// not): 2 more fit the burst of 10, the other 28 are rate limited.
	if results["flood"] != "28 rate_limited" {
		t.Errorf("flood: %q, want 28 rate_limited", results["flood"])
	}
	if results["own-history"] == "" || !strings.HasSuffix(results["own-history"], " 0") {
		t.Errorf("nobody's history %q holds other users' records", results["own-history"])
	}
	if t.Failed() {
		t.Logf("child output:\n%s", out)
	}

	if l.ran() {
		t.Fatal("a hostile request executed the fix")
	}
	codes := map[string]int{}
	for _, r := range l.records() {
		if r.UID != fmt.Sprint(nobody) {
			continue
		}
		if r.Result != audit.ResultRefused {
			t.Errorf("nobody has a run on record: %+v", r)
		}
		if r.User != "nobody" {
			t.Errorf("record without the kernel's user name: %+v", r)
		}
		codes[r.Runner+"/"+r.Code]++
	}
	wantCodes := map[string]int{
		"system/unknown-fix": 3, "system/bad-params": 5, "system/disabled": 1, "system/wrong-runner": 1,
		"system/rate-limited": 28, "user/wrong-runner": 1,
	}
	if fmt.Sprint(codes) != fmt.Sprint(wantCodes) {
		t.Errorf("audited refusals %v, want %v", codes, wantCodes)
	}
	logs := h.logs.String()
	for _, code := range []string{"fix_unknown", "fix_bad_params", "body_too_large", "fix_disabled", "permission_denied", "rate_limited"} {
		if !strings.Contains(logs, "code="+code) {
			t.Errorf("refusal %s not in the server's log", code)
		}
	}
	// The audit keeps a shortened copy of what was sent, never a
	// megabyte, and the injection as sent, so IT sees the attempt.
	data, err := json.Marshal(l.records())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "fast; touch /tmp/pwned") {
		t.Error("the injected value is not in the audit log")
	}
}
