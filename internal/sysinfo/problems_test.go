package sysinfo

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestCoredumpNames(t *testing.T) {
	mod := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name, prog string
		ok         bool
		at         time.Time
	}{
		{"core.firefox-esr.1000.9b2c7e1c0f3a4c7f8a1b2c3d4e5f6a7b.4242.1763632800000000.zst", "firefox-esr", true, time.UnixMicro(1763632800000000).UTC()},
		{"core.Web\\x20Content.1000.9b2c.4242.1763632800000000.lz4", "Web Content", true, time.UnixMicro(1763632800000000).UTC()},
		{"core.python3.11.0.bootid.17.1763632800000000.xz", "python3.11", true, time.UnixMicro(1763632800000000).UTC()},
		{"core.short.1.2", "", false, time.Time{}},
		{"notacore.txt", "", false, time.Time{}},
	}
	for _, tt := range tests {
		c, ok := parseCoredumpName(tt.name, mod)
		if ok != tt.ok || c.Program != tt.prog || (ok && !c.At.Equal(tt.at)) {
			t.Errorf("%s: got %+v %v", tt.name, c, ok)
		}
	}
}

func TestWERAndMacNames(t *testing.T) {
	mod := time.Now()
	if c, ok := parseWERName("AppCrash_OUTLOOK.EXE_1a2b3c4d5e_abc123_cab_0a1b2c3d", mod); !ok || c.Program != "OUTLOOK.EXE" || c.Kind != "appcrash" {
		t.Errorf("WER: %+v %v", c, ok)
	}
	if _, ok := parseWERName("AppCrash_", mod); ok {
		t.Error("a report folder without a program name counted")
	}
	if _, ok := parseWERName("NonCritical_x_y", mod); ok {
		t.Error("non-critical report counted as a crash")
	}
	if c, ok := parseMacReportName("Microsoft Teams-2026-11-20-101010.ips", mod); !ok || c.Program != "Microsoft Teams" {
		t.Errorf("mac ips: %+v %v", c, ok)
	}
	if c, ok := parseMacReportName("Kernel-2026-11-20-101010.panic", mod); !ok || c.Kind != "panic" {
		t.Errorf("mac panic: %+v %v", c, ok)
	}
	if _, ok := parseMacReportName("README.txt", mod); ok {
		t.Error("text file counted")
	}
}

func TestRecentCrashesWindow(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	for name, age := range map[string]time.Duration{
		"core.new.1000.b.1.1.zst": time.Hour,
		"core.old.1000.b.2.2.zst": 8 * 24 * time.Hour,
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := recentCrashes(dir, now, parseCoredumpName)
	if err != nil || len(got) != 1 || got[0].Program != "new" {
		t.Errorf("got %+v, %v", got, err)
	}
	if got, err := recentCrashes(filepath.Join(dir, "missing"), now, parseCoredumpName); err != nil || got != nil {
		t.Errorf("missing folder: %v %v", got, err)
	}
}

func TestFailedUnits(t *testing.T) {
	out := "cups.service            loaded failed failed CUPS Scheduler\n● NetworkManager-wait-online.service loaded failed failed Wait\n\n"
	got := parseFailedUnits([]byte(out))
	if len(got) != 2 || got[0] != "cups.service" || got[1] != "NetworkManager-wait-online.service" {
		t.Errorf("got %q", got)
	}
}

func FuzzCrashNames(f *testing.F) {
	for _, s := range []string{"core.a.1.b.2.3.zst", "AppCrash_x_y", "AppCrash_", "a-2024-01-01.ips", `core.\x2.1.2.3.4`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		mod := time.Unix(0, 0)
		for _, parse := range []func(string, time.Time) (Crash, bool){parseCoredumpName, parseWERName, parseMacReportName} {
			if c, ok := parse(name, mod); ok && c.Program == "" {
				t.Fatalf("%q: accepted with no program", name)
			}
		}
		_ = parseFailedUnits([]byte(name))
	})
}
