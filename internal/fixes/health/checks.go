package health

import (
	"fmt"
	"math"
	"time"
)

// The fixes the checks suggest, by the built-in ids.
const (
	fixDisk     = "free-disk-space"
	fixDNS      = "flush-dns"
	fixClock    = "resync-clock"
	fixUpdates  = "security-updates"
	fixAV       = "update-antivirus"
	fixBackup   = "backup-now"
	unknownText = "Firstline could not check this."
)

func unknown(name, label, what string) Result {
	return Result{Name: name, Label: label, Status: Unknown, Summary: what + " unknown", Message: unknownText}
}

// Disk checks the free space of the system disk.
func Disk(in Input, t Thresholds) Result {
	const name, label = "disk", "Disk space"
	if in.DiskFreePct == nil {
		return unknown(name, label, "free space")
	}
	pct := *in.DiskFreePct
	where := in.DiskPath
	if where == "" {
		where = "the system disk"
	}
	r := Result{Name: name, Label: label, Summary: fmt.Sprintf("%s%% free on %s", num(pct), where),
		Perf: []Perf{{Label: "free_pct", Value: pct, Warn: Known(t.DiskFreeWarnPct), Crit: Known(t.DiskFreeCritPct)}}}
	switch {
	case pct <= t.DiskFreeCritPct:
		r.Status, r.FixID = Critical, fixDisk
		r.Message = fmt.Sprintf("Your disk is almost full (%s%% free). Apps may fail to save your work: free some space now.", num(pct))
	case pct <= t.DiskFreeWarnPct:
		r.Status, r.FixID = Warning, fixDisk
		r.Message = fmt.Sprintf("Your disk is getting full (%s%% free). Freeing some space keeps the computer quick.", num(pct))
	default:
		r.Message = fmt.Sprintf("Plenty of disk space (%s%% free).", num(pct))
	}
	return r
}

// DNS checks that names can be looked up.
func DNS(in Input, _ Thresholds) Result {
	const name, label = "dns", "Name lookups (DNS)"
	if in.DNSOK == nil {
		return unknown(name, label, "DNS")
	}
	if !*in.DNSOK {
		return Result{Name: name, Label: label, Status: Critical, Summary: "name lookups fail", FixID: fixDNS,
			Message: "Web sites cannot be found by name, so most of the internet seems down. Flushing the DNS cache often helps.",
			Perf:    []Perf{{Label: "dns_ok", Value: 0}}}
	}
	return Result{Name: name, Label: label, Status: OK, Summary: "name lookups work",
		Message: "Web sites are found by name.", Perf: []Perf{{Label: "dns_ok", Value: 1}}}
}

// Clock checks the clock against network time.
func Clock(in Input, t Thresholds) Result {
	const name, label = "clock", "Clock"
	if in.ClockOffset == nil {
		return unknown(name, label, "clock offset")
	}
	off := *in.ClockOffset
	abs := off
	if abs < 0 {
		abs = -abs
	}
	r := Result{Name: name, Label: label, Summary: fmt.Sprintf("clock off by %s", roundDur(abs)),
		Perf: []Perf{{Label: "offset_s", Value: round2(off.Seconds()), Warn: Known(t.ClockWarn.Seconds()), Crit: Known(t.ClockCrit.Seconds())}}}
	switch {
	case abs >= t.ClockCrit:
		r.Status, r.FixID = Critical, fixClock
		r.Message = fmt.Sprintf("Your clock is %s off. Signing in to company services will fail until it is right.", roundDur(abs))
	case abs >= t.ClockWarn:
		r.Status, r.FixID = Warning, fixClock
		r.Message = fmt.Sprintf("Your clock is %s off. Setting it right avoids sign-in trouble.", roundDur(abs))
	default:
		r.Message = "Your clock is right."
	}
	return r
}

// Reboot checks for a restart an update is waiting for.
func Reboot(in Input, _ Thresholds) Result {
	const name, label = "reboot", "Pending restart"
	if in.PendingReboot == nil {
		return unknown(name, label, "pending restart")
	}
	if *in.PendingReboot {
		return Result{Name: name, Label: label, Status: Warning, Summary: "a restart is pending",
			Message: "An update is waiting for a restart. Save your work and restart when it suits you today.",
			Perf:    []Perf{{Label: "reboot_pending", Value: 1}}}
	}
	return Result{Name: name, Label: label, Status: OK, Summary: "no restart pending",
		Message: "No restart is needed.", Perf: []Perf{{Label: "reboot_pending", Value: 0}}}
}

// Uptime checks the time since the last restart.
func Uptime(in Input, t Thresholds) Result {
	const name, label = "uptime", "Time since restart"
	if in.Uptime == nil {
		return unknown(name, label, "uptime")
	}
	days := in.Uptime.Hours() / 24
	r := Result{Name: name, Label: label, Summary: fmt.Sprintf("up %s days", num(math.Floor(days))),
		Perf: []Perf{{Label: "uptime_days", Value: round2(days), Warn: Known(t.UptimeWarn.Hours() / 24), Crit: Known(t.UptimeCrit.Hours() / 24)}}}
	switch {
	case *in.Uptime >= t.UptimeCrit:
		r.Status = Critical
		r.Message = fmt.Sprintf("This computer has not restarted in %s days. Restart it today: many problems go away, and updates finish.", num(math.Floor(days)))
	case *in.Uptime >= t.UptimeWarn:
		r.Status = Warning
		r.Message = fmt.Sprintf("This computer has not restarted in %s days. A restart soon keeps it quick and up to date.", num(math.Floor(days)))
	default:
		r.Message = "Restarted recently."
	}
	return r
}

// Updates checks for security updates not installed.
func Updates(in Input, t Thresholds) Result {
	const name, label = "updates", "Security updates"
	if in.PendingSecurityUpdates == nil {
		return unknown(name, label, "security updates")
	}
	n := *in.PendingSecurityUpdates
	r := Result{Name: name, Label: label, Summary: fmt.Sprintf("%d security updates pending", n),
		Perf: []Perf{{Label: "pending", Value: float64(n), Warn: Known(float64(t.UpdatesWarn)), Crit: Known(float64(t.UpdatesCrit))}}}
	switch {
	case n >= t.UpdatesCrit:
		r.Status, r.FixID = Critical, fixUpdates
		r.Message = fmt.Sprintf("%d security updates are waiting. Install them now: they close holes attackers use.", n)
	case n >= t.UpdatesWarn:
		r.Status, r.FixID = Warning, fixUpdates
		r.Message = fmt.Sprintf("%d security updates are waiting to be installed.", n)
	default:
		r.Message = "Security updates are installed."
	}
	return r
}

// Antivirus checks that protection is on and its definitions are fresh.
func Antivirus(in Input, t Thresholds) Result {
	const name, label = "antivirus", "Antivirus"
	if in.AVEnabled == nil {
		return unknown(name, label, "antivirus")
	}
	if !*in.AVEnabled {
		return Result{Name: name, Label: label, Status: Critical, Summary: "antivirus protection is off",
			Message: "Virus protection is turned off. Choose \"Get help\" so IT can turn it back on.",
			Perf:    []Perf{{Label: "av_enabled", Value: 0}}}
	}
	perf := []Perf{{Label: "av_enabled", Value: 1}}
	if in.AVDefinitionsAge == nil {
		return Result{Name: name, Label: label, Status: OK, Summary: "antivirus protection is on",
			Message: "Virus protection is on.", Perf: perf}
	}
	age := *in.AVDefinitionsAge
	days := age.Hours() / 24
	perf = append(perf, Perf{Label: "defs_age_days", Value: round2(days), Warn: Known(t.AVDefsWarn.Hours() / 24), Crit: Known(t.AVDefsCrit.Hours() / 24)})
	r := Result{Name: name, Label: label, Summary: fmt.Sprintf("definitions %s days old", num(math.Floor(days))), Perf: perf}
	switch {
	case age >= t.AVDefsCrit:
		r.Status, r.FixID = Critical, fixAV
		r.Message = fmt.Sprintf("Virus definitions are %s days old, so new viruses go unnoticed. Update them now.", num(math.Floor(days)))
	case age >= t.AVDefsWarn:
		r.Status, r.FixID = Warning, fixAV
		r.Message = fmt.Sprintf("Virus definitions are %s days old. Updating them keeps protection current.", num(math.Floor(days)))
	default:
		r.Message = "Virus protection is on and up to date."
	}
	return r
}

// Firewall checks that the firewall is on.
func Firewall(in Input, _ Thresholds) Result {
	const name, label = "firewall", "Firewall"
	if in.FirewallOn == nil {
		return unknown(name, label, "firewall")
	}
	if !*in.FirewallOn {
		return Result{Name: name, Label: label, Status: Critical, Summary: "the firewall is off",
			Message: "The firewall is turned off, so other machines on the network can reach this one. Choose \"Get help\".",
			Perf:    []Perf{{Label: "firewall_on", Value: 0}}}
	}
	return Result{Name: name, Label: label, Status: OK, Summary: "the firewall is on",
		Message: "The firewall is on.", Perf: []Perf{{Label: "firewall_on", Value: 1}}}
}

// Backup checks the age of the last successful backup.
func Backup(in Input, t Thresholds) Result {
	const name, label = "backup", "Backup"
	if in.BackupNever {
		return Result{Name: name, Label: label, Status: Critical, Summary: "no backup has ever completed", FixID: fixBackup,
			Message: "This computer has never been backed up. Start a backup now, and choose \"Get help\" if it does not finish."}
	}
	if in.LastBackupAge == nil {
		return unknown(name, label, "last backup")
	}
	age := *in.LastBackupAge
	days := age.Hours() / 24
	r := Result{Name: name, Label: label, Summary: fmt.Sprintf("last backup %s days ago", num(math.Floor(days))),
		Perf: []Perf{{Label: "age_days", Value: round2(days), Warn: Known(t.BackupWarn.Hours() / 24), Crit: Known(t.BackupCrit.Hours() / 24)}}}
	switch {
	case age >= t.BackupCrit:
		r.Status, r.FixID = Critical, fixBackup
		r.Message = fmt.Sprintf("The last backup was %s days ago: work since then would be lost with this computer. Back up now.", num(math.Floor(days)))
	case age >= t.BackupWarn:
		r.Status, r.FixID = Warning, fixBackup
		r.Message = fmt.Sprintf("The last backup was %s days ago. Back up soon.", num(math.Floor(days)))
	default:
		r.Message = "Backed up recently."
	}
	return r
}

// Battery checks how worn the battery is.
func Battery(in Input, t Thresholds) Result {
	const name, label = "battery", "Battery"
	if in.NoBattery {
		return Result{Name: name, Label: label, Status: OK, Summary: "no battery", Message: "This computer has no battery."}
	}
	if in.BatteryHealthPct == nil {
		return unknown(name, label, "battery health")
	}
	pct := *in.BatteryHealthPct
	r := Result{Name: name, Label: label, Summary: fmt.Sprintf("battery at %s%% of its design capacity", num(pct)),
		Perf: []Perf{{Label: "health_pct", Value: pct, Warn: Known(t.BatteryWarnPct), Crit: Known(t.BatteryCritPct)}}}
	switch {
	case pct <= t.BatteryCritPct:
		r.Status = Critical
		r.Message = fmt.Sprintf("The battery holds only %s%% of its original charge. Ask IT for a new one.", num(pct))
	case pct <= t.BatteryWarnPct:
		r.Status = Warning
		r.Message = fmt.Sprintf("The battery is worn (%s%% of its original charge), so it runs down sooner.", num(pct))
	default:
		r.Message = "The battery is in good shape."
	}
	return r
}

// roundDur rounds d for people: to the second below an hour, to the
// minute after.
func roundDur(d time.Duration) time.Duration {
	if d < time.Hour {
		return d.Round(time.Second)
	}
	return d.Round(time.Minute)
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }
