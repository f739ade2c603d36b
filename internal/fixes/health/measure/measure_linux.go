package measure

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Linux sources.
const (
	rebootRequired     = "/run/reboot-required"
	rebootRequiredOld  = "/var/run/reboot-required"
	dpkgDir            = "/var/lib/dpkg"
	needsRestarting    = "/usr/bin/needs-restarting"
	chronycPath        = "/usr/bin/chronyc"
	timedatectlPath    = "/usr/bin/timedatectl"
	updatesAvailableAt = "/var/lib/update-notifier/updates-available"
	aptGetPath         = "/usr/bin/apt-get"
	dnfPath            = "/usr/bin/dnf"
	powerSupplyDir     = "/sys/class/power_supply"
	osRelease          = "/proc/sys/kernel/osrelease"
	modulesDir         = "/lib/modules"
	timeshiftConf      = "/etc/timeshift/timeshift.json"
)

// timeshiftDirs are where Timeshift's snapshots are while its backup
// device is mounted (rsync and btrfs modes), and the old fixed location.
func timeshiftDirs() []string {
	return []string{
		"/run/timeshift/backup/timeshift/snapshots",
		"/run/timeshift/backup/timeshift-btrfs/snapshots",
		"/timeshift/snapshots",
	}
}

// diskFree is statfs of the root: the space an ordinary user may still
// write (root's reserve does not help them), of the whole.
func (g *gatherer) diskFree(context.Context) (float64, string, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(g.root, &st); err != nil {
		return 0, "", fmt.Errorf("statfs %s: %w", g.root, err)
	}
	if st.Blocks == 0 {
		return 0, "", fmt.Errorf("statfs %s: no blocks", g.root)
	}
	return 100 * float64(st.Bavail) / float64(st.Blocks), "/", nil
}

func (g *gatherer) osUptime(context.Context) (time.Duration, error) {
	b, err := g.readFile("/proc/uptime", 256)
	if err != nil {
		return 0, fmt.Errorf("reading uptime: %w", err)
	}
	return parseProcUptime(b)
}

// pendingReboot: Debian and Ubuntu's update hooks create
// /run/reboot-required; a kernel newer than the running one waits for a
// restart everywhere (Debian without update-notifier writes no flag);
// Fedora and RHEL ask needs-restarting (dnf-utils). On a dpkg system with
// neither sign the answer is no; elsewhere nothing is known.
func (g *gatherer) pendingReboot(ctx context.Context) (*bool, error) {
	if g.exists(rebootRequired) || g.exists(rebootRequiredOld) {
		return ptr(true), nil
	}
	if g.newerKernelInstalled() {
		return ptr(true), nil
	}
	if g.exists(needsRestarting) {
		// It exits 1 when a reboot is needed: the text decides, not the
		// exit code.
		out, err := g.opts.Run(ctx, needsRestarting, "-r")
		if v, perr := parseNeedsRestarting(out); perr == nil {
			return v, nil
		}
		return nil, fmt.Errorf("needs-restarting: %w", err)
	}
	if g.exists(dpkgDir) {
		return ptr(false), nil
	}
	return nil, nil
}

// newerKernelInstalled compares the running kernel with the module
// folders of the installed ones.
func (g *gatherer) newerKernelInstalled() bool {
	running, err := g.readFile(osRelease, 256)
	if err != nil {
		return false
	}
	entries, err := os.ReadDir(g.path(modulesDir))
	if err != nil {
		return false
	}
	var installed []string
	for _, e := range entries {
		if e.IsDir() {
			installed = append(installed, e.Name())
		}
	}
	return newerKernel(string(running), installed)
}

// clockOffset asks chrony, else systemd-timesyncd. Both answer from the
// local daemon's last measurement, so neither touches the network.
func (g *gatherer) clockOffset(ctx context.Context) (*time.Duration, error) {
	var chronyErr error
	if g.exists(chronycPath) {
		out, err := g.opts.Run(ctx, chronycPath, "-n", "tracking")
		if err == nil {
			return parseChronyTracking(out)
		}
		// chronyc without chronyd running: timesyncd may keep the time.
		chronyErr = fmt.Errorf("chronyc tracking: %w", err)
	}
	if g.exists(timedatectlPath) {
		out, err := g.opts.Run(ctx, timedatectlPath, "timesync-status", "--no-pager")
		if err != nil {
			return nil, fmt.Errorf("timedatectl timesync-status: %w", err)
		}
		return parseTimesyncStatus(out)
	}
	return nil, chronyErr
}

// securityUpdates reads the count Ubuntu's update-notifier keeps.
func (g *gatherer) securityUpdates(context.Context) (*int, error) {
	b, err := g.readFile(updatesAvailableAt, 64<<10)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", updatesAvailableAt, err)
	}
	return parseUpdatesAvailable(b)
}

// securityUpdatesSlow simulates an upgrade with apt, or lists dnf's
// security advisories from its cache (-C: no network).
func (g *gatherer) securityUpdatesSlow(ctx context.Context) (*int, error) {
	switch {
	case g.exists(aptGetPath):
		out, err := g.opts.Run(ctx, aptGetPath, "-s", "-q", "-o", "Debug::NoLocking=1", "dist-upgrade")
		if err != nil {
			return nil, fmt.Errorf("apt-get -s dist-upgrade: %w", err)
		}
		return ptr(parseAptSimulate(out)), nil
	case g.exists(dnfPath):
		out, err := g.opts.Run(ctx, dnfPath, "-C", "-q", "updateinfo", "list", "--security")
		if err != nil {
			return nil, fmt.Errorf("dnf updateinfo: %w", err)
		}
		return ptr(parseDnfSecurity(out)), nil
	}
	return nil, nil
}

// batteryHealth reads the batteries in sysfs: the most worn one counts.
// A machine with none is a desktop.
func (g *gatherer) batteryHealth(context.Context) (batteryState, error) {
	entries, err := os.ReadDir(g.path(powerSupplyDir))
	if errors.Is(err, os.ErrNotExist) {
		return batteryState{none: true}, nil
	}
	if err != nil {
		return batteryState{}, fmt.Errorf("listing batteries: %w", err)
	}
	var worst *float64
	found := false
	for _, e := range entries {
		val := func(f string) string {
			b, _ := g.readFile(powerSupplyDir+"/"+e.Name()+"/"+f, 64)
			return strings.TrimSpace(string(b))
		}
		// Device scope is a mouse or a headset, not the machine's battery.
		if val("type") != "Battery" || val("scope") == "Device" {
			continue
		}
		found = true
		num := func(f string) float64 { v, _ := strconv.ParseFloat(val(f), 64); return v }
		full, design := num("energy_full"), num("energy_full_design")
		if full == 0 || design == 0 {
			full, design = num("charge_full"), num("charge_full_design")
		}
		b, err := capacityHealth(full, design, e.Name())
		if err == nil && (worst == nil || *b.healthPct < *worst) {
			worst = b.healthPct
		}
	}
	switch {
	case !found:
		return batteryState{none: true}, nil
	case worst == nil:
		return batteryState{}, errors.New("no battery reports its full and design capacity")
	}
	return batteryState{healthPct: worst}, nil
}

// extraBackup is Timeshift's newest snapshot, when it is configured and
// its backup device is mounted. The snapshot's software section knows
// only backup agents with a CLI of their own.
func (g *gatherer) extraBackup(context.Context) *time.Time {
	if !g.exists(timeshiftConf) {
		return nil
	}
	var newestAt *time.Time
	for _, dir := range timeshiftDirs() {
		entries, err := os.ReadDir(g.path(dir))
		if err != nil {
			continue
		}
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			if e.IsDir() {
				names = append(names, e.Name())
			}
		}
		if t, ok := newestTimeshift(names, time.Local); ok {
			newestAt = newest(newestAt, &t)
		}
	}
	return newestAt
}
