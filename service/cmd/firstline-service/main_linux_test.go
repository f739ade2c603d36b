package main

import (
	"bytes"
	"context"
	"errors"
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

// binary is the firstline-service built once for these end-to-end tests, in
// a folder any user can execute from.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fl-svc-bin-")
	if err != nil {
		panic(err)
	}
	_ = os.Chmod(dir, 0o755)
	binary = filepath.Join(dir, "firstline-service")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		panic("building firstline-service: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, cred *syscall.Credential, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return result{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
}

// writeConfig writes a config file the loader trusts (owned by us, 0644).
func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "firstline.toml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPrivilegedCommandsRefuseNonRoot(t *testing.T) {
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		cred = &syscall.Credential{Uid: 65534, Gid: 65534}
	}
	for _, action := range []string{"install", "uninstall", "start", "stop", "restart"} {
		r := runCLI(t, cred, action)
		if r.code != 77 || !strings.Contains(r.stderr, action+" needs root: run it with sudo") {
			t.Errorf("%s as non-root: exit %d, stderr %q", action, r.code, r.stderr)
		}
	}
}

func TestRunServesAndStopsOnSIGTERM(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, "[service]\nstate_dir = \""+filepath.Join(dir, "state")+"\"\n[support]\norganization = \"Acme IT\"\n")
	sock := filepath.Join(dir, "run", "local.sock")
	cmd := exec.Command(binary, "run", "--config", cfg, "--socket", sock)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	c := localapi.NewClient(sock)
	defer c.Close()
	var st *localapi.Status
	deadline := time.Now().Add(10 * time.Second)
	for {
		var err error
		if st, err = c.Status(context.Background()); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("service never answered: %v\n%s", err, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if st.Caller.UID != strconv.Itoa(os.Getuid()) || st.Support.Organization != "Acme IT" {
		t.Errorf("status = %+v", st)
	}
	c.Close()

	// An open watch stream must not hold up the stop.
	go c.Watch(context.Background(), func(localapi.Event) error { return nil })
	time.Sleep(50 * time.Millisecond)

	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
		t.Logf("stopped %v after SIGTERM", time.Since(sent).Round(time.Millisecond))
	case <-time.After(2 * time.Second):
		t.Fatalf("still running 2 s after SIGTERM\n%s", stderr.String())
	}
	if _, err := os.Stat(sock); !os.IsNotExist(err) {
		t.Errorf("socket left behind: %v", err)
	}
	if !strings.Contains(stderr.String(), "firstline service stopped") {
		t.Errorf("no stop logged:\n%s", stderr.String())
	}
}

func TestRunRefusesBadConfig(t *testing.T) {
	cfg := writeConfig(t, "[service]\nlog_level = \"info\"\nlog_levl = \"debug\"\n")
	r := runCLI(t, nil, "run", "--config", cfg, "--socket", filepath.Join(t.TempDir(), "s.sock"))
	if r.code != 78 || !strings.Contains(r.stderr, cfg+":3") {
		t.Fatalf("exit %d, stderr %q; want 78 naming %s:3", r.code, r.stderr, cfg)
	}
}

func TestConfigCheck(t *testing.T) {
	good := writeConfig(t, "[support]\norganization = \"Acme IT\"\n")
	r := runCLI(t, nil, "config", "check", "--config", good)
	if r.code != 0 || !strings.Contains(r.stdout, "organization = 'Acme IT'") || !strings.Contains(r.stdout, good) {
		t.Errorf("good config: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	bad := writeConfig(t, "[localapi]\nmax_connections = \"many\"\n")
	r = runCLI(t, nil, "config", "check", "--config", bad)
	if r.code != 78 || !strings.Contains(r.stderr, bad+":2") {
		t.Errorf("wrong type: exit %d, stderr %q", r.code, r.stderr)
	}

	if err := os.Chmod(good, 0o666); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, nil, "config", "check", "--config", good)
	if r.code != 78 || !strings.Contains(r.stderr, good) {
		t.Errorf("world-writable config: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestUsageAndHelp(t *testing.T) {
	if r := runCLI(t, nil, "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := runCLI(t, nil, "run", "--bogus"); r.code != 2 {
		t.Errorf("unknown flag: exit %d", r.code)
	}
	for _, args := range [][]string{{"--help"}, {"run", "--help"}, {"config", "check", "--help"}, {"status", "--help"}} {
		if r := runCLI(t, nil, args...); r.code != 0 || !strings.Contains(r.stdout, "Usage: firstline-service") {
			t.Errorf("%v: exit %d, stdout %q", args, r.code, r.stdout)
		}
	}
	if r := runCLI(t, nil, "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "firstline-service ") {
		t.Errorf("version: exit %d, stdout %q", r.code, r.stdout)
	}
}
