package nav

import "testing"

func TestSectionsHaveDistinctTitles(t *testing.T) {
	seen := map[string]Section{}
	for _, s := range Sections() {
		title := s.Title()
		if prev, dup := seen[title]; dup {
			t.Errorf("sections %d and %d share the title %q", prev, s, title)
		}
		seen[title] = s
	}
	if len(seen) != len(Sections()) || len(seen) != 7 {
		t.Errorf("got %d sections, want 7", len(seen))
	}
}

func TestUnknownSectionFallsBackToHome(t *testing.T) {
	if got := Section(99).Title(); got != "Home" {
		t.Errorf("Section(99).Title() = %q, want Home", got)
	}
}

func TestParseRoundTrips(t *testing.T) {
	for _, s := range Sections() {
		if got, ok := Parse(s.Name()); !ok || got != s {
			t.Errorf("Parse(%q) = %v, %v", s.Name(), got, ok)
		}
	}
	if _, ok := Parse("settings"); ok {
		t.Error("unknown name parsed")
	}
}
