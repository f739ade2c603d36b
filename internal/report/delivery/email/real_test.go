package email_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery/deliverytest"
	"github.com/firstline-it/firstline/internal/report/delivery/email"
)

// TestRealSMTP sends a report to a real SMTP server when one is named:
//
//	FIRSTLINE_TEST_SMTP_ADDR=127.0.0.1:2525 [FIRSTLINE_TEST_SMTP_TLS=starttls|tls|none]
//	[FIRSTLINE_TEST_SMTP_CA=cert.pem] [FIRSTLINE_TEST_SMTP_USER=u FIRSTLINE_TEST_SMTP_PASS=p]
//	[FIRSTLINE_TEST_SMTP_MAILDIR=<Maildir the server stores into>]
//
// (the project's SMTP recipe starts such a server). With a Maildir, the
// stored message is parsed and its attachments compared byte for byte.
func TestRealSMTP(t *testing.T) {
	addr := os.Getenv("FIRSTLINE_TEST_SMTP_ADDR")
	if addr == "" {
		t.Skip("set FIRSTLINE_TEST_SMTP_ADDR to run against a real SMTP server")
	}
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(portStr)
	cfg := email.Config{
		Host: host, Port: port, TLS: os.Getenv("FIRSTLINE_TEST_SMTP_TLS"), CAFile: os.Getenv("FIRSTLINE_TEST_SMTP_CA"),
		Username: os.Getenv("FIRSTLINE_TEST_SMTP_USER"), Password: config.NewSecret(os.Getenv("FIRSTLINE_TEST_SMTP_PASS")),
		From: "Firstline <firstline@example.com>", To: []string{"helpdesk@example.com"},
	}
	if cfg.TLS == "" {
		cfg.TLS = "none"
	}
	e, err := email.New(cfg, email.Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	m := deliverytest.Message()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := e.Deliver(ctx, m); err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	dir := os.Getenv("FIRSTLINE_TEST_SMTP_MAILDIR")
	if dir == "" {
		return
	}
	entries, err := os.ReadDir(filepath.Join(dir, "new"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, de := range entries {
		if fi, err := de.Info(); err != nil || fi.ModTime().Before(start.Add(-time.Second)) {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, "new", de.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := deliverytest.ParseMail(raw)
		if err != nil || got.Header.Get("X-Firstline-Key") != m.Key {
			continue
		}
		found = true
		if len(got.Attachments) != len(m.Attachments) {
			t.Fatalf("%d attachments stored, want %d", len(got.Attachments), len(m.Attachments))
		}
		for i, a := range got.Attachments {
			if a.Name != m.Attachments[i].Name || !bytes.Equal(a.Data, m.Attachments[i].Data) {
				t.Errorf("attachment %d: %q, %d bytes; want %q, %d bytes", i, a.Name, len(a.Data), m.Attachments[i].Name, len(m.Attachments[i].Data))
			}
		}
	}
	if !found {
		t.Errorf("no stored message with key %s in %s", m.Key, dir)
	}
}
