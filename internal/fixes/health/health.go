package health

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Status is a check's result. The values are the Nagios plugin exit codes.
type Status int

// The statuses.
const (
	OK       Status = 0
	Warning  Status = 1
	Critical Status = 2
	Unknown  Status = 3
)

func (s Status) String() string {
	switch s {
	case OK:
		return "OK"
	case Warning:
		return "WARNING"
	case Critical:
		return "CRITICAL"
	default:
		return "UNKNOWN"
	}
}

// severity orders statuses for "the worst of": critical, then warning,
// then unknown (a check that could not tell), then ok.
func (s Status) severity() int {
	switch s {
	case Critical:
		return 3
	case Warning:
		return 2
	case Unknown:
		return 1
	default:
		return 0
	}
}

// Worst returns the most severe status of rs, OK for none.
func Worst(rs []Result) Status {
	worst := OK
	for _, r := range rs {
		if r.Status.severity() > worst.severity() {
			worst = r.Status
		}
	}
	return worst
}

// Input is what the checks look at. A nil field was not measured, and its
// check reports Unknown rather than guessing.
type Input struct {
	// DiskFreePct is the free space of the system disk, 0–100, and
	// DiskPath where it is mounted ("/", "C:").
	DiskFreePct *float64
	DiskPath    string
	// DNSOK says whether name lookups work.
	DNSOK *bool
	// ClockOffset is how far the clock is from network time (either way).
	ClockOffset *time.Duration
	// PendingReboot says an update waits for a restart.
	PendingReboot *bool
	Uptime        *time.Duration
	// PendingSecurityUpdates counts security updates not installed.
	PendingSecurityUpdates *int
	// AVEnabled says real-time antivirus protection is on;
	// AVDefinitionsAge is the age of its virus definitions.
	AVEnabled        *bool
	AVDefinitionsAge *time.Duration
	FirewallOn       *bool
	// LastBackupAge is the time since the last successful backup;
	// BackupNever says no backup has ever succeeded.
	LastBackupAge *time.Duration
	BackupNever   bool
	// BatteryHealthPct is the battery's full capacity as a share of its
	// design capacity; NoBattery says the machine has none (a desktop).
	BatteryHealthPct *float64
	NoBattery        bool
}

// Known returns a pointer to v, for filling an Input.
func Known[T any](v T) *T { return &v }

// Thresholds are IT's limits. Warn is crossed before Crit: lower free
// space and battery health are worse, higher everything else.
type Thresholds struct {
	DiskFreeWarnPct, DiskFreeCritPct float64
	ClockWarn, ClockCrit             time.Duration
	UptimeWarn, UptimeCrit           time.Duration
	UpdatesWarn, UpdatesCrit         int
	AVDefsWarn, AVDefsCrit           time.Duration
	BackupWarn, BackupCrit           time.Duration
	BatteryWarnPct, BatteryCritPct   float64
}

const day = 24 * time.Hour

// DefaultThresholds are limits most IT teams start from. The clock's
// critical limit is Kerberos' default tolerance of five minutes, past
// which sign-in to the company's servers fails.
func DefaultThresholds() Thresholds {
	return Thresholds{
		DiskFreeWarnPct: 10, DiskFreeCritPct: 5,
		ClockWarn: time.Minute, ClockCrit: 5 * time.Minute,
		UptimeWarn: 14 * day, UptimeCrit: 30 * day,
		UpdatesWarn: 1, UpdatesCrit: 10,
		AVDefsWarn: 3 * day, AVDefsCrit: 7 * day,
		BackupWarn: 7 * day, BackupCrit: 14 * day,
		BatteryWarnPct: 60, BatteryCritPct: 40,
	}
}

// Validate checks that every warning limit comes before its critical one.
func (t Thresholds) Validate() error {
	var errs []error
	check := func(name string, ok bool) {
		if !ok {
			errs = append(errs, fmt.Errorf("%s: the warning limit must come before the critical one", name))
		}
	}
	check("disk", t.DiskFreeWarnPct >= t.DiskFreeCritPct && t.DiskFreeCritPct >= 0 && t.DiskFreeWarnPct <= 100)
	check("clock", t.ClockWarn <= t.ClockCrit && t.ClockWarn > 0)
	check("uptime", t.UptimeWarn <= t.UptimeCrit && t.UptimeWarn > 0)
	check("updates", t.UpdatesWarn <= t.UpdatesCrit && t.UpdatesWarn > 0)
	check("antivirus", t.AVDefsWarn <= t.AVDefsCrit && t.AVDefsWarn > 0)
	check("backup", t.BackupWarn <= t.BackupCrit && t.BackupWarn > 0)
	check("battery", t.BatteryWarnPct >= t.BatteryCritPct && t.BatteryCritPct >= 0 && t.BatteryWarnPct <= 100)
	return errors.Join(errs...)
}

// Result is one check's verdict.
type Result struct {
	// Name identifies the check ("disk"); Label names it for people.
	Name   string
	Label  string
	Status Status
	// Summary is short and technical, for the plugin's status line
	// ("8% free on /").
	Summary string
	// Message is for the employee: what is wrong and what to do.
	Message string
	// FixID is the fix that would help, "" when none would.
	FixID string
	Perf  []Perf
}

// check is one named check.
type check struct {
	name, label string
	run         func(Input, Thresholds) Result
}

// checks lists every check in display order.
func checks() []check {
	return []check{
		{"disk", "Disk space", Disk},
		{"dns", "Name lookups (DNS)", DNS},
		{"clock", "Clock", Clock},
		{"reboot", "Pending restart", Reboot},
		{"uptime", "Time since restart", Uptime},
		{"updates", "Security updates", Updates},
		{"antivirus", "Antivirus", Antivirus},
		{"firewall", "Firewall", Firewall},
		{"backup", "Backup", Backup},
		{"battery", "Battery", Battery},
	}
}

// Names lists the checks, in display order.
func Names() []string {
	var out []string
	for _, c := range checks() {
		out = append(out, c.name)
	}
	return out
}

// Run runs the named checks (all when names is empty) in display order.
func Run(in Input, t Thresholds, names ...string) ([]Result, error) {
	for _, n := range names {
		if !slices.Contains(Names(), n) {
			return nil, fmt.Errorf("no check named %q (the checks are %s)", n, strings.Join(Names(), ", "))
		}
	}
	var out []Result
	for _, c := range checks() {
		if len(names) == 0 || slices.Contains(names, c.name) {
			out = append(out, c.run(in, t))
		}
	}
	return out, nil
}
