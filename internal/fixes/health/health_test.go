package health

import (
	"strings"
	"testing"
	"time"
)

func TestChecks(t *testing.T) {
	th := DefaultThresholds()
	h := time.Hour
	tests := []struct {
		name    string
		in      Input
		check   func(Input, Thresholds) Result
		status  Status
		fix     string
		summary string
		message string // substring
	}{
		{"disk ok", Input{DiskFreePct: Known(42.0), DiskPath: "/"}, Disk, OK, "", "42% free on /", "Plenty"},
		{"disk at warning", Input{DiskFreePct: Known(10.0), DiskPath: "/"}, Disk, Warning, "free-disk-space", "10% free on /", "getting full"},
		{"disk warning", Input{DiskFreePct: Known(8.0), DiskPath: "/"}, Disk, Warning, "free-disk-space", "8% free on /", "getting full"},
		{"disk critical", Input{DiskFreePct: Known(4.5), DiskPath: "C:"}, Disk, Critical, "free-disk-space", "4.5% free on C:", "almost full"},
		{"disk unknown", Input{}, Disk, Unknown, "", "free space unknown", "could not check"},
		{"dns ok", Input{DNSOK: Known(true)}, DNS, OK, "", "name lookups work", "found by name"},
		{"dns failing", Input{DNSOK: Known(false)}, DNS, Critical, "flush-dns", "name lookups fail", "Flushing"},
		{"clock ok", Input{ClockOffset: Known(2 * time.Second)}, Clock, OK, "", "clock off by 2s", "right"},
		{"clock behind", Input{ClockOffset: Known(-90 * time.Second)}, Clock, Warning, "resync-clock", "clock off by 1m30s", "1m30s off"},
		{"clock far", Input{ClockOffset: Known(10 * time.Minute)}, Clock, Critical, "resync-clock", "clock off by 10m0s", "Signing in"},
		{"reboot pending", Input{PendingReboot: Known(true)}, Reboot, Warning, "", "a restart is pending", "restart"},
		{"no reboot", Input{PendingReboot: Known(false)}, Reboot, OK, "", "no restart pending", "No restart"},
		{"uptime ok", Input{Uptime: Known(50 * h)}, Uptime, OK, "", "up 2 days", "recently"},
		{"uptime long", Input{Uptime: Known(20 * 24 * h)}, Uptime, Warning, "", "up 20 days", "20 days"},
		{"uptime very long", Input{Uptime: Known(45 * 24 * h)}, Uptime, Critical, "", "up 45 days", "today"},
		{"updates none", Input{PendingSecurityUpdates: Known(0)}, Updates, OK, "", "0 security updates pending", "installed"},
		{"updates some", Input{PendingSecurityUpdates: Known(3)}, Updates, Warning, "security-updates", "3 security updates pending", "3 security"},
		{"updates many", Input{PendingSecurityUpdates: Known(12)}, Updates, Critical, "security-updates", "12 security updates pending", "attackers"},
		{"av off", Input{AVEnabled: Known(false), AVDefinitionsAge: Known(h)}, Antivirus, Critical, "", "antivirus protection is off", "turned off"},
		{"av fresh", Input{AVEnabled: Known(true), AVDefinitionsAge: Known(5 * h)}, Antivirus, OK, "", "definitions 0 days old", "up to date"},
		{"av stale", Input{AVEnabled: Known(true), AVDefinitionsAge: Known(4 * 24 * h)}, Antivirus, Warning, "update-antivirus", "definitions 4 days old", "4 days"},
		{"av very stale", Input{AVEnabled: Known(true), AVDefinitionsAge: Known(30 * 24 * h)}, Antivirus, Critical, "update-antivirus", "definitions 30 days old", "unnoticed"},
		{"av on, age unknown", Input{AVEnabled: Known(true)}, Antivirus, OK, "", "antivirus protection is on", "is on"},
		{"firewall off", Input{FirewallOn: Known(false)}, Firewall, Critical, "", "the firewall is off", "turned off"},
		{"firewall on", Input{FirewallOn: Known(true)}, Firewall, OK, "", "the firewall is on", "is on"},
		{"backup recent", Input{LastBackupAge: Known(20 * h)}, Backup, OK, "", "last backup 0 days ago", "recently"},
		{"backup old", Input{LastBackupAge: Known(8 * 24 * h)}, Backup, Warning, "backup-now", "last backup 8 days ago", "soon"},
		{"backup very old", Input{LastBackupAge: Known(15 * 24 * h)}, Backup, Critical, "backup-now", "last backup 15 days ago", "lost"},
		{"backup never", Input{BackupNever: true}, Backup, Critical, "backup-now", "no backup has ever completed", "never"},
		{"battery good", Input{BatteryHealthPct: Known(92.0)}, Battery, OK, "", "battery at 92% of its design capacity", "good shape"},
		{"battery worn", Input{BatteryHealthPct: Known(55.0)}, Battery, Warning, "", "battery at 55% of its design capacity", "worn"},
		{"battery dead", Input{BatteryHealthPct: Known(30.0)}, Battery, Critical, "", "battery at 30% of its design capacity", "new one"},
		{"no battery", Input{NoBattery: true}, Battery, OK, "", "no battery", "no battery"},
		{"battery unknown", Input{}, Battery, Unknown, "", "battery health unknown", "could not"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.check(tc.in, th)
			if r.Status != tc.status || r.FixID != tc.fix || r.Summary != tc.summary {
				t.Errorf("got %s fix=%q summary=%q; want %s fix=%q summary=%q", r.Status, r.FixID, r.Summary, tc.status, tc.fix, tc.summary)
			}
			if !strings.Contains(r.Message, tc.message) {
				t.Errorf("message %q lacks %q", r.Message, tc.message)
			}
			if r.Name == "" || r.Label == "" {
				t.Errorf("name %q label %q", r.Name, r.Label)
			}
		})
	}
}

func TestThresholdsAreConfigurable(t *testing.T) {
	th := DefaultThresholds()
	th.DiskFreeWarnPct, th.DiskFreeCritPct = 25, 15
	if r := Disk(Input{DiskFreePct: Known(20.0)}, th); r.Status != Warning {
		t.Errorf("20%% with a 25%% warning limit: %s", r.Status)
	}
	line, _ := Nagios(Disk(Input{DiskFreePct: Known(20.0), DiskPath: "/"}, th))
	if !strings.HasSuffix(line, "free_pct=20;25;15") {
		t.Errorf("perf data does not carry the thresholds: %s", line)
	}
}

func TestThresholdsValidate(t *testing.T) {
	if err := DefaultThresholds().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := DefaultThresholds()
	bad.DiskFreeWarnPct, bad.DiskFreeCritPct = 5, 10
	bad.ClockWarn, bad.ClockCrit = time.Hour, time.Minute
	err := bad.Validate()
	if err == nil || !strings.Contains(err.Error(), "disk") || !strings.Contains(err.Error(), "clock") {
		t.Errorf("err = %v", err)
	}
}

func TestNagios(t *testing.T) {
	th := DefaultThresholds()
	tests := []struct {
		r    Result
		line string
		exit int
	}{
		{Disk(Input{DiskFreePct: Known(8.0), DiskPath: "/"}, th), "FIRSTLINE DISK WARNING - 8% free on / | free_pct=8;10;5", 1},
		{Disk(Input{DiskFreePct: Known(55.25), DiskPath: "/"}, th), "FIRSTLINE DISK OK - 55.25% free on / | free_pct=55.25;10;5", 0},
		{DNS(Input{DNSOK: Known(false)}, th), "FIRSTLINE DNS CRITICAL - name lookups fail | dns_ok=0", 2},
		{Clock(Input{ClockOffset: Known(-1500 * time.Millisecond)}, th), "FIRSTLINE CLOCK OK - clock off by 2s | offset_s=-1.5;60;300", 0},
		{Disk(Input{}, th), "FIRSTLINE DISK UNKNOWN - free space unknown", 3},
		{Result{Name: "x", Status: Warning, Summary: "a | b"}, "FIRSTLINE X WARNING - a / b", 1},
	}
	for _, tc := range tests {
		line, exit := Nagios(tc.r)
		if line != tc.line || exit != tc.exit {
			t.Errorf("got %q exit %d\nwant %q exit %d", line, exit, tc.line, tc.exit)
		}
	}
}

func TestNagiosAll(t *testing.T) {
	in := Input{DiskFreePct: Known(8.0), DiskPath: "/", DNSOK: Known(true), FirewallOn: Known(false)}
	rs, err := Run(in, DefaultThresholds(), "disk", "dns", "firewall")
	if err != nil {
		t.Fatal(err)
	}
	out, exit := NagiosAll(rs)
	want := "FIRSTLINE CRITICAL - 2 of 3 checks need attention: disk WARNING, firewall CRITICAL" +
		" | disk_free_pct=8;10;5 dns_ok=1 firewall_on=0\n" +
		"FIRSTLINE DISK WARNING - 8% free on /\n" +
		"FIRSTLINE DNS OK - name lookups work\n" +
		"FIRSTLINE FIREWALL CRITICAL - the firewall is off\n"
	if out != want || exit != 2 {
		t.Errorf("got exit %d:\n%s\nwant:\n%s", exit, out, want)
	}
}

func TestWorst(t *testing.T) {
	tests := []struct {
		in   []Status
		want Status
	}{
		{nil, OK},
		{[]Status{OK, OK}, OK},
		{[]Status{OK, Unknown}, Unknown},
		{[]Status{Unknown, Warning}, Warning},
		{[]Status{Warning, Critical, Unknown}, Critical},
	}
	for _, tc := range tests {
		var rs []Result
		for _, s := range tc.in {
			rs = append(rs, Result{Status: s})
		}
		if got := Worst(rs); got != tc.want {
			t.Errorf("Worst(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestRun(t *testing.T) {
	all, err := Run(Input{}, DefaultThresholds())
	if err != nil || len(all) != len(Names()) {
		t.Fatalf("%d results, %v", len(all), err)
	}
	for i, r := range all {
		if r.Name != Names()[i] {
			t.Errorf("result %d is %s, want %s", i, r.Name, Names()[i])
		}
	}
	if _, err := Run(Input{}, DefaultThresholds(), "disk", "cpu"); err == nil || !strings.Contains(err.Error(), `"cpu"`) {
		t.Errorf("unknown check: %v", err)
	}
}

func TestPerfString(t *testing.T) {
	tests := []struct {
		p    Perf
		want string
	}{
		{Perf{Label: "free_pct", Value: 8, Warn: Known(10.0), Crit: Known(5.0)}, "free_pct=8;10;5"},
		{Perf{Label: "x", Value: 1}, "x=1"},
		{Perf{Label: "used", Value: 3.14159, Unit: "%", Crit: Known(90.0), Min: Known(0.0), Max: Known(100.0)}, "used=3.14%;;90;0;100"},
		{Perf{Label: "disk C:", Value: 1}, "'disk C:'=1"},
	}
	for _, tc := range tests {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("got %q want %q", got, tc.want)
		}
	}
}

// BenchmarkAllChecks runs every check and renders the plugin output: the
// target is well under 100 ms (gathering the input is the caller's cost).
func BenchmarkAllChecks(b *testing.B) {
	in := Input{DiskFreePct: Known(8.0), DiskPath: "/", DNSOK: Known(true), ClockOffset: Known(3 * time.Second),
		PendingReboot: Known(false), Uptime: Known(100 * time.Hour), PendingSecurityUpdates: Known(2),
		AVEnabled: Known(true), AVDefinitionsAge: Known(30 * time.Hour), FirewallOn: Known(true),
		LastBackupAge: Known(50 * time.Hour), BatteryHealthPct: Known(80.0)}
	th := DefaultThresholds()
	for b.Loop() {
		rs, err := Run(in, th)
		if err != nil {
			b.Fatal(err)
		}
		NagiosAll(rs)
	}
}
