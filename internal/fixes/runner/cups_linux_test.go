package runner

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/builtin"
)

// startCUPS starts a private CUPS scheduler listening on a socket in a
// temporary folder, with one queue, "office", disabled and holding a job:
// the stuck print job of a real office. It returns the socket path.
func startCUPS(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/sbin/cupsd", "/usr/sbin/lpadmin", "/usr/sbin/cupsdisable", "/usr/bin/lp", "/usr/bin/cancel", "/usr/bin/lpstat"} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("CUPS is not installed (%s missing; apt-get install cups-daemon cups-client)", p)
		}
	}
	if os.Geteuid() != 0 {
		t.Skip("cupsd needs root")
	}
	dir := t.TempDir()
	for _, d := range []string{"spool", "tmp", "cache", "state"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.Chmod(dir, 0o755)
	sock := filepath.Join(dir, "cups.sock")
	conf := fmt.Sprintf("Listen %s\nLogLevel warn\nWebInterface No\nBrowsing No\n"+
		"<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"+
		"<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n", sock)
	files := fmt.Sprintf("ServerRoot %[1]s\nRequestRoot %[1]s/spool\nTempDir %[1]s/tmp\nCacheDir %[1]s/cache\n"+
		"StateDir %[1]s/state\nAccessLog %[1]s/access_log\nErrorLog %[1]s/error_log\nPageLog %[1]s/page_log\nFileDevice Yes\n", dir)
	if err := os.WriteFile(filepath.Join(dir, "cupsd.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cups-files.conf"), []byte(files), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "/usr/sbin/cupsd", "-f", "-c", filepath.Join(dir, "cupsd.conf"), "-s", filepath.Join(dir, "cups-files.conf"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "error_log"))
			t.Fatalf("cupsd did not start:\n%s", log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cups := func(argv ...string) string {
		t.Helper()
		c := exec.Command(argv[0], argv[1:]...)
		c.Env = []string{"CUPS_SERVER=" + sock, "LANG=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"}
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
		}
		return string(out)
	}
	// The queue may need a moment after the socket appears.
	for i := 0; ; i++ {
		c := exec.Command("/usr/sbin/lpadmin", "-p", "office", "-E", "-v", "file:///dev/null")
		c.Env = []string{"CUPS_SERVER=" + sock, "LANG=C"}
		if out, err := c.CombinedOutput(); err == nil {
			break
		} else if i == 50 {
			t.Fatalf("lpadmin: %v\n%s", err, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	cups("/usr/sbin/cupsdisable", "office")
	cups("/usr/bin/lp", "-d", "office", "/etc/hostname")
	cups("/usr/bin/lp", "-d", "office", "/etc/hostname")
	if jobs := cups("/usr/bin/lpstat", "-o"); strings.Count(jobs, "office-") != 2 {
		t.Fatalf("setting up the stuck jobs: lpstat -o says\n%s", jobs)
	}
	return sock
}

// TestClearPrintQueueAgainstRealCUPS runs the built-in Linux print fix
// against a real scheduler with two jobs stuck on a disabled printer. The
// fix's cancel and lpstat are the real ones; only systemctl is a recorder,
// as this test runs without systemd.
func TestClearPrintQueueAgainstRealCUPS(t *testing.T) {
	sock := startCUPS(t)
	var fix fixes.Fix
	for _, f := range builtin.For(fixes.Platform{GOOS: fixes.Linux}) {
		if f.ID == builtin.ClearPrintQueue {
			fix = f
		}
	}
	sb := newSandbox(t)
	sb.recorder("/usr/bin/systemctl", "") // makes the folder; replaced below
	// is-active must print exactly "active", which a recorder's own line
	// would spoil: answer it before recording.
	script := "#!/bin/sh\nif [ \"$1\" = is-active ]; then echo active; exit 0; fi\n" +
		fmt.Sprintf("printf '%%s %%s\\n' \"$0\" \"$*\" >> '%s'\n", sb.log)
	if err := os.WriteFile(sb.mapPath("/usr/bin/systemctl"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	r, aud := newTestRunner(t, nil, fixes.RunsAsSystem, catalogOf(fix), func(o *Options) { o.Conditions = nil })
	r.mapPath = func(p string) string {
		if p == "/usr/bin/systemctl" {
			return sb.mapPath(p)
		}
		return p
	}
	r.testEnv = []string{"CUPS_SERVER=" + sock}

	res, err := r.Run(context.Background(), Request{FixID: fix.ID, Caller: alice()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Success {
		t.Fatalf("the print fix failed against real CUPS:\n%s", res.Log())
	}
	c := exec.Command("/usr/bin/lpstat", "-o")
	c.Env = []string{"CUPS_SERVER=" + sock, "LANG=C"}
	if out, err := c.CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "" {
		t.Errorf("jobs left after the fix: %v\n%s", err, out)
	}
	data, _ := os.ReadFile(sb.log)
	if !strings.Contains(string(data), "restart cups") {
		t.Errorf("systemctl restart cups was not run: %q", data)
	}
	if rec := aud.all(); len(rec) != 1 || rec[0].Result != "success" || len(rec[0].Steps) != 4 {
		t.Errorf("audit %+v", rec)
	}
}
