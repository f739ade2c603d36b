package probes

import "testing"

func TestVerdict(t *testing.T) {
	gw := func(target string, s Status) Result {
		return Result{Kind: KindGateway, Name: "router", Target: target, Status: s}
	}
	dns := func(s Status) Result { return Result{Kind: KindDNS, Name: "slack.com", Target: "slack.com", Status: s} }
	portal := func(s Status) Result { return Result{Kind: KindCaptive, Status: s} }
	svc := func(name string, s Status, code int) Result {
		return Result{Kind: KindHTTPS, Name: name, Target: "https://" + name + "/", Status: s, HTTPStatus: code}
	}
	ok, slow, failed, timeout := StatusOK, StatusSlow, StatusFailed, StatusTimeout

	tests := []struct {
		name    string
		results []Result
		want    string
	}{
		{"nothing", nil, "Nothing was checked."},
		{"all fine", []Result{gw("192.168.1.1", ok), dns(ok), portal(ok), svc("Slack", ok, 200), svc("Zoom", ok, 302)},
			"Everything reachable."},
		{"an API's 401 is up", []Result{portal(ok), svc("Slack", ok, 401)}, "Everything reachable."},
		{"one service down by timeout", []Result{gw("192.168.1.1", ok), dns(ok), portal(ok), svc("Slack", timeout, 0), svc("Zoom", ok, 200)},
			"Internet works; Slack is unreachable."},
		{"several unreachable, one erroring, one slow",
			[]Result{portal(ok), svc("Microsoft 365", failed, 0), svc("Slack", timeout, 0), svc("Zoom", failed, 503),
				svc("Google Workspace", slow, 200), svc("Jira", failed, 0)},
			"Internet works; Microsoft 365, Slack and Jira are unreachable; Zoom is down; Google Workspace is slow."},
		{"one of a service's URLs fails",
			[]Result{portal(ok), svc("Microsoft 365", ok, 200), svc("Microsoft 365", timeout, 0)},
			"Internet works; Microsoft 365 is partly unreachable."},
		{"all of a service's URLs fail",
			[]Result{portal(ok), svc("Microsoft 365", failed, 0), svc("Microsoft 365", timeout, 0), svc("Zoom", ok, 200)},
			"Internet works; Microsoft 365 is unreachable."},
		{"slow only", []Result{portal(ok), svc("Zoom", slow, 200), svc("Slack", ok, 200)}, "Internet works; Zoom is slow."},
		{"internet proven by a 5xx alone", []Result{portal(timeout), svc("Slack", failed, 502)}, "Internet works; Slack is down."},
		{"captive portal beats everything", []Result{gw("192.168.1.1", ok), dns(ok), portal(StatusCaptive), svc("Slack", failed, 0)},
			"A Wi-Fi login page is blocking the internet (captive portal)."},
		{"router silent", []Result{gw("192.168.1.1", timeout), dns(timeout), portal(timeout), svc("Slack", timeout, 0)},
			"No network: the router (192.168.1.1) does not answer."},
		{"two routers silent, zone hidden", []Result{gw("10.0.0.1", timeout), gw("fe80::1%wlan0", failed), portal(failed)},
			"No network: the routers (10.0.0.1, fe80::1) do not answer."},
		{"router silent but the internet works (it drops probes)", []Result{gw("192.168.1.1", timeout), portal(ok), svc("Slack", ok, 200)},
			"Everything reachable."},
		{"DNS broken behind a working router", []Result{gw("192.168.1.1", ok), dns(failed), portal(failed), svc("Slack", failed, 0)},
			"The router answers, but name lookups (DNS) fail, so nothing on the internet can be reached."},
		{"DNS broken, router unknown", []Result{dns(timeout), portal(timeout), svc("Slack", timeout, 0)},
			"Name lookups (DNS) fail, so nothing on the internet can be reached."},
		{"router answers, nothing beyond", []Result{gw("192.168.1.1", ok), dns(ok), portal(timeout), svc("Slack", timeout, 0)},
			"No internet: the router answers, but nothing beyond it does."},
		{"nothing answers, router unknown", []Result{dns(ok), portal(timeout), svc("Slack", failed, 0)},
			"No internet: nothing answers."},
		{"only DNS checked, fine", []Result{dns(ok), portal(StatusSkipped)}, "Everything reachable."},
		{"skipped gateway is not blamed", []Result{gw("192.168.1.1", StatusSkipped), portal(timeout)}, "No internet: nothing answers."},
	}
	for _, tt := range tests {
		if got := verdict(tt.results); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}
