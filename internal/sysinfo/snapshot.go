package sysinfo

import (
	"time"

	"github.com/firstline-it/firstline/internal/sysinfo/netconf"
	"github.com/firstline-it/firstline/internal/sysinfo/software"
)

// SchemaVersion is the version of the JSON form of Snapshot. It changes only
// when a field is removed or changes meaning; new fields keep the version,
// so readers must ignore fields they do not know.
const SchemaVersion = 1

// Snapshot is what Firstline knows about this computer at one moment: what
// every report carries and the This computer page shows. A section is nil
// when it was not collected; Sections says why (not configured, failed,
// timed out).
type Snapshot struct {
	Schema   int           `json:"schema"`
	TakenAt  time.Time     `json:"taken_at"`
	Duration Millis        `json:"duration_ms"`
	Sections []SectionInfo `json:"sections"`
	// Redacted lists the redaction rules applied, so a reader knows a
	// missing MAC address was removed on purpose.
	Redacted []string `json:"redacted,omitempty"`

	Host      *Host            `json:"host,omitempty"`
	Hardware  *Hardware        `json:"hardware,omitempty"`
	Network   *Network         `json:"network,omitempty"`
	Processes *Processes       `json:"processes,omitempty"`
	Problems  *Problems        `json:"problems,omitempty"`
	Software  *software.Report `json:"software,omitempty"`
}

// SectionInfo is how the collection of one section went.
type SectionInfo struct {
	Name     Section `json:"name"`
	Status   Status  `json:"status"`
	Duration Millis  `json:"duration_ms"`
	// Error says what went wrong, in words an IT person can act on. A
	// section with status ok may still carry a partial error ("battery:
	// permission denied") when only part of it failed.
	Error string `json:"error,omitempty"`
}

// Status is the outcome of collecting a section.
type Status string

// The outcomes of a section.
const (
	StatusOK      Status = "ok"
	StatusPartial Status = "partial"
	StatusFailed  Status = "failed"
	StatusTimeout Status = "timeout"
	StatusSkipped Status = "skipped" // not asked for, or turned off by IT
)

// Host identifies the machine and its operating system.
type Host struct {
	Hostname       string    `json:"hostname"`
	OS             string    `json:"os"`        // "Debian GNU/Linux 12 (bookworm)", "Windows 11 Pro 23H2"
	Family         string    `json:"family"`    // linux, windows, darwin
	Platform       string    `json:"platform"`  // debian, ubuntu, fedora, Microsoft Windows 11 Pro
	Version        string    `json:"version"`   // 12.7, 10.0.22631, 14.5
	Kernel         string    `json:"kernel"`    // 6.1.0-26-amd64
	Arch           string    `json:"arch"`      // x86_64, arm64
	BootTime       time.Time `json:"boot_time"` // from the kernel, not the clock of the request
	UptimeSeconds  uint64    `json:"uptime_seconds"`
	Virtualization string    `json:"virtualization,omitempty"` // "kvm guest", "" on bare metal
	Manufacturer   string    `json:"manufacturer,omitempty"`
	Model          string    `json:"model,omitempty"`
	SerialNumber   string    `json:"serial_number,omitempty" redact:"serials"`
	User           string    `json:"user,omitempty"`    // the employee asking (from the kernel's peer credentials)
	UserID         string    `json:"user_id,omitempty"` // uid or SID
	LoggedInUsers  []string  `json:"logged_in_users,omitempty"`
	Timezone       string    `json:"timezone,omitempty"`
}

// Hardware is CPU, memory, storage and power.
type Hardware struct {
	CPU       CPU       `json:"cpu"`
	Memory    Memory    `json:"memory"`
	Swap      Memory    `json:"swap"`
	Disks     []Disk    `json:"disks"`
	Batteries []Battery `json:"batteries,omitempty"`
}

// CPU describes the processor.
type CPU struct {
	Model   string  `json:"model"`
	Cores   int     `json:"cores"`   // physical
	Threads int     `json:"threads"` // logical
	MHz     float64 `json:"mhz,omitempty"`
}

// Memory is RAM or swap use in bytes.
type Memory struct {
	Total       uint64  `json:"total"`
	Used        uint64  `json:"used"`
	Available   uint64  `json:"available,omitempty"`
	UsedPercent float64 `json:"used_percent"`
}

// Disk is one mounted file system.
type Disk struct {
	Mount       string  `json:"mount"`
	Device      string  `json:"device"`
	FS          string  `json:"fs"`
	Total       uint64  `json:"total"`
	Free        uint64  `json:"free"`
	FreePercent float64 `json:"free_percent"`
	ReadOnly    bool    `json:"read_only,omitempty"`
}

// Battery is one battery's charge and wear.
type Battery struct {
	Name    string  `json:"name"`
	Percent float64 `json:"percent"`
	State   string  `json:"state"` // charging, discharging, full, not charging, unknown
	// HealthPercent is the full charge capacity against the design
	// capacity: a worn battery reads 60.
	HealthPercent float64 `json:"health_percent,omitempty"`
	CycleCount    int     `json:"cycle_count,omitempty"`
}

// Network is how this machine is connected.
type Network struct {
	Interfaces []Interface       `json:"interfaces"`
	Gateways   []netconf.Gateway `json:"gateways"`
	DNSServers []string          `json:"dns_servers"`
	DNSSearch  []string          `json:"dns_search,omitempty"`
	WiFi       []netconf.WiFi    `json:"wifi,omitempty"`
	// VPN names the interfaces that look like a VPN tunnel, with the kind
	// ("WireGuard", "OpenVPN"); empty when none is up.
	VPN []string `json:"vpn,omitempty"`
	// Notes says what could not be read (no Wi-Fi tool, DNS unreadable)
	// without failing the section.
	Notes []string `json:"notes,omitempty"`
}

// Interface is one network interface that is up, loopback excluded.
type Interface struct {
	Name      string   `json:"name"`
	MAC       string   `json:"mac,omitempty" redact:"macs"`
	Addresses []string `json:"addresses"`
	MTU       int      `json:"mtu,omitempty"`
	VPN       string   `json:"vpn,omitempty"`
}

// Processes is load and the heaviest processes.
type Processes struct {
	Count int `json:"count"`
	// Load is the 1, 5 and 15 minute load average; absent on Windows,
	// which has no such figure.
	Load []float64 `json:"load,omitempty"`
	// CPUWindow is what CPU percentages were measured over: the sampler's
	// last interval in the service, a short wait otherwise.
	CPUWindow Millis    `json:"cpu_window_ms"`
	TopCPU    []Process `json:"top_cpu"`
	TopMemory []Process `json:"top_memory"`
}

// Process is one process as a helpdesk agent wants to see it.
type Process struct {
	PID        int32   `json:"pid"`
	Name       string  `json:"name"`
	User       string  `json:"user,omitempty"`
	CPUPercent float64 `json:"cpu_percent"` // of one core: 200 is two busy cores
	RSS        uint64  `json:"rss"`
	// Command is the command line; arguments often carry tokens, so the
	// cmdline rule masks all but the program.
	Command string `json:"command,omitempty" redact:"cmdline"`
}

// Problems are recent failures the OS recorded, where cheap to read.
type Problems struct {
	// FailedUnits are systemd units in the failed state (Linux).
	FailedUnits []string `json:"failed_units,omitempty"`
	// Crashes are recent crash reports or dumps (last 7 days).
	Crashes []Crash  `json:"crashes,omitempty"`
	Notes   []string `json:"notes,omitempty"`
}

// Crash is one crash report or dump.
type Crash struct {
	Program string    `json:"program"`
	At      time.Time `json:"at"`
	Kind    string    `json:"kind"` // coredump, minidump, panic, crash report
}

// Millis is a duration that marshals as whole milliseconds.
type Millis int64

// MillisOf converts a duration, rounding to the nearest millisecond.
func MillisOf(d time.Duration) Millis { return Millis(d.Round(time.Millisecond) / time.Millisecond) }

// Duration converts back.
func (m Millis) Duration() time.Duration { return time.Duration(m) * time.Millisecond }
