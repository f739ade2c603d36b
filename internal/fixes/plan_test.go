package fixes

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPlanSubstitutesWholeArguments(t *testing.T) {
	f := goodFix()
	v, err := f.Values(map[string]string{"days": "12"})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := f.Plan(v, Target{Platform: Platform{GOOS: Linux}, Roots: map[string]string{"temp": "/tmp"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Steps) != 4 {
		t.Fatalf("%d steps", len(plan.Steps))
	}
	if got := plan.Steps[0].Commands[0].Argv; !slices.Equal(got, []string{"/usr/bin/acme", "--days", "12"}) {
		t.Errorf("argv = %q", got)
	}
	ro := plan.Steps[1].Step.(RemoveOld)
	if ro.OlderThan != 12*24*time.Hour {
		t.Errorf("OlderThan = %s", ro.OlderThan)
	}
	if want := "Delete files older than 12 days in /tmp/acme"; plan.Steps[1].Summary != want {
		t.Errorf("summary = %q, want %q", plan.Steps[1].Summary, want)
	}
	if got := plan.Steps[2].Commands[0].Argv; !slices.Equal(got, []string{"/usr/bin/systemctl", "restart", "acme.service"}) {
		t.Errorf("service argv = %q", got)
	}
	if plan.Steps[3].Commands != nil || !strings.Contains(plan.Steps[3].Summary, "acme.service is running") {
		t.Errorf("wait step = %+v", plan.Steps[3])
	}
	// The fix itself keeps its placeholder: plans are copies.
	if f.Steps[0].(Exec).Args[1] != "{{days}}" {
		t.Error("Plan changed the fix")
	}
}

func TestPlanRefusesOtherOS(t *testing.T) {
	f := goodFix()
	v, _ := f.Values(nil)
	if _, err := f.Plan(v, Target{Platform: Platform{GOOS: Windows}}); err == nil {
		t.Fatal("planned a Linux fix for Windows")
	}
}

func TestFormatArgv(t *testing.T) {
	tests := []struct {
		argv []string
		want string
	}{
		{[]string{"/usr/bin/nmcli", "networking", "off"}, "/usr/bin/nmcli networking off"},
		{[]string{"/usr/sbin/softwareupdate", "-i", "-a"}, "/usr/sbin/softwareupdate -i -a"},
		{[]string{"/bin/x", "a b", "$(id)", ""}, `/bin/x 'a b' '$(id)' ""`},
		{[]string{"/bin/x", "it's", "a\\b", "new\nline"}, `/bin/x "it's" 'a\b' "new\nline"`},
		{[]string{`C:\Windows\System32\net.exe`, "stop", "Spooler", "/y"}, `C:\Windows\System32\net.exe stop Spooler /y`},
		{[]string{`C:\Program Files\Veeam\x.exe`, "/backup"}, `"C:\Program Files\Veeam\x.exe" /backup`},
	}
	for _, tc := range tests {
		if got := FormatArgv(tc.argv); got != tc.want {
			t.Errorf("FormatArgv(%q) = %s, want %s", tc.argv, got, tc.want)
		}
	}
}

func TestDefaultRoots(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	win := PlatformFor(Windows, env(map[string]string{"SystemRoot": `C:\WINDOWS`}))
	tests := []struct {
		name string
		p    Platform
		as   RunsAs
		u    UserDirs
		want map[string]string
	}{
		{"linux system", Platform{GOOS: Linux}, RunsAsSystem, UserDirs{}, map[string]string{"temp": "/tmp", "var-tmp": "/var/tmp"}},
		{"linux user xdg", Platform{GOOS: Linux}, RunsAsUser,
			UserDirs{Home: "/home/ann", Env: env(map[string]string{"XDG_CACHE_HOME": "/fast/cache", "XDG_CONFIG_HOME": "relative"})},
			map[string]string{"user-home": "/home/ann", "user-cache": "/fast/cache", "user-data": "/home/ann/.config"}},
		{"linux user no home", Platform{GOOS: Linux}, RunsAsUser, UserDirs{}, map[string]string{}},
		{"windows system", win, RunsAsSystem, UserDirs{},
			map[string]string{"temp": `C:\WINDOWS\Temp`, "print-spool": `C:\WINDOWS\System32\spool\PRINTERS`}},
		{"windows user", win, RunsAsUser,
			UserDirs{Home: `C:\Users\ann`, Env: env(map[string]string{"APPDATA": `C:\Users\ann\AppData\Roaming`,
				"LOCALAPPDATA": `C:\Users\ann\AppData\Local`, "TEMP": `\\evil\share`})},
			map[string]string{"user-home": `C:\Users\ann`, "user-data": `C:\Users\ann\AppData\Roaming`,
				"user-local-data": `C:\Users\ann\AppData\Local`, "program-files": `C:\Program Files`}},
		{"darwin user", Platform{GOOS: Darwin}, RunsAsUser,
			UserDirs{Home: "/Users/ann", Env: env(map[string]string{"TMPDIR": "/var/folders/xy/T/"})},
			map[string]string{"user-home": "/Users/ann", "user-cache": "/Users/ann/Library/Caches",
				"user-data": "/Users/ann/Library/Application Support", "user-temp": "/var/folders/xy/T", "applications": "/Applications"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := DefaultRoots(tc.p, tc.as, tc.u)
			if len(got) != len(tc.want) {
				t.Errorf("got %v\nwant %v", got, tc.want)
			}
			for k, w := range tc.want {
				if got[k] != w {
					t.Errorf("%s = %q, want %q", k, got[k], w)
				}
			}
			for name := range got {
				if !slices.Contains(RootNames(tc.p.GOOS, tc.as), name) {
					t.Errorf("root %s resolved but not allowed for %s %s fixes", name, tc.p.GOOS, tc.as)
				}
			}
		})
	}
}

func TestPlatformForIgnoresOddEnvironment(t *testing.T) {
	p := PlatformFor(Windows, func(k string) string {
		return map[string]string{"SystemRoot": `\\attacker\share`, "ProgramFiles": `D:\Apps\`}[k]
	})
	if p.SystemRoot != `C:\Windows` || p.ProgramFiles != `D:\Apps` {
		t.Errorf("got %+v", p)
	}
}
