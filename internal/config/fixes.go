package config

import (
	"errors"
	"path/filepath"
	"time"

	"github.com/firstline-it/firstline/internal/fixes/health"
)

// Fixes is the [fixes] table: one-click repairs, the admin catalog files
// and the audit log of every run.
type Fixes struct {
	// Enabled turns the fix routes and the runner of system fixes on.
	Enabled bool `toml:"enabled"`
	// Dir is the folder of admin catalog files; "" means fixes.d next to
	// the configuration file.
	Dir string `toml:"dir"`
	// AuditLog is the audit log of fix runs; "" means fixes-audit.log in
	// the state folder.
	AuditLog string `toml:"audit_log"`
	// RateBurst is how many fixes one user may start at once (1..100), and
	// RateRefill the time to earn one more (1s..1h).
	RateBurst  int      `toml:"rate_burst"`
	RateRefill Duration `toml:"rate_refill"`
}

// fixesDirName is the catalog folder's name; it matches catalog.DirName,
// which config cannot import (the catalog imports config).
const fixesDirName = "fixes.d"

// CatalogDir is Dir, or fixes.d in the folder of configFile (the main
// configuration file the service was started with).
func (f Fixes) CatalogDir(configFile string) string {
	if f.Dir != "" {
		return f.Dir
	}
	return filepath.Join(filepath.Dir(configFile), fixesDirName)
}

// AuditPath is AuditLog, or fixes-audit.log in stateDir.
func (f Fixes) AuditPath(stateDir string) string {
	if f.AuditLog != "" {
		return f.AuditLog
	}
	return filepath.Join(stateDir, "fixes-audit.log")
}

// Health is the [health] table: which health checks run, how often, and
// IT's limits for them.
type Health struct {
	// Checks are the checks that run, by name; see health.Names.
	Checks []string `toml:"checks"`
	// Interval is the time between two background runs (1m..24h).
	Interval Duration `toml:"interval"`

	DiskFreeWarnPct float64  `toml:"disk_free_warn_pct"`
	DiskFreeCritPct float64  `toml:"disk_free_crit_pct"`
	ClockWarn       Duration `toml:"clock_warn"`
	ClockCrit       Duration `toml:"clock_crit"`
	UptimeWarn      Duration `toml:"uptime_warn"`
	UptimeCrit      Duration `toml:"uptime_crit"`
	UpdatesWarn     int      `toml:"updates_warn"`
	UpdatesCrit     int      `toml:"updates_crit"`
	AVDefsWarn      Duration `toml:"av_defs_warn"`
	AVDefsCrit      Duration `toml:"av_defs_crit"`
	BackupWarn      Duration `toml:"backup_warn"`
	BackupCrit      Duration `toml:"backup_crit"`
	BatteryWarnPct  float64  `toml:"battery_warn_pct"`
	BatteryCritPct  float64  `toml:"battery_crit_pct"`
}

// Thresholds are the limits as the health checks take them.
func (h Health) Thresholds() health.Thresholds {
	return health.Thresholds{
		DiskFreeWarnPct: h.DiskFreeWarnPct, DiskFreeCritPct: h.DiskFreeCritPct,
		ClockWarn: h.ClockWarn.Duration(), ClockCrit: h.ClockCrit.Duration(),
		UptimeWarn: h.UptimeWarn.Duration(), UptimeCrit: h.UptimeCrit.Duration(),
		UpdatesWarn: h.UpdatesWarn, UpdatesCrit: h.UpdatesCrit,
		AVDefsWarn: h.AVDefsWarn.Duration(), AVDefsCrit: h.AVDefsCrit.Duration(),
		BackupWarn: h.BackupWarn.Duration(), BackupCrit: h.BackupCrit.Duration(),
		BatteryWarnPct: h.BatteryWarnPct, BatteryCritPct: h.BatteryCritPct,
	}
}

func fixesDefaults() (Fixes, Health) {
	t := health.DefaultThresholds()
	return Fixes{
			Enabled: true,
			// The runner's defaults (runner.DefaultRateBurst and
			// DefaultRateRefill); service/fixes' tests keep them in step.
			RateBurst:  6,
			RateRefill: Duration(30 * time.Second),
		}, Health{
			Checks:          health.Names(),
			Interval:        Duration(5 * time.Minute),
			DiskFreeWarnPct: t.DiskFreeWarnPct, DiskFreeCritPct: t.DiskFreeCritPct,
			ClockWarn: Duration(t.ClockWarn), ClockCrit: Duration(t.ClockCrit),
			UptimeWarn: Duration(t.UptimeWarn), UptimeCrit: Duration(t.UptimeCrit),
			UpdatesWarn: t.UpdatesWarn, UpdatesCrit: t.UpdatesCrit,
			AVDefsWarn: Duration(t.AVDefsWarn), AVDefsCrit: Duration(t.AVDefsCrit),
			BackupWarn: Duration(t.BackupWarn), BackupCrit: Duration(t.BackupCrit),
			BatteryWarnPct: t.BatteryWarnPct, BatteryCritPct: t.BatteryCritPct,
		}
}

// validateFixes checks [fixes] and [health]. Each pair of limits is
// checked under the key of its critical limit, so the message points at a
// line the administrator can correct.
func (v *validator) validateFixes(f Fixes, h Health) {
	if f.Dir != "" {
		v.absolute("fixes.dir", f.Dir)
	}
	if f.AuditLog != "" {
		v.absolute("fixes.audit_log", f.AuditLog)
	}
	v.intRange("fixes.rate_burst", int64(f.RateBurst), 1, 100)
	v.durationRange("fixes.rate_refill", f.RateRefill, time.Second, time.Hour)

	v.each("health.checks", h.Checks, health.Names())
	v.durationRange("health.interval", h.Interval, time.Minute, 24*time.Hour)

	n := len(v.problems)
	v.pctRange("health.disk_free_warn_pct", h.DiskFreeWarnPct)
	v.pctRange("health.disk_free_crit_pct", h.DiskFreeCritPct)
	v.pctRange("health.battery_warn_pct", h.BatteryWarnPct)
	v.pctRange("health.battery_crit_pct", h.BatteryCritPct)
	v.durationRange("health.clock_warn", h.ClockWarn, time.Second, 24*time.Hour)
	v.durationRange("health.clock_crit", h.ClockCrit, time.Second, 24*time.Hour)
	v.durationRange("health.uptime_warn", h.UptimeWarn, time.Hour, 365*24*time.Hour)
	v.durationRange("health.uptime_crit", h.UptimeCrit, time.Hour, 365*24*time.Hour)
	v.intRange("health.updates_warn", int64(h.UpdatesWarn), 1, 10000)
	v.intRange("health.updates_crit", int64(h.UpdatesCrit), 1, 10000)
	v.durationRange("health.av_defs_warn", h.AVDefsWarn, time.Hour, 365*24*time.Hour)
	v.durationRange("health.av_defs_crit", h.AVDefsCrit, time.Hour, 365*24*time.Hour)
	v.durationRange("health.backup_warn", h.BackupWarn, time.Hour, 365*24*time.Hour)
	v.durationRange("health.backup_crit", h.BackupCrit, time.Hour, 365*24*time.Hour)
	if len(v.problems) > n {
		return // the order of limits out of range says nothing more
	}
	order := func(key string, ok bool, warn, crit any, worse string) {
		if !ok {
			v.add(key, "%v is not %s than the warning limit %v; the warning must come first", crit, worse, warn)
		}
	}
	order("health.disk_free_crit_pct", h.DiskFreeCritPct <= h.DiskFreeWarnPct, h.DiskFreeWarnPct, h.DiskFreeCritPct, "lower")
	order("health.battery_crit_pct", h.BatteryCritPct <= h.BatteryWarnPct, h.BatteryWarnPct, h.BatteryCritPct, "lower")
	order("health.clock_crit", h.ClockCrit >= h.ClockWarn, h.ClockWarn, h.ClockCrit, "higher")
	order("health.uptime_crit", h.UptimeCrit >= h.UptimeWarn, h.UptimeWarn, h.UptimeCrit, "higher")
	order("health.updates_crit", h.UpdatesCrit >= h.UpdatesWarn, h.UpdatesWarn, h.UpdatesCrit, "higher")
	order("health.av_defs_crit", h.AVDefsCrit >= h.AVDefsWarn, h.AVDefsWarn, h.AVDefsCrit, "higher")
	order("health.backup_crit", h.BackupCrit >= h.BackupWarn, h.BackupWarn, h.BackupCrit, "higher")
	if len(v.problems) > n {
		return
	}
	// The checks' own rule is the last word; the checks above name the
	// key, this one guards against the two drifting apart.
	if err := h.Thresholds().Validate(); err != nil {
		var joined interface{ Unwrap() []error }
		errs := []error{err}
		if errors.As(err, &joined) {
			errs = joined.Unwrap()
		}
		for _, e := range errs {
			v.add("health", "%v", e)
		}
	}
}

// pctRange checks a percentage.
func (v *validator) pctRange(key string, value float64) {
	if value < 0 || value > 100 {
		v.add(key, "%g is outside the allowed range 0..100", value)
	}
}
