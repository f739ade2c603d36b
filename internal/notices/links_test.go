package notices

import (
	"reflect"
	"testing"
)

func TestParseAllowListRefusesWideOrWrongEntries(t *testing.T) {
	for _, bad := range []string{"*", "*.com", "https://intranet.example.com", "intranet.example.com:443",
		"intranet.example.com/path", "", "exa mple.com", "*.*.example.com", "ex*mple.com", "exämple.com", "a..b"} {
		if _, err := ParseAllowList([]string{"ok.example.com", bad}); err == nil {
			t.Errorf("ParseAllowList accepted %q", bad)
		}
	}
	if _, err := ParseAllowList([]string{"Intranet.Example.COM.", " *.example.org ", "10.1.2.3"}); err != nil {
		t.Errorf("ParseAllowList refused good entries: %v", err)
	}
}

func TestAllows(t *testing.T) {
	a, err := ParseAllowList([]string{"intranet.example.com", "*.status.example.com", "10.1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url  string
		want bool
	}{
		{"https://intranet.example.com/help", true},
		{"https://INTRANET.example.com./help", true},
		{"https://intranet.example.com:8443/", true},
		{"https://eu.status.example.com/", true},
		{"https://a.b.status.example.com/", true},
		{"https://status.example.com/", false}, // the wildcard is for subdomains only
		{"https://evilstatus.example.com/", false},
		{"https://intranet.example.com.evil.example/", false},
		{"https://example.com/", false},
		{"http://intranet.example.com/", false},
		{"https://user@intranet.example.com/", false},
		{"https://intranet.example.com@evil.example/", false},
		{"https://10.1.2.3/", true},
		{"https://[::1]/", false},
		{"javascript:alert(1)", false},
		{"https://xn--intrnet-9wa.example.com/", false},
		{"https://intrаnet.example.com/", false}, // Cyrillic а
		{"", false},
	}
	for _, tt := range tests {
		if got := a.Allows(tt.url); got != tt.want {
			t.Errorf("Allows(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
	if (AllowList{}).Allows("https://intranet.example.com/") {
		t.Error("the zero AllowList allowed a link")
	}
}

func TestRenderLinks(t *testing.T) {
	a, _ := ParseAllowList([]string{"status.example.com"})
	n := notice("n", SeverityInfo, t0)
	n.Links = []Link{{"Status", "https://status.example.com/"}, {"Reset password", "https://status-example.com/login"}}
	got := RenderLinks(&n, a)
	want := []RenderedLink{
		{Title: "Status", URL: "https://status.example.com/", Clickable: true},
		{Title: "Reset password", URL: "https://status-example.com/login", Clickable: false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RenderLinks = %+v, want %+v", got, want)
	}
	if got[1].Text() != "Reset password (https://status-example.com/login)" {
		t.Errorf("Text() = %q", got[1].Text())
	}
}
