package measure

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// macOS sources.
const (
	sntpPath     = "/usr/bin/sntp"
	defaultsPath = "/usr/bin/defaults"
	ioregPath    = "/usr/sbin/ioreg"
	// timeServer is the server macOS itself syncs with by default.
	timeServer = "time.apple.com"
	// softwareUpdatePrefs is where softwareupdate's background check
	// leaves its findings.
	softwareUpdatePrefs = "/Library/Preferences/com.apple.SoftwareUpdate"
)

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
	tv, err := unix.SysctlTimeval("kern.boottime")
	if err != nil {
		return 0, fmt.Errorf("sysctl kern.boottime: %w", err)
	}
	boot := time.Unix(tv.Unix())
	return max(g.now.Sub(boot), 0), nil
}

// pendingReboot: macOS keeps no flag a program can read for an update
// waiting on a restart (softwareupdate restarts on its own schedule), so
// the check stays unknown rather than guessing.
func (g *gatherer) pendingReboot(context.Context) (*bool, error) { return nil, nil }

// clockOffset asks Apple's time server with one sntp query; timed's own
// offset is not published. Skipped offline.
func (g *gatherer) clockOffset(ctx context.Context) (*time.Duration, error) {
	if g.opts.Offline {
		return nil, nil
	}
	out, err := g.opts.Run(ctx, sntpPath, "-t", "1", timeServer)
	if err != nil {
		return nil, fmt.Errorf("sntp: %w", err)
	}
	return parseSntp(out)
}

// securityUpdates reads what softwareupdate's background check found.
// macOS does not mark which recommended updates are security ones; nearly
// all are, so every recommended update counts.
func (g *gatherer) securityUpdates(ctx context.Context) (*int, error) {
	out, err := g.opts.Run(ctx, defaultsPath, "read", softwareUpdatePrefs, "LastRecommendedUpdatesAvailable")
	if err != nil {
		return nil, fmt.Errorf("reading softwareupdate's findings: %w", err)
	}
	return parseDefaultsInt(out)
}

// securityUpdatesSlow: `softwareupdate -l` takes a minute and asks
// Apple's servers; the background check's count (securityUpdates) is what
// the health check uses.
func (g *gatherer) securityUpdatesSlow(context.Context) (*int, error) { return nil, nil }

func (g *gatherer) batteryHealth(ctx context.Context) (batteryState, error) {
	out, err := g.opts.Run(ctx, ioregPath, "-r", "-c", "AppleSmartBattery")
	if err != nil {
		return batteryState{}, fmt.Errorf("ioreg: %w", err)
	}
	return parseIoregBattery(out)
}

// extraBackup: Time Machine is in the snapshot's software section.
func (g *gatherer) extraBackup(context.Context) *time.Time { return nil }
