package fixespage

import (
	"testing"

	"github.com/firstline-it/firstline/app/internal/uitest"
	"github.com/firstline-it/firstline/internal/localapi"
)

func TestStepWordsDoNotRepeatTheCommand(t *testing.T) {
	cases := []struct {
		step localapi.FixPlanStep
		want string
	}{
		{localapi.FixPlanStep{Summary: "Run /usr/bin/chronyc -a makestep (if installed)", Commands: []string{"/usr/bin/chronyc -a makestep"}}, "Run (if installed):"},
		{localapi.FixPlanStep{Summary: "/usr/bin/x", Commands: []string{"/usr/bin/x"}}, "Run:"},
		{localapi.FixPlanStep{Summary: "Restart the service cups", Commands: []string{"/usr/bin/systemctl restart cups"}}, "Restart the service cups"},
		{localapi.FixPlanStep{Summary: "Delete files older than 7 days in /tmp"}, "Delete files older than 7 days in /tmp"},
		{localapi.FixPlanStep{Summary: "Stop and start a", Commands: []string{"a", "b"}}, "Stop and start a"},
	}
	for _, c := range cases {
		if got := stepWords(c.step); got != c.want {
			t.Errorf("stepWords(%q) = %q, want %q", c.step.Summary, got, c.want)
		}
	}
}

func TestFreedSpaceIsSaidOnce(t *testing.T) {
	cases := []struct {
		msg       string
		wantExtra bool
	}{
		{"Done: 928.0 KB freed.", false},
		{"Done.", true},
	}
	for _, c := range cases {
		src := &fakeSource{list: sampleList(), result: &localapi.FixResult{Outcome: "success", Message: c.msg, ReclaimedBytes: 950_272}}
		p, q := loaded(t, src, nil)
		p.Select("flush-dns")
		q.drain(t, 1)
		p.Run()
		q.drain(t, 2)
		if got := uitest.Has(p.Object(), "Space freed: 928.0 KB."); got != c.wantExtra {
			t.Errorf("message %q: extra line shown %v, want %v", c.msg, got, c.wantExtra)
		}
	}
}
