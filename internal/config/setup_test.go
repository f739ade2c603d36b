package config

import "testing"

func TestLoadCategoriesAndLogExcerpts(t *testing.T) {
	_, main := writeConfig(t, map[string]string{"firstline.toml": `
[reports]
categories = [{ id = "vpn", label = "VPN" }, { id = "other", label = "Other" }]
log_excerpts = [{ name = "Printing", path = "/var/log/cups/error_log", lines = 50 }]
`})
	l, err := Load(Options{Path: main})
	if err != nil {
		t.Fatal(err)
	}
	r := l.Config.Reports
	if len(r.Categories) != 2 || r.Categories[0] != (ReportCategory{"vpn", "VPN"}) || len(r.LogExcerpts) != 1 || r.LogExcerpts[0].Lines != 50 {
		t.Errorf("reports: %+v", r)
	}
}

func TestCategoryAndLogProblems(t *testing.T) {
	tests := []struct{ content, key, message string }{
		{"[reports]\ncategories = [{ id = \"VPN!\", label = \"VPN\" }]\n", "reports.categories[0].id", `"VPN!" is not an id of lowercase letters, digits and dashes (at most 40)`},
		{"[reports]\ncategories = [{ id = \"a\", label = \"A\" }, { id = \"a\", label = \"B\" }]\n", "reports.categories[1].id", `"a" is listed twice`},
		{"[reports]\ncategories = [{ id = \"a\", label = \"\" }]\n", "reports.categories[0].label", "is empty"},
		{"[reports]\nlog_excerpts = [{ name = \"x\", path = \"var/log/x\", lines = 10 }]\n", "reports.log_excerpts[0].path", `"var/log/x" is not an absolute path`},
		{"[reports]\nlog_excerpts = [{ name = \"x\", path = \"/var/log/x\", lines = 5000 }]\n", "reports.log_excerpts[0].lines", "5000 is outside the allowed range 1..500"},
	}
	for _, tt := range tests {
		_, main := writeConfig(t, map[string]string{"firstline.toml": tt.content})
		_, err := Load(Options{Path: main})
		ps := problemsOf(t, err)
		if len(ps) != 1 || ps[0].Key != tt.key || ps[0].Message != tt.message || ps[0].Line == 0 {
			t.Errorf("%q:\n got %+v\nwant %s: %s", tt.content, ps, tt.key, tt.message)
		}
	}
}
