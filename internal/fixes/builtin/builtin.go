// Package builtin holds the fixes Firstline ships with, for Linux, Windows
// and macOS. Every OS's list is built by an ordinary function from a
// [fixes.Platform], so the tests on Linux check the exact commands of all
// three; the per-OS files only pick the list for the running OS.
package builtin

import (
	"os"
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
)

// For returns the built-in fixes for p.GOOS, validated by the tests; an OS
// without built-ins gets none.
func For(p fixes.Platform) []fixes.Fix {
	switch p.GOOS {
	case fixes.Linux:
		return linuxFixes()
	case fixes.Windows:
		return windowsFixes(p)
	case fixes.Darwin:
		return darwinFixes()
	}
	return nil
}

// Current returns the built-in fixes for the OS the program runs on.
func Current() []fixes.Fix {
	return For(fixes.PlatformFor(goos, os.Getenv))
}

// The IDs of the built-in fixes. Fixes doing the same job on different
// OSes share an ID, so admin files, health checks and documentation can
// name "flush-dns" once.
const (
	FlushDNS         = "flush-dns"
	RenewNetwork     = "renew-network"
	ResyncClock      = "resync-clock"
	ClearPrintQueue  = "clear-print-queue"
	FreeDiskSpace    = "free-disk-space"
	SecurityUpdates  = "security-updates"
	RestartAudio     = "restart-audio"
	ClearTeamsCache  = "clear-teams-cache"
	ClearSlackCache  = "clear-slack-cache"
	ClearZoomCache   = "clear-zoom-cache"
	RestartOneDrive  = "restart-onedrive"
	RestartGoogleDrv = "restart-google-drive"
	BackupNow        = "backup-now"
	UpdateAntivirus  = "update-antivirus"
)

// daysParam is the age parameter of the disk clean-up fixes.
func daysParam() fixes.Param {
	return fixes.Param{Name: "days", Label: "Delete temporary files older than (days)",
		Kind: fixes.ParamInt, Min: 1, Max: 90, Default: "7"}
}

// electronCache lists the cache folders an Electron app (Slack, Teams
// classic) keeps under its data folder dir. They hold downloaded copies of
// what the server has anyway; sign-in and settings live elsewhere.
func electronCache(dir string) []string {
	return []string{dir + "/Cache", dir + "/Code Cache", dir + "/GPUCache", dir + "/Service Worker/CacheStorage"}
}

const (
	cacheNext = "If the app still misbehaves, sign out of it and back in. If that does not help, choose \"Get help\"."
	netNext   = "Turn Wi-Fi off and on, or unplug and replug the network cable. If other people around you are offline too, it is the network: choose \"Get help\"."
	minute    = time.Minute
)
