package measure

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// rebootKeys are the registry keys Windows creates while an update waits
// for a restart: Component Based Servicing for cumulative updates and
// features, Windows Update's agent for the rest. PendingFileRenameOperations
// is left out on purpose: installers of every kind leave entries there that
// a restart does not clear, so it would nag forever.
func rebootKeys() []string {
	return []string{
		`SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending`,
		`SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired`,
	}
}

// psSecurityUpdates counts the security updates Windows Update offers and
// are not installed. The search asks the update server: slow, and only
// with Options.Slow.
const psSecurityUpdates = `$ErrorActionPreference='Stop';` +
	`$s=(New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher();` +
	`$r=$s.Search("IsInstalled=0 and IsHidden=0 and Type='Software'");$n=0;` +
	`foreach($u in $r.Updates){foreach($c in $u.Categories){if($c.CategoryID -eq '0fa1201d-4330-4fa8-8ae9-b877473b6441'){$n++;break}}};$n`

// psBattery reports the batteries' full charge and design capacity from
// the battery driver's WMI classes; Win32_Battery counts them.
const psBattery = `$ErrorActionPreference='Stop';` +
	`$n=@(Get-CimInstance Win32_Battery).Count;$f=$null;$d=$null;` +
	`if($n -gt 0){$f=(Get-CimInstance -Namespace root/wmi -ClassName BatteryFullChargedCapacity|Measure-Object FullChargedCapacity -Sum).Sum;` +
	`$d=(Get-CimInstance -Namespace root/wmi -ClassName BatteryStaticData|Measure-Object DesignedCapacity -Sum).Sum};` +
	`ConvertTo-Json -Compress @{Batteries=$n;Full=$f;Design=$d}`

func systemRoot() string  { return envOr("SystemRoot", `C:\Windows`) }
func systemDrive() string { return envOr("SystemDrive", `C:`) }

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func (g *gatherer) powershell(ctx context.Context, script string) ([]byte, error) {
	ps := filepath.Join(systemRoot(), `System32\WindowsPowerShell\v1.0\powershell.exe`)
	return g.opts.Run(ctx, ps, "-NoProfile", "-NonInteractive", "-Command", script)
}

// diskFree is the system drive's space free for the caller, of the whole.
func (g *gatherer) diskFree(context.Context) (float64, string, error) {
	drive := strings.TrimRight(systemDrive(), `\`)
	p, err := windows.UTF16PtrFromString(drive + `\`)
	if err != nil {
		return 0, "", err
	}
	var avail, total, free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &total, &free); err != nil {
		return 0, "", fmt.Errorf("GetDiskFreeSpaceEx %s: %w", drive, err)
	}
	if total == 0 {
		return 0, "", fmt.Errorf("%s reports no size", drive)
	}
	return 100 * float64(avail) / float64(total), drive, nil
}

func (g *gatherer) osUptime(context.Context) (time.Duration, error) {
	return windows.DurationSinceBoot(), nil
}

func (g *gatherer) pendingReboot(context.Context) (*bool, error) {
	for _, k := range rebootKeys() {
		key, err := registry.OpenKey(registry.LOCAL_MACHINE, k, registry.QUERY_VALUE)
		if err == nil {
			key.Close()
			return ptr(true), nil
		}
		if !errors.Is(err, registry.ErrNotExist) {
			return nil, fmt.Errorf("reading HKLM\\%s: %w", k, err)
		}
	}
	return ptr(false), nil
}

// clockOffset asks the time service for its last measured offset; it
// does not contact the time server itself.
func (g *gatherer) clockOffset(ctx context.Context) (*time.Duration, error) {
	out, err := g.opts.Run(ctx, filepath.Join(systemRoot(), `System32\w32tm.exe`), "/query", "/status", "/verbose")
	if err != nil {
		return nil, fmt.Errorf("w32tm /query /status: %w", err)
	}
	return parseW32tmStatus(out)
}

// securityUpdates has no cheap source on Windows: the count needs a
// search of Windows Update (securityUpdatesSlow).
func (g *gatherer) securityUpdates(context.Context) (*int, error) { return nil, nil }

func (g *gatherer) securityUpdatesSlow(ctx context.Context) (*int, error) {
	if g.opts.Offline {
		return nil, nil
	}
	out, err := g.powershell(ctx, psSecurityUpdates)
	if err != nil {
		return nil, fmt.Errorf("searching Windows Update: %w", err)
	}
	return parseCount(out, "Windows Update")
}

func (g *gatherer) batteryHealth(ctx context.Context) (batteryState, error) {
	out, err := g.powershell(ctx, psBattery)
	if err != nil {
		return batteryState{}, fmt.Errorf("reading the battery: %w", err)
	}
	return parseWMIBattery(out)
}

// extraBackup: the snapshot's software section covers Windows' backup
// agents (File History, Veeam).
func (g *gatherer) extraBackup(context.Context) *time.Time { return nil }
