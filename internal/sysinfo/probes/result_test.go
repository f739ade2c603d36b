package probes

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestReportJSONRoundTrip(t *testing.T) {
	rep := Report{
		Started:  time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC),
		Duration: 4*time.Second + 12345*time.Microsecond,
		Results: []Result{
			{Kind: KindHTTPS, Name: "Slack", Target: "https://slack.com/api/api.test", Status: StatusOK,
				Latency: 312*time.Millisecond + 500*time.Microsecond, HTTPStatus: 200, Detail: "HTTP 200 in 313 ms"},
			{Kind: KindGateway, Name: "router", Target: "192.168.1.1", Status: StatusTimeout, Latency: 4 * time.Second,
				Detail: "no answer within 4s", Error: "dial tcp 192.168.1.1:53: i/o timeout"},
		},
		Verdict: "No network: the router (192.168.1.1) does not answer.",
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"duration_ms":4012.345`, `"latency_ms":312.5`, `"latency_ms":4000`, `"http_status":200`, `"kind":"gateway"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("JSON lacks %s:\n%s", want, data)
		}
	}
	for _, unwanted := range []string{`"Latency"`, `"Duration"`, `"http_status":0`} {
		if strings.Contains(string(data), unwanted) {
			t.Errorf("JSON has %s:\n%s", unwanted, data)
		}
	}
	var back Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, rep) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, rep)
	}
}

func TestTargets(t *testing.T) {
	names := map[string]bool{}
	for _, tg := range DefaultTargets() {
		if err := tg.Validate(); err != nil {
			t.Errorf("default target: %v", err)
		}
		names[tg.Name] = true
	}
	for _, want := range []string{"Microsoft 365", "Google Workspace", "Slack", "Zoom"} {
		if !names[want] {
			t.Errorf("no default target for %s", want)
		}
	}

	bad := []Target{
		{Name: "", URL: "https://slack.com/"},
		{Name: "Plain", URL: "http://slack.com/"},
		{Name: "No host", URL: "https:///path"},
		{Name: "Creds", URL: "https://user:pw@slack.com/"},
		{Name: "Broken", URL: "https://[::1/"},
		{Name: "Relative", URL: "slack.com"},
	}
	for _, tg := range bad {
		if err := tg.Validate(); err == nil {
			t.Errorf("%+v accepted", tg)
		}
	}
}

func TestOptionsDefaults(t *testing.T) {
	o := Options{}.withDefaults()
	wantNames := []string{"login.microsoftonline.com", "outlook.office365.com", "accounts.google.com", "slack.com", "zoom.us"}
	if !reflect.DeepEqual(o.DNSNames, wantNames) {
		t.Errorf("DNSNames = %q, want %q", o.DNSNames, wantNames)
	}
	if o.Budget != DefaultBudget || o.SlowThreshold != DefaultSlowThreshold || o.CaptivePortalURL != DefaultCaptivePortalURL {
		t.Errorf("defaults: %v %v %q", o.Budget, o.SlowThreshold, o.CaptivePortalURL)
	}
	if got := (Options{Budget: time.Minute}).withDefaults().Budget; got != MaxBudget {
		t.Errorf("a minute's budget became %v, want the cap %v", got, MaxBudget)
	}
	o = Options{Targets: []Target{{"A", "https://a.example/"}, {"B", "https://a.example:8443/x"}, {"C", "https://10.0.0.1/"}}}.withDefaults()
	if !reflect.DeepEqual(o.DNSNames, []string{"a.example"}) {
		t.Errorf("DNSNames = %q, want one name, no address", o.DNSNames)
	}
	if o := (Options{Targets: []Target{}}).withDefaults(); len(o.Targets) != 0 || len(o.DNSNames) != 0 {
		t.Errorf("empty targets became %+v / %q", o.Targets, o.DNSNames)
	}
}

// FuzzReportJSON decodes whatever the LocalAPI may carry and checks that a
// decoded report survives another round trip unchanged.
func FuzzReportJSON(f *testing.F) {
	f.Add([]byte(`{"started":"2025-03-10T09:00:00Z","duration_ms":4012.345,"verdict":"Everything reachable.",` +
		`"results":[{"kind":"https","name":"Slack","target":"https://slack.com/","status":"ok","latency_ms":312.5,"http_status":200}]}`))
	f.Add([]byte(`{"results":[{"latency_ms":-1e300},{"latency_ms":1e-9}],"duration_ms":9.2e18}`))
	f.Add([]byte(`{"results":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var rep Report
		if json.Unmarshal(data, &rep) != nil {
			return
		}
		once, err := json.Marshal(rep)
		if err != nil {
			t.Fatalf("decoded report does not encode: %v", err)
		}
		var again Report
		if err := json.Unmarshal(once, &again); err != nil {
			t.Fatalf("own encoding does not decode: %v\n%s", err, once)
		}
		twice, err := json.Marshal(again)
		if err != nil || string(twice) != string(once) {
			t.Fatalf("not stable:\n%s\n%s", once, twice)
		}
	})
}
