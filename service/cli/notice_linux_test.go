package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
)

// TestNoticeEndToEnd runs the real binary: IT makes a key and publishes a
// notice into the drop folder, the service runs with that key in its
// configuration, and "notice status" shows the notice accepted, while a
// forged file next to it is refused with its reason.
func TestNoticeEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir, err := os.MkdirTemp("", "fl-notice-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "firstline-service")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "../cmd/firstline-service").CombinedOutput(); err != nil {
		t.Fatalf("building firstline-service: %v\n%s", err, out)
	}
	run := func(args ...string) cliResult {
		t.Helper()
		cmd := exec.CommandContext(ctx, bin, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatal(err)
		}
		return cliResult{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
	}

	keys := filepath.Join(dir, "keys")
	r := run("notice", "keygen", "--out", keys)
	if r.code != 0 {
		t.Fatalf("keygen: %+v", r)
	}
	var keyLine string
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(l, "keys = ") {
			keyLine = l
		}
	}
	drop := filepath.Join(dir, "notices.d")
	if err := os.Mkdir(drop, 0o755); err != nil {
		t.Fatal(err)
	}
	r = run("notice", "publish", "--key", filepath.Join(keys, noticeSecretKeyFile), "--feed", filepath.Join(drop, "it.json"),
		"--id", "mail-down", "--severity", "critical", "--title", "Email is down", "--expires", "3h", "--incident")
	if r.code != 0 {
		t.Fatalf("publish: %+v", r)
	}
	forged := strings.Replace(string(mustRead(t, filepath.Join(drop, "it.json"))), "Email is down", "Email is fine", 1)
	os.WriteFile(filepath.Join(drop, "zz-forged.json"), []byte(forged), 0o644)
	os.WriteFile(filepath.Join(drop, "zz-forged.json.minisig"), mustRead(t, filepath.Join(drop, "it.json.minisig")), 0o644)

	// The config file is beside the drop folder: notices.d is its default.
	cfg := filepath.Join(dir, "firstline.toml")
	body := "[service]\nstate_dir = \"" + filepath.Join(dir, "state") + "\"\n\n[notices]\n" + keyLine + "\n"
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run("config", "check", "--config", cfg); r.code != 0 {
		t.Fatalf("config check: %+v", r)
	}
	sock := filepath.Join(dir, "run", "local.sock")
	svc := exec.Command(bin, "run", "--config", cfg, "--socket", sock)
	if err := svc.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Process.Signal(syscall.SIGTERM); _ = svc.Wait() })
	c := localapi.NewClient(sock)
	defer c.Close()
	waitUntil(t, "the service", func() bool { _, err := c.Status(ctx); return err == nil })

	r = run("notice", "status", "--socket", sock)
	if r.code != 0 || !strings.Contains(r.stdout, "Notices in force here: 1") ||
		!strings.Contains(r.stdout, "it.json: accepted, sequence 1, 1 notices") ||
		!strings.Contains(r.stdout, "zz-forged.json: REFUSED: feed refused (bad signature)") {
		t.Errorf("notice status:\n%s%s", r.stdout, r.stderr)
	}
	r = run("notice", "status", "--json", "--socket", sock)
	var st localapi.NoticeStatus
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || st.DropDir != drop || !st.Enabled {
		t.Errorf("notice status --json: %v %+v", err, st)
	}
	v, err := c.Notices(ctx)
	if err != nil || len(v.Items) != 1 || v.Items[0].Title != "Email is down" || v.Critical != 1 {
		t.Errorf("the caller's view: %+v, %v", v, err)
	}
}
