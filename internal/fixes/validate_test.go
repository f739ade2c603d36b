package fixes

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func goodFix() Fix {
	return Fix{
		ID: "acme-clean", Title: "Clean", Description: "Cleans the ACME folder.", Group: GroupSlow,
		OS: []string{Linux}, RunsAs: RunsAsSystem,
		Params: []Param{{Name: "days", Kind: ParamInt, Min: 0, Max: 30, Default: "7"}},
		Steps: []Step{
			Exec{Path: "/usr/bin/acme", Args: []string{"--days", "{{days}}"}},
			RemoveOld{Root: "temp", Paths: []string{"acme"}, OlderThanParam: "days"},
			ServiceAction{Name: "acme.service", Action: ServiceRestart},
			WaitFor{Condition: Condition{Kind: CondServiceActive, Arg: "acme.service"}, Timeout: 10 * time.Second},
		},
	}
}

func TestValidateAcceptsGoodFix(t *testing.T) {
	f := goodFix()
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateFindsProblems(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *Fix)
		step   int
		want   string
	}{
		{"bad id", func(f *Fix) { f.ID = "Acme Clean" }, 0, "id"},
		{"no title", func(f *Fix) { f.Title = " " }, 0, "title"},
		{"unknown group", func(f *Fix) { f.Group = "Misc" }, 0, "group"},
		{"unknown os", func(f *Fix) { f.OS = []string{"plan9"} }, 0, "os"},
		{"duplicate os", func(f *Fix) { f.OS = []string{Linux, Linux} }, 0, "twice"},
		{"runs as root", func(f *Fix) { f.RunsAs = "root" }, 0, "runs_as"},
		{"timeout too long", func(f *Fix) { f.Timeout = 3 * time.Hour }, 0, "timeout"},
		{"relative requires", func(f *Fix) { f.Requires = []string{"bin/acme"} }, 0, "requires"},
		{"relative requires_any", func(f *Fix) { f.RequiresAny = []string{"/usr/bin/ok", "acme"} }, 0, "requires"},
		{"no steps", func(f *Fix) { f.Steps = nil }, 0, "steps"},
		{"relative exec", func(f *Fix) { f.Steps[0] = Exec{Path: "acme"} }, 1, "absolute"},
		{"dotdot exec", func(f *Fix) { f.Steps[0] = Exec{Path: "/usr/bin/../../tmp/x"} }, 1, "absolute"},
		{"windows path on linux", func(f *Fix) { f.Steps[0] = Exec{Path: `C:\x.exe`} }, 1, "absolute"},
		{"glued placeholder", func(f *Fix) { f.Steps[0] = Exec{Path: "/usr/bin/acme", Args: []string{"--days={{days}}"}} }, 1, "whole argument"},
		{"unknown placeholder", func(f *Fix) { f.Steps[0] = Exec{Path: "/usr/bin/acme", Args: []string{"{{nope}}"}} }, 1, "no declared parameter"},
		{"env PATH", func(f *Fix) { f.Steps[0] = Exec{Path: "/usr/bin/acme", Env: []string{"PATH=/tmp"}} }, 1, "cannot be set"},
		{"env LD_PRELOAD", func(f *Fix) { f.Steps[0] = Exec{Path: "/usr/bin/acme", Env: []string{"LD_PRELOAD=/tmp/x.so"}} }, 1, "cannot be set"},
		{"allow exit 0", func(f *Fix) { f.Steps[0] = Exec{Path: "/usr/bin/acme", AllowExit: []int{0}} }, 1, "allow_exit"},
		{"unknown root", func(f *Fix) { f.Steps[1] = RemoveOld{Root: "/etc"} }, 2, "allowed roots"},
		{"user root in system fix", func(f *Fix) { f.Steps[1] = RemoveOld{Root: "user-cache"} }, 2, "user fixes"},
		{"root of another OS", func(f *Fix) { f.Steps[1] = RemoveOld{Root: "print-spool"} }, 2, "does not exist on linux"},
		{"dotdot path", func(f *Fix) { f.Steps[1] = RemoveOld{Root: "temp", Paths: []string{"../etc"}} }, 2, "clean relative"},
		{"absolute path", func(f *Fix) { f.Steps[1] = RemoveOld{Root: "temp", Paths: []string{"/etc"}} }, 2, "clean relative"},
		{"unclean path", func(f *Fix) { f.Steps[1] = RemoveOld{Root: "temp", Paths: []string{"a//b"}} }, 2, "clean relative"},
		{"bad pattern", func(f *Fix) { f.Steps[1] = RemoveOld{Root: "temp", Pattern: "[x"} }, 2, "pattern"},
		{"pattern with slash", func(f *Fix) { f.Steps[1] = RemoveOld{Root: "temp", Pattern: "a/*"} }, 2, "pattern"},
		{"age from enum", func(f *Fix) { f.Steps[1] = RemoveOld{Root: "temp", OlderThanParam: "nope"} }, 2, "older_than_param"},
		{"service name", func(f *Fix) { f.Steps[2] = ServiceAction{Name: "a b;c", Action: ServiceRestart} }, 3, "service name"},
		{"service verb", func(f *Fix) { f.Steps[2] = ServiceAction{Name: "acme", Action: "reload"} }, 3, "stop, start or restart"},
		{"user service in system fix", func(f *Fix) { f.Steps[2] = ServiceAction{Name: "acme", Action: ServiceStart, User: true} }, 3, "user's service"},
		{"quit in system fix", func(f *Fix) { f.Steps[2] = QuitApp{Name: "slack"} }, 3, "only user fixes"},
		{"wait too short", func(f *Fix) { f.Steps[3] = WaitFor{Condition: Condition{Kind: CondNetworkUp}} }, 4, "wait timeout"},
		{"condition arg", func(f *Fix) {
			f.Steps[3] = Check{Condition: Condition{Kind: CondDNSResolves, Arg: "evil;host"}}
		}, 4, "host name"},
		{"unknown condition", func(f *Fix) { f.Steps[3] = Check{Condition: Condition{Kind: "file-exists"}} }, 4, "unknown condition"},
		{"nil step", func(f *Fix) { f.Steps[3] = nil }, 4, "unknown step"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := goodFix()
			tc.change(&f)
			var ve *ValidationError
			if err := f.Validate(); !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			for _, p := range ve.Problems {
				if p.Step == tc.step && strings.Contains(p.Message, tc.want) {
					return
				}
			}
			t.Errorf("no problem at step %d mentioning %q in:\n%v", tc.step, tc.want, ve)
		})
	}
}

func TestValidateParams(t *testing.T) {
	tests := []struct {
		name string
		p    Param
		want string
	}{
		{"enum metachar", Param{Name: "x", Kind: ParamEnum, Enum: []string{"a;b"}, Default: "a;b"}, "enum value"},
		{"enum empty", Param{Name: "x", Kind: ParamEnum, Default: ""}, "needs 1 to"},
		{"default not in enum", Param{Name: "x", Kind: ParamEnum, Enum: []string{"a"}, Default: "b"}, "default"},
		{"min above max", Param{Name: "x", Kind: ParamInt, Min: 5, Max: 1, Default: "3"}, "greater than max"},
		{"default out of range", Param{Name: "x", Kind: ParamInt, Min: 1, Max: 3, Default: "9"}, "default"},
		{"bad name", Param{Name: "X-Y", Kind: ParamBool, Default: "true"}, "name"},
		{"bad kind", Param{Name: "x", Kind: "string", Default: "a"}, "kind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := goodFix()
			f.Params = append(f.Params, tc.p)
			var ve *ValidationError
			if !errors.As(f.Validate(), &ve) {
				t.Fatal("accepted")
			}
			for _, p := range ve.Problems {
				if p.Param == 2 && strings.Contains(p.Message, tc.want) {
					return
				}
			}
			t.Errorf("no param problem mentioning %q in:\n%v", tc.want, ve)
		})
	}
}

func TestValidateUserFixRules(t *testing.T) {
	f := Fix{ID: "x", Title: "X", Description: "X.", Group: GroupMeetings, OS: []string{Linux, Windows, Darwin}, RunsAs: RunsAsUser,
		Steps: []Step{
			QuitApp{Name: "Slack"},
			RemoveOld{Root: "user-data"},                                       // too broad without paths
			ServiceAction{Name: "Spooler", Action: ServiceRestart},             // system service from a user fix
			RelaunchApp{Name: "Slack", Root: "user-data", Path: "Slack/slack"}, // not a launch root
		}}
	var ve *ValidationError
	if !errors.As(f.Validate(), &ve) {
		t.Fatal("accepted")
	}
	for _, want := range []string{"too broad", "cannot control system services", "cannot be started from root"} {
		found := false
		for _, p := range ve.Problems {
			found = found || strings.Contains(p.Message, want)
		}
		if !found {
			t.Errorf("no problem mentioning %q in:\n%v", want, ve)
		}
	}
}

func TestIsAbsFor(t *testing.T) {
	tests := []struct {
		goos, p string
		want    bool
	}{
		{Linux, "/usr/bin/x", true},
		{Linux, "usr/bin/x", false},
		{Linux, "/usr/../bin/x", false},
		{Linux, "/usr/./x", false},
		{Linux, "", false},
		{Windows, `C:\Windows\System32\net.exe`, true},
		{Windows, `c:\x.exe`, true},
		{Windows, `C:x.exe`, false},
		{Windows, `\\server\share\x.exe`, false},
		{Windows, `C:/Windows/x.exe`, false},
		{Windows, `C:\Windows\..\x.exe`, false},
		{Windows, `%SystemRoot%\x.exe`, false},
		{Darwin, "/usr/sbin/ipconfig", true},
	}
	for _, tc := range tests {
		if got := isAbsFor(tc.goos, tc.p); got != tc.want {
			t.Errorf("isAbsFor(%s, %q) = %v, want %v", tc.goos, tc.p, got, tc.want)
		}
	}
}

func TestFixCloneIsDeep(t *testing.T) {
	f := goodFix()
	c := f.Clone()
	c.Steps[0].(Exec).Args[0] = "changed"
	c.Params[0].Name = "changed"
	c.OS[0] = "changed"
	if f.Steps[0].(Exec).Args[0] != "--days" || f.Params[0].Name != "days" || f.OS[0] != Linux {
		t.Fatal("changing the clone changed the original")
	}
}
