package fixes

import (
	"errors"
	"strings"
	"testing"
)

func paramFix() *Fix {
	return &Fix{
		ID: "clean", Title: "Clean", Description: "Cleans.", Group: GroupSlow, OS: []string{Linux}, RunsAs: RunsAsSystem,
		Params: []Param{
			{Name: "days", Kind: ParamInt, Min: 1, Max: 90, Default: "7"},
			{Name: "keep", Kind: ParamEnum, Enum: []string{"7d", "14d"}, Default: "14d"},
			{Name: "force", Kind: ParamBool, Default: "false"},
		},
		Steps: []Step{Exec{Path: "/usr/bin/true", Args: []string{"{{keep}}"}}},
	}
}

func TestValuesAcceptsAndCanonicalizes(t *testing.T) {
	tests := []struct {
		name string
		sent map[string]string
		want map[string]string
	}{
		{"defaults", nil, map[string]string{"days": "7", "keep": "14d", "force": "false"}},
		{"all set", map[string]string{"days": "90", "keep": "7d", "force": "true"},
			map[string]string{"days": "90", "keep": "7d", "force": "true"}},
		{"leading zeros", map[string]string{"days": "007"}, map[string]string{"days": "7", "keep": "14d", "force": "false"}},
		{"lower bound", map[string]string{"days": "1"}, map[string]string{"days": "1", "keep": "14d", "force": "false"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := paramFix().Values(tc.sent)
			if err != nil {
				t.Fatal(err)
			}
			got := v.Map()
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for k, w := range tc.want {
				if got[k] != w {
					t.Errorf("%s = %q, want %q", k, got[k], w)
				}
			}
		})
	}
}

func TestValuesRefusesHostileInput(t *testing.T) {
	tests := []struct {
		name, param, value, reason string
	}{
		{"semicolon", "keep", "7d; rm -rf /", "shell"},
		{"command substitution", "keep", "$(reboot)", "shell"},
		{"backticks", "keep", "`id`", "shell"},
		{"pipe", "keep", "7d|sh", "shell"},
		{"dot dot", "keep", "../../etc/passwd", "path"},
		{"dot dot alone", "keep", "..", "path"},
		{"slash", "keep", "/etc/shadow", "path"},
		{"NUL", "keep", "7d\x00", "control"},
		{"newline", "keep", "7d\nx", "control"},
		{"one megabyte", "keep", strings.Repeat("a", 1<<20), "bytes refused"},
		{"invalid UTF-8", "keep", "\xff\xfe", "UTF-8"},
		{"not in enum", "keep", "15d", "not one of"},
		{"enum case", "keep", "7D", "not one of"},
		{"int too big", "days", "91", "out of range"},
		{"int zero", "days", "0", "out of range"},
		{"int negative", "days", "-1", "out of range"},
		{"int plus", "days", "+5", "not a whole number"},
		{"int overflow", "days", "99999999999999999999", "not a whole number"},
		{"int text", "days", "seven", "not a whole number"},
		{"int space", "days", " 7", "not a whole number"},
		{"bool yes", "force", "yes", "not true or false"},
		{"unknown param", "rm", "x", "no such parameter"},
		{"bad name", "a;b", "x", "not a parameter name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := paramFix().Values(map[string]string{tc.param: tc.value})
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParamError", err)
			}
			if !strings.Contains(pe.Reason, tc.reason) {
				t.Errorf("reason %q does not say %q", pe.Reason, tc.reason)
			}
			if len(err.Error()) > 300 {
				t.Errorf("error message is %d bytes: a hostile value must not be echoed whole", len(err.Error()))
			}
		})
	}
}

func TestValuesRefusesTooManyParams(t *testing.T) {
	sent := map[string]string{}
	for i := range MaxParams + 1 {
		sent[string(rune('a'+i))] = "1"
	}
	if _, err := paramFix().Values(sent); err == nil || !strings.Contains(err.Error(), "at most") {
		t.Fatalf("err = %v", err)
	}
}

func TestPlanRefusesUnvalidatedValues(t *testing.T) {
	f := paramFix()
	if _, err := f.Plan(Values{}, Target{Platform: Platform{GOOS: Linux}}); err == nil {
		t.Fatal("Plan accepted values that did not come from Fix.Values")
	}
	forged := Values{m: map[string]string{"x": "1", "y": "2", "z": "3"}}
	if _, err := f.Plan(forged, Target{Platform: Platform{GOOS: Linux}}); err == nil {
		t.Fatal("Plan accepted values for other parameters")
	}
}

// FuzzValues checks the invariant the runner relies on: whatever a caller
// sends, an accepted value is an enum member, an in-range canonical int or
// a boolean, and so cannot carry anything into an argv but what the fix's
// author wrote.
func FuzzValues(f *testing.F) {
	for _, s := range []string{"7", "14d", "true", "$(id)", "../x", "7d;ls", "\x00", "0007", "-0", "1e3"} {
		f.Add("days", s)
		f.Add("keep", s)
		f.Add("force", s)
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		fix := paramFix()
		v, err := fix.Values(map[string]string{name: value})
		if err != nil {
			return
		}
		for _, p := range fix.Params {
			got, _ := v.Get(p.Name)
			if _, err := p.check(got); err != nil {
				t.Fatalf("accepted %s=%q, which does not check: %v", p.Name, got, err)
			}
			if screenValue(got) != "" {
				t.Fatalf("accepted %s=%q with forbidden characters", p.Name, got)
			}
		}
	})
}
