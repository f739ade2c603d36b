package fixespage

import (
	"bufio"
	"os"
	"testing"

	"github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/localapi"
)

// paramFix declares one parameter of each kind, as the runner sees them.
func paramFix() fixes.Fix {
	return fixes.Fix{ID: "p", Params: []fixes.Param{
		{Name: "days", Label: "Days", Kind: fixes.ParamInt, Min: 1, Max: 90, Default: "7"},
		{Name: "keep", Label: "Keep", Kind: fixes.ParamEnum, Enum: []string{"2d", "14d"}, Default: "14d"},
		{Name: "deep", Label: "Deep", Kind: fixes.ParamBool, Default: "false"},
	}}
}

func TestCheckParam(t *testing.T) {
	info := localapi.NewFixInfo(ptr(paramFix()), true)
	days, keep, deep := info.Params[0], info.Params[1], info.Params[2]
	cases := []struct {
		p     localapi.FixParam
		raw   string
		value string // "" when refused
	}{
		{days, "7", "7"}, {days, " 90 ", "90"}, {days, "1", "1"}, {days, "007", "7"},
		{days, "0", ""}, {days, "91", ""}, {days, "-3", ""}, {days, "seven", ""}, {days, "7;reboot", ""}, {days, "", ""},
		{keep, "2d", "2d"}, {keep, "3d", ""}, {keep, "", ""},
		{deep, "true", "true"}, {deep, "false", "false"}, {deep, "yes", ""},
		{localapi.FixParam{Name: "x", Kind: "text"}, "a", ""},
	}
	for _, c := range cases {
		v, problem := checkParam(c.p, c.raw)
		if v != c.value || (problem == "") != (c.value != "") {
			t.Errorf("checkParam(%s, %q) = %q, %q; want %q", c.p.Name, c.raw, v, problem, c.value)
		}
	}
	if _, problem := checkParam(days, "0"); problem != "Enter a whole number from 1 to 90." {
		t.Errorf("problem worded %q", problem)
	}
	values, problems := checkParams(info, map[string]string{"days": "12"})
	if len(problems) != 0 || values["days"] != "12" || values["keep"] != "14d" || values["deep"] != "false" {
		t.Errorf("checkParams = %v, %v", values, problems)
	}
}

// FuzzCheckParam: whatever the employee types, a value the page accepts
// is one the runner accepts unchanged, so the page never offers a Run the
// runner refuses for its parameters.
func FuzzCheckParam(f *testing.F) {
	seeds, err := os.Open("testdata/param-inputs.txt")
	if err != nil {
		f.Fatal(err)
	}
	sc := bufio.NewScanner(seeds)
	for sc.Scan() {
		f.Add(sc.Text())
	}
	seeds.Close()
	fix := paramFix()
	info := localapi.NewFixInfo(&fix, true)
	f.Fuzz(func(t *testing.T, raw string) {
		for _, p := range info.Params {
			v, problem := checkParam(p, raw)
			if problem != "" {
				if v != "" {
					t.Fatalf("%s %q: refused with a value %q", p.Name, raw, v)
				}
				continue
			}
			got, err := fix.Values(map[string]string{p.Name: v})
			if err != nil {
				t.Fatalf("%s %q: the page sends %q, the runner refuses it: %v", p.Name, raw, v, err)
			}
			if canon, _ := got.Get(p.Name); canon != v {
				t.Fatalf("%s %q: the page sends %q, the runner makes it %q", p.Name, raw, v, canon)
			}
		}
	})
}
