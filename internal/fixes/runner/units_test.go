package runner

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/firstline-it/firstline/internal/fixes"
)

func TestCommandEnv(t *testing.T) {
	env := map[string]string{
		"PATH": "/home/mallory/bin", "LD_PRELOAD": "/tmp/evil.so", "LANG": "de_DE.UTF-8", "HOME": "/home/ann",
		"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus", "XDG_RUNTIME_DIR": "/run/user/1000",
		"SystemRoot": `C:\Windows`, "APPDATA": `C:\Users\ann\AppData\Roaming`, "PSModulePath": `C:\evil`,
	}
	getenv := func(k string) string { return env[k] }
	tests := []struct {
		name     string
		goos     string
		as       fixes.RunsAs
		extra    []string
		want     []string
		mustLack []string
	}{
		{"linux system", fixes.Linux, fixes.RunsAsSystem, []string{"DEBIAN_FRONTEND=noninteractive"},
			[]string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C", "LC_ALL=C",
				"DEBIAN_FRONTEND=noninteractive"},
			[]string{"LD_PRELOAD", "/home/mallory", "de_DE", "DBUS"}},
		{"linux user", fixes.Linux, fixes.RunsAsUser, nil,
			[]string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/home/ann",
				"XDG_RUNTIME_DIR=/run/user/1000", "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus", "LANG=C", "LC_ALL=C"},
			[]string{"LD_PRELOAD", "de_DE"}},
		{"darwin system", fixes.Darwin, fixes.RunsAsSystem, nil,
			[]string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/var/root", "LANG=C", "LC_ALL=C"},
			[]string{"LD_PRELOAD"}},
		{"windows", fixes.Windows, fixes.RunsAsSystem, nil,
			[]string{`SystemRoot=C:\Windows`, `windir=C:\Windows`,
				`PATH=C:\Windows\System32;C:\Windows;C:\Windows\System32\Wbem;C:\Windows\System32\WindowsPowerShell\v1.0`,
				`APPDATA=C:\Users\ann\AppData\Roaming`, "LANG=C", "LC_ALL=C"},
			[]string{"PSModulePath", "/home/mallory"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := commandEnv(tc.goos, tc.as, getenv, tc.extra)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %q in %q", w, got)
				}
			}
			joined := strings.Join(got, "\n")
			for _, bad := range tc.mustLack {
				if strings.Contains(joined, bad) {
					t.Errorf("%q leaked into %q", bad, got)
				}
			}
			paths := 0
			for _, kv := range got {
				if strings.HasPrefix(kv, "PATH=") {
					paths++
				}
			}
			if paths != 1 {
				t.Errorf("%d PATH entries", paths)
			}
		})
	}
}

func TestOutputLog(t *testing.T) {
	var got []string
	o := &outputLog{cap: 1 << 20, emit: func(s string) { got = append(got, s) }}
	for _, chunk := range []string{"hel", "lo\nwor", "ld\r\n", "50%\r100%\n", "\x1b[31mred\x1b[0m\n", "bad \xff byte\n", "tab\there\n", "no newline"} {
		o.Write([]byte(chunk))
	}
	o.flush()
	o.Write([]byte(strings.Repeat("x", maxLine+10) + "\n"))
	o.flush()
	want := []string{"hello", "world", "100%", "[31mred[0m", "bad \uFFFD byte", "tab\there", "no newline",
		strings.Repeat("x", maxLine), strings.Repeat("x", 10)}
	if !slices.Equal(got, want) {
		for i := range max(len(got), len(want)) {
			if i >= len(got) || i >= len(want) || got[i] != want[i] {
				t.Fatalf("line %d differs (%d lines, want %d)", i, len(got), len(want))
			}
		}
	}
	if o.truncated || !strings.HasPrefix(o.String(), "hello\nworld\n") {
		t.Errorf("kept %q", o.String()[:20])
	}
}

func TestOutputLogCap(t *testing.T) {
	var got []string
	o := &outputLog{cap: 20, emit: func(s string) { got = append(got, s) }}
	o.Write([]byte("0123456789\n0123456789\nmore\nand more\n"))
	o.flush()
	if len(got) != 2 || got[0] != "0123456789" || !strings.Contains(got[1], "output cut") || !o.truncated {
		t.Errorf("got %q, truncated %v", got, o.truncated)
	}
}

func TestMatchName(t *testing.T) {
	tests := []struct {
		goos, name, proc, exe string
		want                  bool
	}{
		{fixes.Linux, "slack", "slack", "/usr/lib/slack/slack", true},
		{fixes.Linux, "slack", "Slack", "", true},
		{fixes.Linux, "slack", "slacker", "/usr/bin/slacker", false},
		{fixes.Linux, "teams-for-linux", "teams-for-linu", "/opt/teams-for-linux/teams-for-linux", true},
		{fixes.Linux, "teams-for-linux-x", "teams-for-linux", "", true},
		{fixes.Linux, "teams-for-linux-x", "teams-for-linux", "/usr/bin/teams-for-linux", false},
		{fixes.Linux, "zoom", "ZoomWebviewHost", "/opt/zoom/ZoomWebviewHost", false},
		{fixes.Windows, "OneDrive", "OneDrive.exe", `C:\Users\ann\AppData\Local\Microsoft\OneDrive\OneDrive.exe`, true},
		{fixes.Windows, "ms-teams", "ms-teams.exe", "", true},
		{fixes.Windows, "Teams", "ms-teams.exe", "", false},
		{fixes.Darwin, "zoom.us", "zoom.us", "/Applications/zoom.us.app/Contents/MacOS/zoom.us", true},
		{fixes.Darwin, "Google Drive", "Google Drive", "/Applications/Google Drive.app/Contents/MacOS/Google Drive", true},
	}
	for _, tc := range tests {
		if got := matchName(tc.goos, tc.name, tc.proc, tc.exe); got != tc.want {
			t.Errorf("matchName(%s, %q, %q, %q) = %v", tc.goos, tc.name, tc.proc, tc.exe, got)
		}
	}
}

func TestLaunchArgv(t *testing.T) {
	tests := []struct {
		goos, exe string
		want      []string
	}{
		{fixes.Linux, "/usr/lib/slack/slack", []string{"/usr/bin/setsid", "-f", "/usr/lib/slack/slack"}},
		{fixes.Darwin, "/Applications/Slack.app/Contents/MacOS/Slack", []string{"/usr/bin/open", "/Applications/Slack.app"}},
		{fixes.Darwin, "/Applications/OneDrive.app", []string{"/usr/bin/open", "/Applications/OneDrive.app"}},
		{fixes.Windows, `C:\x\OneDrive.exe`, []string{`C:\x\OneDrive.exe`}},
	}
	for _, tc := range tests {
		if got := launchArgv(tc.goos, tc.exe); !slices.Equal(got, tc.want) {
			t.Errorf("launchArgv(%s, %s) = %q, want %q", tc.goos, tc.exe, got, tc.want)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1536: "1.5 KB", 5 << 30: "5.0 GB"} {
		if got := HumanBytes(n); got != want {
			t.Errorf("HumanBytes(%d) = %s, want %s", n, got, want)
		}
	}
}

// FuzzOutputLog feeds program output to the line splitter: lines are
// valid UTF-8 without control characters, bounded, the kept text respects
// the cap, and the result does not depend on how the output was chunked.
func FuzzOutputLog(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "apt-output.txt"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed, uint8(7))
	f.Add([]byte("a\r\nb\rc\n\xff\x00\x1b[0m"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		run := func(step int) ([]string, string) {
			var lines []string
			o := &outputLog{cap: 4096, emit: func(s string) { lines = append(lines, s) }}
			for rest := data; len(rest) > 0; {
				k := min(step, len(rest))
				o.Write(rest[:k])
				rest = rest[k:]
			}
			o.flush()
			return lines, o.String()
		}
		lines, kept := run(1 + int(chunk))
		whole, wholeKept := run(len(data) + 1)
		if !slices.Equal(lines, whole) || kept != wholeKept {
			t.Fatalf("chunking changed the lines")
		}
		if len(kept) > 4096+100 {
			t.Fatalf("kept %d bytes", len(kept))
		}
		for _, l := range lines {
			if !utf8.ValidString(l) || len(l) > 3*maxLine || strings.ContainsFunc(l, func(r rune) bool { return r < 0x20 && r != '\t' }) {
				t.Fatalf("bad line %q", l)
			}
		}
	})
}
