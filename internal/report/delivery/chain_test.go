package delivery_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery"
)

func TestPlan(t *testing.T) {
	now := testNow
	later, earlier := now.Add(time.Minute), now.Add(-time.Minute)
	helpdeskThenEmail := delivery.Chain{{Destination: "helpdesk", FallbackAfter: 3}, {Destination: "email"}}
	three := delivery.Chain{{Destination: "a", FallbackAfter: 1}, {Destination: "b", FallbackAfter: 1}, {Destination: "c"}}
	type S = map[string]delivery.State
	const (
		I = delivery.Idle
		A = delivery.Attempt
		W = delivery.Wait
		N = delivery.NeedsAttention
		D = delivery.Delivered
		K = delivery.Skipped
	)
	tests := []struct {
		name           string
		chain          delivery.Chain
		states         S
		actions        []delivery.Action
		wake           time.Time
		delivered      string
		needsAttention bool
	}{
		{"fresh report: primary only", helpdeskThenEmail, nil, []delivery.Action{A, I}, time.Time{}, "", false},
		{"primary waiting after one failure", helpdeskThenEmail, S{"helpdesk": {Failures: 1, NextAttempt: later}}, []delivery.Action{W, I}, later, "", false},
		{"primary due again", helpdeskThenEmail, S{"helpdesk": {Failures: 2, NextAttempt: earlier}}, []delivery.Action{A, I}, time.Time{}, "", false},
		{"due exactly now", helpdeskThenEmail, S{"helpdesk": {Failures: 2, NextAttempt: now}}, []delivery.Action{A, I}, time.Time{}, "", false},
		{"fallback after 3 failures", helpdeskThenEmail, S{"helpdesk": {Failures: 3, NextAttempt: later}}, []delivery.Action{W, A}, later, "", false},
		{"both due", helpdeskThenEmail, S{"helpdesk": {Failures: 4, NextAttempt: earlier}, "email": {Failures: 1, NextAttempt: earlier}}, []delivery.Action{A, A}, time.Time{}, "", false},
		{"fallback at once when the primary needs attention", helpdeskThenEmail, S{"helpdesk": {Failures: 1, NeedsAttention: true}}, []delivery.Action{N, A}, time.Time{}, "", false},
		{"fallback delivered", helpdeskThenEmail, S{"helpdesk": {Failures: 5, NextAttempt: later}, "email": {Delivered: true}}, []delivery.Action{K, D}, time.Time{}, "email", false},
		{"primary delivered", helpdeskThenEmail, S{"helpdesk": {Delivered: true}}, []delivery.Action{D, K}, time.Time{}, "helpdesk", false},
		{"everything needs attention", helpdeskThenEmail, S{"helpdesk": {NeedsAttention: true}, "email": {NeedsAttention: true}}, []delivery.Action{N, N}, time.Time{}, "", true},
		{"earliest wake wins", helpdeskThenEmail, S{"helpdesk": {Failures: 3, NextAttempt: later.Add(time.Hour)}, "email": {Failures: 1, NextAttempt: later}}, []delivery.Action{W, W}, later, "", false},
		{"fallback_after 0 never falls back on transient failures",
			delivery.Chain{{Destination: "helpdesk"}, {Destination: "email"}}, S{"helpdesk": {Failures: 50, NextAttempt: later}}, []delivery.Action{W, I}, later, "", false},
		{"IT reset the primary; the engaged fallback stays in", helpdeskThenEmail, S{"email": {Failures: 1, NextAttempt: earlier}}, []delivery.Action{A, A}, time.Time{}, "", false},
		{"three: second joins after one failure", three, S{"a": {Failures: 1, NextAttempt: later}}, []delivery.Action{W, A, I}, later, "", false},
		{"three: third joins after the second fails", three, S{"a": {Failures: 2, NextAttempt: later}, "b": {Failures: 1, NextAttempt: later}}, []delivery.Action{W, W, A}, later, "", false},
		{"three: stuck only when all are", three, S{"a": {NeedsAttention: true}, "b": {NeedsAttention: true}, "c": {Failures: 1, NextAttempt: later}}, []delivery.Action{N, N, W}, later, "", false},
		{"three: all need attention", three, S{"a": {NeedsAttention: true}, "b": {NeedsAttention: true}, "c": {NeedsAttention: true}}, []delivery.Action{N, N, N}, time.Time{}, "", true},
		{"unknown destinations in states are ignored", helpdeskThenEmail, S{"old": {Failures: 9}}, []delivery.Action{A, I}, time.Time{}, "", false},
		{"empty chain", nil, nil, []delivery.Action{}, time.Time{}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.chain.Plan(tt.states, now)
			var actions []delivery.Action
			var attempt []string
			for i, s := range d.Steps {
				actions = append(actions, s.Action)
				if s.Destination != tt.chain[i].Destination {
					t.Errorf("step %d is %q, want %q", i, s.Destination, tt.chain[i].Destination)
				}
				if s.Action == delivery.Attempt {
					attempt = append(attempt, s.Destination)
				}
				if (s.Action == delivery.Wait) != !s.At.IsZero() {
					t.Errorf("step %d: action %v with At %v", i, s.Action, s.At)
				}
			}
			if !slices.Equal(actions, tt.actions) && !(len(actions) == 0 && len(tt.actions) == 0) {
				t.Errorf("actions %v, want %v", actions, tt.actions)
			}
			if !slices.Equal(d.Attempt, attempt) {
				t.Errorf("Attempt %v, steps say %v", d.Attempt, attempt)
			}
			if !d.Wake.Equal(tt.wake) {
				t.Errorf("Wake %v, want %v", d.Wake, tt.wake)
			}
			if d.Delivered != tt.delivered || d.Done() != (tt.delivered != "") {
				t.Errorf("Delivered %q (done %v), want %q", d.Delivered, d.Done(), tt.delivered)
			}
			if d.NeedsAttention != tt.needsAttention {
				t.Errorf("NeedsAttention %v, want %v", d.NeedsAttention, tt.needsAttention)
			}
		})
	}
}

func TestRecord(t *testing.T) {
	now := testNow
	b := delivery.Backoff{Base: 10 * time.Second, Max: time.Hour} // no jitter: exact
	start := delivery.State{Failures: 2, LastError: "old"}
	receipt := delivery.Receipt{TicketID: "7", Status: "new"}

	ok := start.Record(now, receipt, nil, b, nil)
	if !ok.Delivered || ok.Receipt != receipt || ok.LastError != "" || !ok.LastAttempt.Equal(now) || ok.Failures != 2 {
		t.Errorf("success: %+v", ok)
	}

	tr := start.Record(now, delivery.Receipt{}, delivery.Transient(errors.New("HTTP 503"), 0), b, nil)
	if tr.Failures != 3 || !tr.NextAttempt.Equal(now.Add(40*time.Second)) || tr.LastError != "HTTP 503" || tr.NeedsAttention {
		t.Errorf("transient: %+v", tr)
	}
	ra := start.Record(now, delivery.Receipt{}, delivery.Transient(errors.New("HTTP 429"), time.Hour), b, nil)
	if !ra.NextAttempt.Equal(now.Add(time.Hour)) {
		t.Errorf("Retry-After not honoured: next %v", ra.NextAttempt)
	}

	pe := start.Record(now, delivery.Receipt{}, delivery.Permanent(errors.New("HTTP 400")), b, nil)
	if !pe.NeedsAttention || pe.Failures != 3 || !pe.NextAttempt.IsZero() || pe.Delivered {
		t.Errorf("permanent: %+v", pe)
	}

	ca := start.Record(now, delivery.Receipt{}, fmt.Errorf("stopping: %w", context.Canceled), b, nil)
	if ca != start {
		t.Errorf("canceled changed the state: %+v", ca)
	}
}

// TestChainRun drives a chain the way the spool will: plan, attempt what is
// due, record, sleep until the wake time. The helpdesk is down, so after
// three failures the mail fallback joins in and takes the report.
func TestChainRun(t *testing.T) {
	chain := delivery.Chain{{Destination: "helpdesk", FallbackAfter: 3}, {Destination: "email"}}
	outcomes := map[string][]error{
		"helpdesk": {delivery.Transient(errors.New("503"), 0), delivery.Transient(errors.New("503"), 0), delivery.Transient(errors.New("503"), 0), delivery.Transient(errors.New("503"), 0)},
		"email":    {delivery.Transient(errors.New("451"), 0), nil},
	}
	b := delivery.Backoff{Base: time.Minute, Max: time.Hour}
	states := map[string]delivery.State{}
	now := testNow
	var log []string
	for step := 0; step < 20; step++ {
		d := chain.Plan(states, now)
		if d.Done() || d.NeedsAttention {
			break
		}
		for _, dest := range d.Attempt {
			err := outcomes[dest][0]
			outcomes[dest] = outcomes[dest][1:]
			states[dest] = states[dest].Record(now, delivery.Receipt{TicketID: dest + "-1"}, err, b, nil)
			log = append(log, fmt.Sprintf("%s@%s:%v", dest, now.Sub(testNow), err == nil))
		}
		if len(d.Attempt) == 0 {
			now = d.Wake
		}
	}
	want := []string{
		"helpdesk@0s:false", "helpdesk@1m0s:false", "helpdesk@3m0s:false",
		"email@3m0s:false", "email@4m0s:true",
	}
	if !slices.Equal(log, want) {
		t.Errorf("run\n%v\nwant\n%v", log, want)
	}
	d := chain.Plan(states, now)
	if d.Delivered != "email" || states["email"].Receipt.TicketID != "email-1" {
		t.Errorf("final decision %+v", d)
	}
	if _, err := json.Marshal(d); err != nil {
		t.Errorf("decision does not marshal: %v", err)
	}
}

func TestChainValidate(t *testing.T) {
	known := func(name string) bool { return name == "rt" || name == "email" || name == "inbox" }
	tests := []struct {
		name  string
		chain delivery.Chain
		keys  []string
	}{
		{"ok", delivery.Chain{{Destination: "rt", FallbackAfter: 3}, {Destination: "email"}}, nil},
		{"empty", nil, []string{""}},
		{"duplicate and unknown", delivery.Chain{{Destination: "rt"}, {Destination: "rt"}, {Destination: "jira"}}, []string{"[1].destination", "[2].destination"}},
		{"blank and negative", delivery.Chain{{Destination: "", FallbackAfter: -1}}, []string{"[0].destination", "[0].fallback_after"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.chain.Validate(known)
			if tt.keys == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Validate = %v", err)
			}
			var keys []string
			for _, p := range ce.Problems {
				keys = append(keys, p.Key)
			}
			if !slices.Equal(keys, tt.keys) {
				t.Errorf("keys %v, want %v", keys, tt.keys)
			}
			q := delivery.Qualify(err, "delivery.route")
			if !strings.Contains(q.Error(), "delivery.route") {
				t.Errorf("qualified: %v", q)
			}
		})
	}
}

func TestActionText(t *testing.T) {
	b, err := json.Marshal(delivery.Step{Destination: "rt", Action: delivery.NeedsAttention})
	if err != nil || string(b) != `{"destination":"rt","action":"needs-attention"}` {
		t.Errorf("step JSON = %s, %v", b, err)
	}
	if s := delivery.Action(42).String(); s != "Action(42)" {
		t.Errorf("unknown action prints %q", s)
	}
}

func BenchmarkPlan(b *testing.B) {
	chain := delivery.Chain{{Destination: "rt", FallbackAfter: 3}, {Destination: "webhook", FallbackAfter: 2}, {Destination: "email"}}
	states := map[string]delivery.State{"rt": {Failures: 4, NextAttempt: testNow.Add(time.Minute)}, "webhook": {Failures: 1}}
	b.ReportAllocs()
	for b.Loop() {
		chain.Plan(states, testNow)
	}
}
