package sysinfo

import (
	"encoding/json"
	"strings"
	"testing"
)

// rendered is everything a snapshot can leave the machine as.
func rendered(t *testing.T, s *Snapshot) string {
	t.Helper()
	j, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(j) + "\n" + s.Summary() + "\n" + s.Detail()
}

func TestRedactEachRule(t *testing.T) {
	tests := []struct {
		rule    Rule
		removed []string // must not appear anywhere after this rule alone
		kept    []string // other rules' values stay, proving rules are separate
	}{
		{RuleSerials, []string{secretSerial}, []string{secretMAC, secretSSID}},
		{RuleMACs, []string{secretMAC}, []string{secretSerial, secretSSID}},
		{RuleWiFiSSID, []string{secretSSID}, []string{secretSerial, secretMAC}},
		{RuleCmdline, []string{secretToken, secretEnv, "-profile"}, []string{secretSerial, "/usr/lib/firefox-esr/firefox-esr"}},
		{RuleHomePaths, []string{"/home/" + secretUser}, []string{secretSerial, secretToken}},
		{RuleEnvironment, []string{secretEnv, secretToken}, []string{secretSerial, secretMAC}},
	}
	for _, tt := range tests {
		t.Run(string(tt.rule), func(t *testing.T) {
			before := rendered(t, fixtureSnapshot())
			for _, v := range append(tt.removed, tt.kept...) {
				if !strings.Contains(before, v) {
					t.Fatalf("fixture does not contain %q: the test would prove nothing", v)
				}
			}
			s := fixtureSnapshot()
			Redact(s, []Rule{tt.rule})
			after := rendered(t, s)
			for _, v := range tt.removed {
				if strings.Contains(after, v) {
					t.Errorf("%q survived rule %s", v, tt.rule)
				}
			}
			for _, v := range tt.kept {
				if !strings.Contains(after, v) {
					t.Errorf("%q removed by rule %s, which is not about it", v, tt.rule)
				}
			}
			if len(s.Redacted) != 1 || s.Redacted[0] != string(tt.rule) {
				t.Errorf("Redacted = %v", s.Redacted)
			}
		})
	}
}

func TestRedactAllLeavesNoSecret(t *testing.T) {
	s := fixtureSnapshot()
	Redact(s, AllRules())
	out := rendered(t, s)
	for _, v := range []string{secretSerial, secretMAC, secretSSID, secretToken, secretUser, secretEnv} {
		if strings.Contains(out, v) {
			t.Errorf("%q appears after all rules", v)
		}
	}
	// What IT needs stays: the remote-help ID, the program of a process,
	// the hostname.
	for _, v := range []string{"1 234 567 890", "firefox-esr", "LAPTOP-42", "~/data"} {
		if !strings.Contains(out, v) {
			t.Errorf("%q was removed but is needed", v)
		}
	}
}

func TestRedactNothingKeepsEverything(t *testing.T) {
	s := fixtureSnapshot()
	before := rendered(t, s)
	Redact(s, nil)
	s.Redacted = nil
	if after := rendered(t, s); after != before {
		t.Error("an empty rule set changed the snapshot")
	}
}

func TestProgramOnly(t *testing.T) {
	tests := map[string]string{
		"/usr/bin/python3 -c print(1)":             "/usr/bin/python3 " + Redacted,
		"/usr/bin/top":                             "/usr/bin/top",
		`"C:\Program Files\App\app.exe" --key=abc`: `"C:\Program Files\App\app.exe" ` + Redacted,
		`"C:\Program Files\App\app.exe"`:           `"C:\Program Files\App\app.exe"`,
		`"unterminated quote --token=x`:            `"unterminated quote --token=x`,
		"  /bin/sleep 100  ":                       "/bin/sleep " + Redacted,
	}
	for in, want := range tests {
		if got := programOnly(in); got != want {
			t.Errorf("programOnly(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHomePathForms(t *testing.T) {
	on := map[Rule]bool{RuleHomePaths: true}
	tests := map[string]string{
		"/home/jane/.cache/x":            "~/.cache/x",
		`C:\Users\Jane Doe\AppData`:      `~\AppData`,
		"/Users/jane/Library/Caches":     "~/Library/Caches",
		"/root/.bashrc":                  "~/.bashrc",
		"/rootfs/keep":                   "/rootfs/keep",
		"open /home/bob and /home/eve/x": "open ~ and ~/x",
	}
	for in, want := range tests {
		if got := redactString(on, "", in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

func TestParseRule(t *testing.T) {
	if r, err := ParseRule("macs"); err != nil || r != RuleMACs {
		t.Errorf("macs: %v %v", r, err)
	}
	if _, err := ParseRule("passwords"); err == nil || !strings.Contains(err.Error(), "home-paths") {
		t.Errorf("unknown rule: %v", err)
	}
}

func TestRedactText(t *testing.T) {
	in := "Nov 23 opened /home/jdoe/report.pdf from 3c:22:fb:9a:11:e0 with TOKEN=abc123 --password hunter2"
	got := RedactText(in, AllRules())
	for _, leak := range []string{"jdoe", "3c:22:fb", "abc123", "hunter2"} {
		if strings.Contains(got, leak) {
			t.Errorf("%q survived: %s", leak, got)
		}
	}
	if !strings.Contains(got, "~/report.pdf") {
		t.Errorf("path not kept readable: %s", got)
	}
	if RedactText(in, nil) != in {
		t.Error("no rules changed the text")
	}
}
