package reports

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/firstline-it/firstline/internal/config"
)

func TestSetupCategoriesAndLogs(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&b, "line %d user /home/jdoe/x TOKEN=s3cr3t\n", i)
	}
	logPath := filepath.Join(dir, "app.log")
	if err := os.WriteFile(logPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults()
	cfg.Reports.LogExcerpts = []config.ReportLog{
		{Name: "App", Path: logPath, Lines: 3},
		{Name: "Missing", Path: filepath.Join(dir, "none.log"), Lines: 3},
	}
	got := NewSetup(cfg).ReportSetup(context.Background())
	if len(got.Categories) != 7 || got.Categories[0].ID != "computer-slow" {
		t.Errorf("default categories: %+v", got.Categories)
	}
	if len(got.Logs) != 2 {
		t.Fatalf("logs: %+v", got.Logs)
	}
	app := got.Logs[0]
	if !strings.HasPrefix(app.Text, "line 98 ") || strings.Count(app.Text, "\n") != 2 || !strings.Contains(app.Text, "line 100") {
		t.Errorf("tail: %q", app.Text)
	}
	if strings.Contains(app.Text, "jdoe") || strings.Contains(app.Text, "s3cr3t") {
		t.Errorf("log excerpt not redacted: %q", app.Text)
	}
	if got.Logs[1].Error == "" || got.Logs[1].Text != "" {
		t.Errorf("missing file: %+v", got.Logs[1])
	}

	cfg.Reports.Categories = []config.ReportCategory{{ID: "vpn", Label: "VPN"}}
	if got := NewSetup(cfg).ReportSetup(context.Background()); len(got.Categories) != 1 || got.Categories[0].Label != "VPN" {
		t.Errorf("IT's categories: %+v", got.Categories)
	}
}

func TestTailOfALongFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.log")
	line := strings.Repeat("x", 99) + "\n"
	if err := os.WriteFile(path, []byte(strings.Repeat(line, 5000)+"last\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := tail(path, 500)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(got, "\n")
	if lines[len(lines)-1] != "last" || len(got) > maxExcerptBytes || lines[0] != strings.Repeat("x", 99) {
		t.Errorf("%d lines, %d bytes, first %q, last %q", len(lines), len(got), lines[0], lines[len(lines)-1])
	}
}
