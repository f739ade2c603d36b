package sysinfo

import (
	"os"
	"path/filepath"
	"testing"
)

func TestOSReleaseNames(t *testing.T) {
	tests := map[string]string{
		"debian-12":         "Debian GNU/Linux 12 (bookworm)",
		"ubuntu-24.04":      "Ubuntu 24.04.1 LTS",
		"fedora-40":         "Fedora Linux 40 (Workstation Edition)",
		"minimal-no-pretty": "Alpine Linux 3.20.3",
	}
	for file, want := range tests {
		b, err := os.ReadFile(filepath.Join("testdata", "os-release", file))
		if err != nil {
			t.Fatal(err)
		}
		if got := osReleaseName(parseOSRelease(b)); got != want {
			t.Errorf("%s: got %q, want %q", file, got, want)
		}
	}
}

func TestParseOSReleaseQuoting(t *testing.T) {
	m := parseOSRelease([]byte("A=\"x \\\"y\\\"\"\nB='single'\nC=bare\n=nokey\nD E=bad\n# c=comment\n"))
	want := map[string]string{"A": `x "y"`, "B": "single", "C": "bare"}
	if len(m) != len(want) {
		t.Fatalf("got %v, want %v", m, want)
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s: got %q, want %q", k, m[k], v)
		}
	}
}

func TestMacOSParsers(t *testing.T) {
	b, _ := os.ReadFile("testdata/macos/sw_vers")
	if got := parseSwVers(b); got != "macOS 14.5 (23F79)" {
		t.Errorf("sw_vers: %q", got)
	}
	b, _ = os.ReadFile("testdata/macos/ioreg")
	m := parseIOReg(b)
	if m.serial != "C02QXKJMMD6R" || m.model != "MacBookPro18,3" || m.manufacturer != "Apple Inc." {
		t.Errorf("ioreg: %+v", m)
	}
}

func TestWindowsName(t *testing.T) {
	tests := []struct{ product, display, build, want string }{
		{"Windows 10 Pro", "23H2", "22631", "Windows 11 Pro 23H2"},
		{"Windows 10 Enterprise", "22H2", "19045", "Windows 10 Enterprise 22H2"},
		{"Windows Server 2022 Standard", "", "20348", "Windows Server 2022 Standard"},
	}
	for _, tt := range tests {
		if got := windowsName(tt.product, tt.display, tt.build); got != tt.want {
			t.Errorf("%v: got %q", tt, got)
		}
	}
}

func TestPlaceholderDMI(t *testing.T) {
	for _, v := range []string{"To Be Filled By O.E.M.", "Default string", " System Serial Number ", ""} {
		if cleanDMI(v) != "" {
			t.Errorf("%q should be dropped", v)
		}
	}
	if cleanDMI(" LENOVO ") != "LENOVO" {
		t.Error("real vendor dropped")
	}
}

func FuzzParseOSRelease(f *testing.F) {
	for _, name := range []string{"debian-12", "ubuntu-24.04", "fedora-40", "minimal-no-pretty"} {
		b, _ := os.ReadFile(filepath.Join("testdata", "os-release", name))
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m := parseOSRelease(b)
		_ = osReleaseName(m)
		for k := range m {
			if k == "" {
				t.Fatal("empty key")
			}
		}
	})
}

func FuzzParseIOReg(f *testing.F) {
	b, _ := os.ReadFile("testdata/macos/ioreg")
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) { _ = parseIOReg(b); _ = parseSwVers(b); _ = parsePmset(b) })
}
