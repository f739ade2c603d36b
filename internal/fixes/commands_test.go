package fixes

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestServiceCommands(t *testing.T) {
	win := PlatformFor(Windows, func(string) string { return "" })
	tests := []struct {
		name string
		p    Platform
		s    ServiceAction
		want [][]string
	}{
		{"linux restart", Platform{GOOS: Linux}, ServiceAction{Name: "cups", Action: ServiceRestart},
			[][]string{{"/usr/bin/systemctl", "restart", "cups"}}},
		{"linux user stop", Platform{GOOS: Linux}, ServiceAction{Name: "pipewire", Action: ServiceStop, User: true},
			[][]string{{"/usr/bin/systemctl", "--user", "stop", "pipewire"}}},
		{"windows restart", win, ServiceAction{Name: "Spooler", Action: ServiceRestart},
			[][]string{{`C:\Windows\System32\net.exe`, "stop", "Spooler", "/y"}, {`C:\Windows\System32\net.exe`, "start", "Spooler"}}},
		{"windows start", win, ServiceAction{Name: "W32Time", Action: ServiceStart},
			[][]string{{`C:\Windows\System32\net.exe`, "start", "W32Time"}}},
		{"darwin restart", Platform{GOOS: Darwin}, ServiceAction{Name: "org.cups.cupsd", Action: ServiceRestart},
			[][]string{{"/bin/launchctl", "kickstart", "-k", "system/org.cups.cupsd"}}},
		{"darwin user start", Platform{GOOS: Darwin}, ServiceAction{Name: "com.example.agent", Action: ServiceStart, User: true},
			[][]string{{"/bin/launchctl", "kickstart", "gui/501/com.example.agent"}}},
		{"darwin stop", Platform{GOOS: Darwin}, ServiceAction{Name: "org.cups.cupsd", Action: ServiceStop},
			[][]string{{"/bin/launchctl", "kill", "SIGTERM", "system/org.cups.cupsd"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmds := ServiceCommands(tc.p, tc.s, "501")
			var got [][]string
			for _, c := range cmds {
				got = append(got, c.Argv)
			}
			if !slices.EqualFunc(got, tc.want, slices.Equal) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestConditionHolds(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	svc := Condition{Kind: CondServiceActive, Arg: "x"}
	queue := Condition{Kind: CondPrintQueueEmpty}
	tests := []struct {
		name   string
		goos   string
		c      Condition
		exit   int
		output string
		want   bool
	}{
		{"sc running", Windows, svc, 0, read("sc-query-running.txt"), true},
		{"sc stopped", Windows, svc, 0, read("sc-query-stopped.txt"), false},
		{"sc pending", Windows, svc, 0, read("sc-query-pending.txt"), false},
		{"sc no such service", Windows, svc, 1060, "[SC] EnumQueryServicesStatus:OpenService FAILED 1060:", false},
		{"launchctl running", Darwin, svc, 0, read("launchctl-print-running.txt"), true},
		{"launchctl not running", Darwin, svc, 0, read("launchctl-print-waiting.txt"), false},
		{"launchctl unknown", Darwin, svc, 113, "Could not find service", false},
		{"systemctl active", Linux, svc, 0, "active\n", true},
		{"systemctl activating", Linux, svc, 3, "activating\n", false},
		{"systemctl failed", Linux, svc, 3, "failed\n", false},
		{"lpstat empty", Linux, queue, 0, "", true},
		{"lpstat jobs", Linux, queue, 0, read("lpstat-o-jobs.txt"), false},
		{"lpstat no scheduler", Darwin, queue, 1, "lpstat: Bad file descriptor", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ConditionHolds(tc.goos, tc.c, tc.exit, tc.output); got != tc.want {
				t.Errorf("ConditionHolds = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestConditionCommand(t *testing.T) {
	win := PlatformFor(Windows, func(k string) string { return map[string]string{"SystemRoot": `D:\WIN`}[k] })
	tests := []struct {
		p    Platform
		c    Condition
		want []string
	}{
		{Platform{GOOS: Linux}, Condition{Kind: CondServiceActive, Arg: "cups"}, []string{"/usr/bin/systemctl", "is-active", "cups"}},
		{win, Condition{Kind: CondServiceActive, Arg: "Spooler"}, []string{`D:\WIN\System32\sc.exe`, "query", "Spooler"}},
		{Platform{GOOS: Darwin}, Condition{Kind: CondServiceActive, Arg: "org.cups.cupsd"}, []string{"/bin/launchctl", "print", "system/org.cups.cupsd"}},
		{Platform{GOOS: Linux}, Condition{Kind: CondPrintQueueEmpty}, []string{"/usr/bin/lpstat", "-o"}},
		{Platform{GOOS: Linux}, Condition{Kind: CondNetworkUp}, nil},
	}
	for _, tc := range tests {
		cmd, ok := ConditionCommand(tc.p, tc.c)
		if ok != (tc.want != nil) || !slices.Equal(cmd.Argv, tc.want) {
			t.Errorf("%s on %s: got %q (%v), want %q", tc.c.Kind, tc.p.GOOS, cmd.Argv, ok, tc.want)
		}
	}
}

// FuzzConditionHolds feeds foreign command output to the parsers: they must
// not panic, and must never report a service running without the exact
// RUNNING / "state = running" / "active" marker.
func FuzzConditionHolds(f *testing.F) {
	for _, name := range []string{"sc-query-running.txt", "sc-query-stopped.txt", "sc-query-pending.txt",
		"launchctl-print-running.txt", "launchctl-print-waiting.txt", "lpstat-o-jobs.txt"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), 0)
	}
	f.Fuzz(func(t *testing.T, out string, exit int) {
		svc := Condition{Kind: CondServiceActive, Arg: "x"}
		for _, goos := range []string{Linux, Windows, Darwin} {
			if ConditionHolds(goos, svc, exit, out) && exit != 0 {
				t.Fatalf("%s: running with exit %d", goos, exit)
			}
		}
		if ConditionHolds(Windows, svc, 0, out) && !containsAll(out, "STATE", "RUNNING") {
			t.Fatal("windows: running without a RUNNING state line")
		}
		if ConditionHolds(Darwin, svc, 0, out) && !containsAll(out, "state = running") {
			t.Fatal("darwin: running without a state = running line")
		}
		ConditionHolds(Linux, Condition{Kind: CondPrintQueueEmpty}, exit, out)
	})
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
