package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const (
	childCLIEnv    = "FIRSTLINE_TEST_CHILD_CLI"    // the socket
	childCLIDirEnv = "FIRSTLINE_TEST_CHILD_CLIDIR" // a folder with files to attach
)

// TestChildCLI is not a test on its own: it runs the commands of
// TestReportAsOrdinaryUser as nobody and prints each one's result.
func TestChildCLI(t *testing.T) {
	sock := os.Getenv(childCLIEnv)
	if sock == "" {
		t.Skip("runs only as the child of TestReportAsOrdinaryUser")
	}
	dir := os.Getenv(childCLIDirEnv)
	show := func(name string, r cliResult) {
		b, _ := json.Marshal(map[string]any{"code": r.code, "stdout": r.stdout, "stderr": r.stderr})
		fmt.Printf("RESULT %s %s\n", name, b)
	}
	mine := runMain("report", "submit", "--text", "My screen flickers", "--no-sysinfo", "--socket", sock,
		"--attach", filepath.Join(dir, "mine.txt"))
	show("submit", mine)
	show("unreadable", runMain("report", "submit", "--text", "x", "--no-sysinfo", "--socket", sock,
		"--attach", filepath.Join(dir, "roots-only.txt")))
	show("list", runMain("spool", "list", "--json", "--socket", sock))
	show("list-all", runMain("spool", "list", "--all", "--socket", sock))
	show("retry", runMain("spool", "retry", "--socket", sock, strings.TrimSpace(mine.stdout)))
	show("show-other", runMain("spool", "show", "--socket", sock, os.Getenv("FIRSTLINE_TEST_CHILD_ROOTREF")))
}

// TestReportAsOrdinaryUser: report submit runs as whoever calls it (the
// report is theirs by the kernel's word, and files are read with their
// rights, not the service's), and the administrator's commands are refused
// with exit code 77.
func TestReportAsOrdinaryUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run a child as another uid")
	}
	d, sock, _ := startDaemon(t, nil)
	for _, p := range []string{filepath.Dir(filepath.Dir(sock)), filepath.Dir(sock)} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	root := runMain("report", "submit", "--text", "root's own report", "--no-sysinfo", "--socket", sock)
	if root.code != 0 {
		t.Fatalf("root's submit: %+v", root)
	}
	dir, err := os.MkdirTemp("", "fl-cli-files-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("flicker log\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "roots-only.txt"), []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := copyTestBinary(t)
	cmd := exec.Command(bin, "-test.run=^TestChildCLI$", "-test.v")
	cmd.Env = append(os.Environ(), childCLIEnv+"="+sock, childCLIDirEnv+"="+dir,
		"FIRSTLINE_TEST_CHILD_ROOTREF="+strings.TrimSpace(root.stdout))
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	results := map[string]cliResult{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "RESULT ")
		if !ok {
			continue
		}
		name, js, _ := strings.Cut(rest, " ")
		var v struct {
			Code           int
			Stdout, Stderr string
		}
		if err := json.Unmarshal([]byte(js), &v); err != nil {
			t.Fatal(err)
		}
		results[name] = cliResult{code: v.Code, stdout: v.Stdout, stderr: v.Stderr}
	}

	if r := results["submit"]; r.code != 0 || !referenceLine().MatchString(r.stdout) {
		t.Fatalf("nobody's submit: %+v\n%s", r, out)
	}
	recs := d.Reports().List("65534")
	if len(recs) != 1 || recs[0].Owner.Name != "nobody" || len(recs[0].Attachments) != 1 || recs[0].Attachments[0].Name != "mine.txt" {
		t.Errorf("nobody's report: %+v", recs)
	}
	if r := results["unreadable"]; r.code != ExitFailure || !strings.Contains(r.stderr, "permission denied") {
		t.Errorf("a file nobody cannot read was attached: %+v", r)
	}
	if r := results["list"]; r.code != 0 || strings.Count(r.stdout, `"key"`) != 1 || strings.Contains(r.stdout, "root's own") {
		t.Errorf("nobody's list: %+v", r)
	}
	for _, name := range []string{"list-all", "retry"} {
		if r := results[name]; r.code != ExitNoPermission || !strings.Contains(r.stderr, "needs root") {
			t.Errorf("%s as nobody: %+v", name, r)
		}
	}
	if r := results["show-other"]; r.code != ExitFailure || !strings.Contains(r.stderr, "no report FL-") {
		t.Errorf("nobody looked up root's report: %+v", r)
	}
}

// copyTestBinary copies this test binary where nobody may run it.
func copyTestBinary(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "fl-cli-child-")
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
