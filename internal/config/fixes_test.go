package config

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/fixes/health"
)

func TestFixesAndHealthDefaults(t *testing.T) {
	c := Defaults()
	if !c.Fixes.Enabled {
		t.Error("fixes are off by default")
	}
	if got := c.Health.Thresholds(); got != health.DefaultThresholds() {
		t.Errorf("default thresholds %+v, want health.DefaultThresholds() %+v", got, health.DefaultThresholds())
	}
	if !reflect.DeepEqual(c.Health.Checks, health.Names()) {
		t.Errorf("default checks %v, want every check %v", c.Health.Checks, health.Names())
	}
	if c.Health.Interval.Duration() != 5*time.Minute {
		t.Errorf("interval %s", c.Health.Interval)
	}
}

func TestFixesPaths(t *testing.T) {
	main := filepath.Join("/etc", "firstline", "firstline.toml")
	var f Fixes
	if got, want := f.CatalogDir(main), filepath.Join("/etc", "firstline", "fixes.d"); got != want {
		t.Errorf("catalog dir %q, want %q", got, want)
	}
	if got, want := f.AuditPath("/var/lib/firstline"), filepath.Join("/var/lib/firstline", "fixes-audit.log"); got != want {
		t.Errorf("audit path %q, want %q", got, want)
	}
	f = Fixes{Dir: "/srv/fixes", AuditLog: "/srv/audit.log"}
	if f.CatalogDir(main) != "/srv/fixes" || f.AuditPath("/var/lib/firstline") != "/srv/audit.log" {
		t.Errorf("set paths not used: %q %q", f.CatalogDir(main), f.AuditPath("/x"))
	}
}

func TestFixesAndHealthValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Config)
		wantKey string // "" means valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"no checks", func(c *Config) { c.Health.Checks = []string{} }, ""},
		{"some checks", func(c *Config) { c.Health.Checks = []string{"disk", "clock"} }, ""},
		{"unknown check", func(c *Config) { c.Health.Checks = []string{"disk", "coffee"} }, "health.checks"},
		{"check twice", func(c *Config) { c.Health.Checks = []string{"disk", "disk"} }, "health.checks"},
		{"relative dir", func(c *Config) { c.Fixes.Dir = "fixes.d" }, "fixes.dir"},
		{"relative audit log", func(c *Config) { c.Fixes.AuditLog = "audit.log" }, "fixes.audit_log"},
		{"burst zero", func(c *Config) { c.Fixes.RateBurst = 0 }, "fixes.rate_burst"},
		{"burst huge", func(c *Config) { c.Fixes.RateBurst = 1000 }, "fixes.rate_burst"},
		{"refill too short", func(c *Config) { c.Fixes.RateRefill = Duration(time.Millisecond) }, "fixes.rate_refill"},
		{"interval too short", func(c *Config) { c.Health.Interval = Duration(time.Second) }, "health.interval"},
		{"disk pct over 100", func(c *Config) { c.Health.DiskFreeWarnPct = 120 }, "health.disk_free_warn_pct"},
		{"disk crit above warn", func(c *Config) { c.Health.DiskFreeCritPct = 20 }, "health.disk_free_crit_pct"},
		{"battery crit above warn", func(c *Config) { c.Health.BatteryCritPct = 70 }, "health.battery_crit_pct"},
		{"clock crit below warn", func(c *Config) { c.Health.ClockCrit = Duration(30 * time.Second) }, "health.clock_crit"},
		{"clock zero", func(c *Config) { c.Health.ClockWarn = 0 }, "health.clock_warn"},
		{"uptime crit below warn", func(c *Config) { c.Health.UptimeCrit = Duration(24 * time.Hour) }, "health.uptime_crit"},
		{"updates crit below warn", func(c *Config) { c.Health.UpdatesWarn = 20 }, "health.updates_crit"},
		{"updates zero", func(c *Config) { c.Health.UpdatesWarn = 0 }, "health.updates_warn"},
		{"av crit below warn", func(c *Config) { c.Health.AVDefsCrit = Duration(24 * time.Hour) }, "health.av_defs_crit"},
		{"backup crit below warn", func(c *Config) { c.Health.BackupWarn = Duration(30 * 24 * time.Hour) }, "health.backup_crit"},
		{"equal limits", func(c *Config) { c.Health.ClockCrit = c.Health.ClockWarn }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Defaults()
			tt.edit(c)
			err := c.Validate()
			if tt.wantKey == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Validate = %v, want a problem at %s", err, tt.wantKey)
			}
			var keys []string
			for _, p := range ce.Problems {
				keys = append(keys, p.Key)
			}
			if len(keys) != 1 || keys[0] != tt.wantKey {
				t.Errorf("problems at %v, want exactly %s: %v", keys, tt.wantKey, err)
			}
		})
	}
}

// TestHealthLimitsNamedWithLine: a bad limit in a file is reported at the
// line of the critical limit, which is the one to correct.
func TestHealthLimitsNamedWithLine(t *testing.T) {
	_, main := writeConfig(t, map[string]string{"firstline.toml": "[health]\nclock_warn = \"10m\"\n\nclock_crit = \"2m\"\n\n[fixes]\nrate_burst = 0\n"})
	probs := problemsOf(t, loadErr(t, main))
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{"firstline.toml:4: health.clock_crit", "firstline.toml:7: fixes.rate_burst"} {
		if !strings.Contains(all, want) {
			t.Errorf("problems\n%s\ndo not name %q", all, want)
		}
	}
}

func TestLoadFixesTables(t *testing.T) {
	_, main := writeConfig(t, map[string]string{"firstline.toml": `
[fixes]
enabled = false
dir = "/srv/firstline/fixes.d"
rate_burst = 3

[health]
checks = ["disk"]
interval = "1h"
disk_free_warn_pct = 20
disk_free_crit_pct = 7.5
`})
	c := mustLoad(t, main).Config
	if c.Fixes.Enabled || c.Fixes.Dir != "/srv/firstline/fixes.d" || c.Fixes.RateBurst != 3 || c.Fixes.RateRefill.Duration() != 30*time.Second {
		t.Errorf("fixes %+v", c.Fixes)
	}
	th := c.Health.Thresholds()
	if !reflect.DeepEqual(c.Health.Checks, []string{"disk"}) || c.Health.Interval.Duration() != time.Hour ||
		th.DiskFreeWarnPct != 20 || th.DiskFreeCritPct != 7.5 || th.ClockCrit != 5*time.Minute {
		t.Errorf("health %+v", c.Health)
	}
}

func loadErr(t *testing.T, path string) error {
	t.Helper()
	_, err := Load(Options{Path: path})
	return err
}
