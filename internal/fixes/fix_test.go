package fixes

import (
	"slices"
	"testing"
)

func TestMissing(t *testing.T) {
	f := Fix{Requires: []string{"/usr/bin/a"}, RequiresAny: []string{"/usr/bin/b", "/usr/sbin/c"}}
	tests := []struct {
		have []string
		want string
	}{
		{[]string{"/usr/bin/a", "/usr/sbin/c"}, ""},
		{[]string{"/usr/bin/a", "/usr/bin/b"}, ""},
		{[]string{"/usr/bin/b"}, "/usr/bin/a"},
		{[]string{"/usr/bin/a"}, "one of /usr/bin/b, /usr/sbin/c"},
	}
	for _, tc := range tests {
		if got := f.Missing(func(p string) bool { return slices.Contains(tc.have, p) }); got != tc.want {
			t.Errorf("with %v: Missing = %q, want %q", tc.have, got, tc.want)
		}
	}
	if got := (&Fix{}).Missing(func(string) bool { return false }); got != "" {
		t.Errorf("a fix that requires nothing misses %q", got)
	}
}
