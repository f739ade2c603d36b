package cli

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/fixes/health"
	"github.com/firstline-it/firstline/internal/localapi"
)

// fakeInput is what the fake service's health checks see.
func fakeInput() health.Input {
	return health.Input{DiskFreePct: health.Known(8.0), DiskPath: "/", DNSOK: health.Known(true),
		ClockOffset: health.Known(2 * time.Second), PendingReboot: health.Known(true), Uptime: health.Known(50 * time.Hour),
		PendingSecurityUpdates: health.Known(0), FirewallOn: health.Known(true), NoBattery: true}
}

func TestParsePerf(t *testing.T) {
	tests := []struct {
		in   string
		want health.Perf
		ok   bool
	}{
		{"free_pct=8;10;5", health.Perf{Label: "free_pct", Value: 8, Warn: health.Known(10.0), Crit: health.Known(5.0)}, true},
		{"x=1", health.Perf{Label: "x", Value: 1}, true},
		{"used=3.14%;;90;0;100", health.Perf{Label: "used", Value: 3.14, Unit: "%", Crit: health.Known(90.0), Min: health.Known(0.0), Max: health.Known(100.0)}, true},
		{"'disk C:'=1", health.Perf{Label: "disk C:", Value: 1}, true},
		{"offset_s=-0.25s;60;300", health.Perf{Label: "offset_s", Value: -0.25, Unit: "s", Warn: health.Known(60.0), Crit: health.Known(300.0)}, true},
		{"=1", health.Perf{}, false},
		{"x", health.Perf{}, false},
		{"x=", health.Perf{}, false},
		{"x=abc", health.Perf{}, false},
		{"x=1;2;3;4;5;6", health.Perf{}, false},
		{"x=NaN", health.Perf{}, false},
		{"x=1;Inf", health.Perf{}, false},
		{"x=0x10", health.Perf{}, false},
		{"'open=1", health.Perf{}, false},
	}
	for _, tc := range tests {
		got, err := parsePerf(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("%q: err %v", tc.in, err)
			continue
		}
		if tc.ok && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %+v want %+v", tc.in, got, tc.want)
		}
	}
}

// TestHealthRoundTrip: a verdict sent over the LocalAPI and turned back
// prints exactly what the check itself prints.
func TestHealthRoundTrip(t *testing.T) {
	inputs := []health.Input{
		fakeInput(),
		{},
		{DiskFreePct: health.Known(3.25), DiskPath: "C:", ClockOffset: health.Known(-10 * time.Minute), AVEnabled: health.Known(true),
			AVDefinitionsAge: health.Known(200 * time.Hour), BatteryHealthPct: health.Known(38.0), BackupNever: true},
	}
	for i, in := range inputs {
		rs, err := health.Run(in, health.DefaultThresholds())
		if err != nil {
			t.Fatal(err)
		}
		back, err := fromHealthReport(localapi.NewHealthReport(rs))
		if err != nil {
			t.Fatalf("input %d: %v", i, err)
		}
		wantAll, wantCode := health.NagiosAll(rs)
		gotAll, gotCode := health.NagiosAll(back)
		if gotAll != wantAll || gotCode != wantCode {
			t.Errorf("input %d:\ngot  %s (%d)\nwant %s (%d)", i, gotAll, gotCode, wantAll, wantCode)
		}
	}
	if r, err := fromHealthCheck(localapi.HealthCheck{Name: "disk", Code: 7}); err != nil || r.Status != health.Unknown {
		t.Errorf("out-of-range code: %v %v", r.Status, err)
	}
}

func FuzzParsePerf(f *testing.F) {
	for _, s := range []string{"free_pct=8;10;5", "'disk C:'=1", "used=3.14%;;90;0;100", "x=-1e3s", "a=1;;;;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePerf(s)
		if err != nil {
			return
		}
		// What parses renders to text that parses to the same value.
		again, err := parsePerf(p.String())
		if err != nil {
			t.Fatalf("%q rendered as %q, which does not parse: %v", s, p.String(), err)
		}
		if again.String() != p.String() {
			t.Fatalf("%q: %q then %q", s, p.String(), again.String())
		}
	})
}

func TestCheckUsage(t *testing.T) {
	r := runMain("check", "cpu", "--socket", "/nonexistent/s.sock")
	if r.code != 3 || !strings.HasPrefix(r.stdout, `FIRSTLINE UNKNOWN - no check named "cpu"`) || strings.Contains(r.stdout, "|") {
		t.Errorf("unknown check: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
}
