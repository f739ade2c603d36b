package audit

import (
	"fmt"
	"strings"
	"testing"
)

func TestShorten(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"a longer string", 8, "a longer…(15 bytes)"},
		{"ééééé", 3, "é…(10 bytes)"},
		{strings.Repeat("é", 100), 9, "éééé…(200 bytes)"},
		{"bad\xffutf8", 20, "bad\uFFFDutf8"},
	}
	for _, tt := range tests {
		if got := Shorten(tt.in, tt.n); got != tt.want {
			t.Errorf("Shorten(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestSentParams(t *testing.T) {
	if SentParams(nil) != nil {
		t.Error("nothing sent must record nothing")
	}
	many := map[string]string{}
	for i := range 40 {
		many[fmt.Sprintf("p%02d", i)] = strings.Repeat("x", 1<<20)
	}
	got := SentParams(many)
	if len(got) != 17 || got["…"] != "24 more" {
		t.Errorf("%d entries, marker %q; want 16 and \"24 more\"", len(got), got["…"])
	}
	for k, v := range got {
		if k != "…" && len(v) > 64+20 {
			t.Errorf("%s kept %d bytes", k, len(v))
		}
	}
}
