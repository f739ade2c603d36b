package computer

import (
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/sysinfo/probes"
)

func TestCondense(t *testing.T) {
	r := &probes.Report{Results: []probes.Result{
		{Kind: probes.KindGateway, Target: "192.168.1.1", Status: probes.StatusOK},
		{Kind: probes.KindGateway, Target: "fe80::1", Status: probes.StatusFailed, Detail: "unreachable"},
		{Kind: probes.KindDNS, Name: "slack.com", Status: probes.StatusOK, Latency: 12 * time.Millisecond},
		{Kind: probes.KindDNS, Name: "zoom.us", Status: probes.StatusFailed, Detail: "the name does not exist"},
		{Kind: probes.KindCaptive, Status: probes.StatusCaptive},
		{Kind: probes.KindHTTPS, Name: "Microsoft 365", Status: probes.StatusOK, Latency: 80 * time.Millisecond},
		{Kind: probes.KindHTTPS, Name: "Microsoft 365", Status: probes.StatusOK, Latency: 120 * time.Millisecond},
		{Kind: probes.KindHTTPS, Name: "Slack", Status: probes.StatusTimeout},
	}}
	want := []row{
		{"Router 192.168.1.1", probes.StatusOK, "Answers"},
		{"Name lookups (DNS)", probes.StatusFailed, "1 of 2 failed · the name does not exist"},
		{"Wi-Fi login page", probes.StatusCaptive, "A login page is in the way: open a web page to sign in"},
		{"Microsoft 365", probes.StatusOK, "OK · 120 ms"},
		{"Slack", probes.StatusTimeout, "No answer"},
	}
	got := condense(r)
	if len(got) != len(want) {
		t.Fatalf("got %d rows: %+v", len(got), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestCondenseNoRouterAnswers(t *testing.T) {
	got := condense(&probes.Report{Results: []probes.Result{
		{Kind: probes.KindGateway, Target: "10.0.0.1", Status: probes.StatusTimeout},
	}})
	if len(got) != 1 || got[0].status != probes.StatusTimeout || got[0].name != "Router 10.0.0.1" {
		t.Errorf("got %+v", got)
	}
}
