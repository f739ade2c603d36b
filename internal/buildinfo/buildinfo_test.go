package buildinfo

import (
	"strings"
	"testing"
)

func TestPseudoVersionIsShortened(t *testing.T) {
	for in, want := range map[string]string{
		"v0.0.0-20261123121601-b96877c45453":       "dev-b96877c45453",
		"v0.0.0-20261123121601-b96877c45453+dirty": "dev-b96877c45453+dirty",
	} {
		m := pseudoVersion.FindStringSubmatch(in)
		if m == nil || "dev-"+m[1]+m[2] != want {
			t.Errorf("%s → %v, want %s", in, m, want)
		}
	}
	if pseudoVersion.MatchString("v1.2.3") {
		t.Error("a release tag matched as a pseudo-version")
	}
}

func TestVersionAndPlatform(t *testing.T) {
	if v := Version(); v == "" || strings.HasPrefix(v, "v") {
		t.Errorf("Version() = %q", v)
	}
	if p := Platform(); !strings.HasPrefix(p, "go1.") || !strings.Contains(p, "/") {
		t.Errorf("Platform() = %q", p)
	}
}
