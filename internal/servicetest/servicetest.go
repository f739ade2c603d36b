//go:build linux

package servicetest

import (
	"context"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
)

// Service is one firstline-service process, started again after each
// kill with the same configuration, socket and log file.
type Service struct {
	Bin, Config, Socket, Log string
	cmd                      *exec.Cmd
}

// Start runs the binary, its output appended to Log. The process dies
// with the test process, should the test itself crash.
func (s *Service) Start(t testing.TB) {
	t.Helper()
	logf, err := os.OpenFile(s.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	s.cmd = exec.Command(s.Bin, "run", "--config", s.Config, "--socket", s.Socket)
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
}

// Answering waits until the LocalAPI answers.
func (s *Service) Answering(t testing.TB, c *localapi.Client) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := c.Status(ctx)
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the service does not answer: %v\n%s", err, s.Tail())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Kill sends SIGKILL and reaps the process.
func (s *Service) Kill(t testing.TB) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = s.cmd.Wait()
}

// Stop sends SIGTERM and expects a clean exit.
func (s *Service) Stop(t testing.TB) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Wait(); err != nil {
		t.Errorf("the service did not stop cleanly: %v\n%s", err, s.Tail())
	}
}

// Tail is the end of the service's log, for failure messages.
func (s *Service) Tail() string {
	b, _ := os.ReadFile(s.Log)
	if len(b) > 8<<10 {
		b = b[len(b)-8<<10:]
	}
	return string(b)
}
