package fixes

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/fixes/audit"
	"github.com/firstline-it/firstline/internal/fixes/runner"
	"github.com/firstline-it/firstline/internal/localapi"
)

func exitCode(n int) *int { return &n }

func TestRecordUserRun(t *testing.T) {
	l := newLab(t)
	clk := newClock()
	opts := l.options()
	opts.Now = clk.Now
	s := l.open(opts)
	now := clk.Now()
	run := localapi.FixUserRun{
		Params: map[string]string{"days": "3"},
		Result: localapi.FixResult{
			FixID: "user-cache", Outcome: "failed", FailedStep: 2, Message: "The cache folder is in use.",
			Start: now.Add(-time.Minute), End: now.Add(-30 * time.Second), ReclaimedBytes: 4096,
			Steps: []localapi.FixStepResult{
				{N: 1, Kind: "quit-app", Status: "ok"},
				{N: 2, Kind: "remove-old", Status: "failed", Error: "busy", Exit: exitCode(1)},
			},
		},
	}
	// The uid and name come from the caller, whatever the body says.
	if err := s.RecordUserRun(alice, run); err != nil {
		t.Fatal(err)
	}
	recs := l.records(s.AuditPath())
	if len(recs) != 1 {
		t.Fatalf("records %+v", recs)
	}
	r := recs[0]
	if r.UID != "1000" || r.User != "alice" || r.Runner != "user" || r.FixID != "user-cache" || r.Result != "failed" ||
		r.FailedStep != 2 || r.Reason != "The cache folder is in use." || r.Params["days"] != "3" || r.ReclaimedBytes != 4096 ||
		!r.Start.Equal(now.Add(-time.Minute)) || len(r.Steps) != 2 || *r.Steps[1].Exit != 1 || r.Steps[1].Error != "busy" {
		t.Errorf("record %+v", r)
	}
}

// TestRecordUserRunBoundsWhatItKeeps: an oversized or nonsensical record
// is cut to size, never stored whole.
func TestRecordUserRunBoundsWhatItKeeps(t *testing.T) {
	l := newLab(t)
	clk := newClock()
	opts := l.options()
	opts.Now = clk.Now
	s := l.open(opts)
	steps := make([]localapi.FixStepResult, 500)
	for i := range steps {
		steps[i] = localapi.FixStepResult{Kind: strings.Repeat("k", 100), Status: "pwned", Error: strings.Repeat("e", 10000)}
	}
	run := localapi.FixUserRun{Result: localapi.FixResult{
		FixID: "user-cache", Outcome: "failed", FailedStep: 99, Message: strings.Repeat("m", 1<<16),
		Start: clk.Now().Add(48 * time.Hour), End: clk.Now().Add(-72 * time.Hour), ReclaimedBytes: -5, Steps: steps,
	}}
	if err := s.RecordUserRun(alice, run); err != nil {
		t.Fatal(err)
	}
	r := l.records(s.AuditPath())[0]
	if len(r.Steps) != maxRecordSteps || len(r.Reason) > maxRecordText+32 || r.FailedStep != 0 || r.ReclaimedBytes != 0 {
		t.Errorf("steps %d reason %d failed_step %d reclaimed %d", len(r.Steps), len(r.Reason), r.FailedStep, r.ReclaimedBytes)
	}
	if !r.Start.Equal(clk.Now()) || !r.End.Equal(clk.Now()) {
		t.Errorf("times %s..%s, want now for times out of bounds", r.Start, r.End)
	}
	if s0 := r.Steps[0]; s0.Status != "unknown" || len(s0.Kind) > 64 || len(s0.Error) > maxRecordText+32 || s0.N != 1 {
		t.Errorf("step %+v", s0)
	}
}

func TestRecordUserRunRefusals(t *testing.T) {
	l := newLab(t)
	opts := l.options()
	opts.RateBurst = 6
	s := l.open(opts)
	tests := []struct {
		name string
		run  localapi.FixUserRun
		code runner.Code // "" for ErrBadRecord
	}{
		{"unknown id", localapi.FixUserRun{Result: localapi.FixResult{FixID: "nope", Outcome: "success"}}, runner.CodeUnknownFix},
		{"system fix", localapi.FixUserRun{Result: localapi.FixResult{FixID: "record", Outcome: "success"}}, runner.CodeWrongRunner},
		{"bad params", localapi.FixUserRun{Params: map[string]string{"days": "$(reboot)"},
			Result: localapi.FixResult{FixID: "user-cache", Outcome: "success"}}, runner.CodeBadParams},
		{"unknown param", localapi.FixUserRun{Params: map[string]string{"path": "/etc"},
			Result: localapi.FixResult{FixID: "user-cache", Outcome: "success"}}, runner.CodeBadParams},
		{"bad outcome", localapi.FixUserRun{Result: localapi.FixResult{FixID: "user-cache", Outcome: "refused"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.RecordUserRun(alice, tt.run)
			if tt.code == "" {
				if !errors.Is(err, ErrBadRecord) {
					t.Fatalf("err %v, want ErrBadRecord", err)
				}
				return
			}
			var re *runner.RefusedError
			if !errors.As(err, &re) || re.Code != tt.code {
				t.Fatalf("err %v, want refusal %s", err, tt.code)
			}
		})
	}
	good := localapi.FixUserRun{Result: localapi.FixResult{FixID: "user-cache", Outcome: "success"}}
	if err := s.RecordUserRun(alice, good); err != nil {
		t.Fatalf("the last record of the burst: %v", err)
	}
	err := s.RecordUserRun(alice, good)
	if re := (*runner.RefusedError)(nil); !errors.As(err, &re) || re.Code != runner.CodeRateLimited {
		t.Errorf("over the rate: %v", err)
	}
	var refused, recorded int
	for _, r := range l.records(s.AuditPath()) {
		switch r.Result {
		case audit.ResultRefused:
			refused++
			if r.Runner != "user" || r.UID != alice.UID || r.Code == "" {
				t.Errorf("refusal record %+v", r)
			}
		case audit.ResultSuccess:
			recorded++
		}
	}
	// The bad outcome is refused without a record: it is a malformed
	// request, not a fix refused.
	if refused != 5 || recorded != 1 {
		t.Errorf("%d refusals and %d records audited, want 5 and 1", refused, recorded)
	}
}
