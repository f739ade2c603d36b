package sysinfo

import (
	"time"

	"github.com/firstline-it/firstline/internal/sysinfo/netconf"
	"github.com/firstline-it/firstline/internal/sysinfo/software"
)

// Values the redaction rules must remove, planted in a realistic snapshot.
const (
	secretSerial = "PF4XYZ12"
	secretMAC    = "3c:22:fb:9a:11:e0"
	secretSSID   = "JanesHomeWiFi"
	secretToken  = "ghp_s3cr3tT0k3n"
	secretUser   = "jdoe"
	secretEnv    = "hunter2env"
)

func fixtureSnapshot() *Snapshot {
	on, off := true, false
	taken := time.Date(2026, 11, 23, 10, 40, 0, 0, time.UTC)
	defs := taken.Add(-26 * time.Hour)
	backup := taken.Add(-50 * time.Hour)
	return &Snapshot{
		Schema:   SchemaVersion,
		TakenAt:  taken,
		Duration: 23,
		Sections: []SectionInfo{{Name: SectionHost, Status: StatusOK}, {Name: SectionSoftware, Status: StatusPartial, Error: "veeam: veeamconfig timed out"}},
		Host: &Host{
			Hostname: "LAPTOP-42", OS: "Debian GNU/Linux 12 (bookworm)", Family: "linux", Platform: "debian", Version: "12.7",
			Kernel: "6.1.0-26-amd64", Arch: "x86_64", BootTime: taken.Add(-76 * time.Hour), UptimeSeconds: 76 * 3600,
			Manufacturer: "LENOVO", Model: "21HD", SerialNumber: secretSerial, User: "jane", UserID: "1000",
		},
		Hardware: &Hardware{
			CPU:    CPU{Model: "13th Gen Intel(R) Core(TM) i7-1365U", Cores: 10, Threads: 12},
			Memory: Memory{Total: 16_500_000_000, Used: 6_100_000_000, UsedPercent: 37},
			Disks: []Disk{
				{Mount: "/", Device: "/dev/mapper/vg-root", FS: "ext4", Total: 476_000_000_000, Free: 19_000_000_000, FreePercent: 4},
				{Mount: "/home/" + secretUser + "/data", Device: "/dev/sdb1", FS: "ext4", Total: 1_000_000_000_000, Free: 500_000_000_000, FreePercent: 50},
			},
			Batteries: []Battery{{Name: "BAT0", Percent: 81, State: "discharging", HealthPercent: 62}},
		},
		Network: &Network{
			Interfaces: []Interface{{Name: "wlp0s20f3", MAC: secretMAC, Addresses: []string{"192.168.1.23/24", "fe80::1/64"}}, {Name: "wg0", Addresses: []string{"10.8.0.2/32"}, VPN: "WireGuard"}},
			Gateways:   []netconf.Gateway{{Address: "192.168.1.1", Interface: "wlp0s20f3"}},
			DNSServers: []string{"192.168.1.1"},
			WiFi:       []netconf.WiFi{{Interface: "wlp0s20f3", SSID: secretSSID, SignalPercent: 78}},
			VPN:        []string{"wg0 (WireGuard)"},
			Notes:      []string{"neighbour table lists " + secretMAC},
		},
		Processes: &Processes{
			Count: 312, CPUWindow: 10000, Load: []float64{2.5, 1.2, 0.8},
			TopCPU: []Process{{PID: 4242, Name: "firefox-esr", User: "jane", CPUPercent: 92, RSS: 1_800_000_000,
				Command: "/usr/lib/firefox-esr/firefox-esr --token=" + secretToken + " -profile /home/" + secretUser + "/.mozilla"}},
			TopMemory: []Process{{PID: 77, Name: "java", RSS: 2_400_000_000, Command: "java DB_PASSWORD=" + secretEnv + " -jar /opt/app.jar"}},
		},
		Problems: &Problems{FailedUnits: []string{"cups.service"}, Crashes: []Crash{{Program: "thunderbird", At: taken.Add(-time.Hour), Kind: "coredump"}}},
		Software: &software.Report{Items: []software.Item{
			{Name: "TeamViewer", Kind: software.KindRemoteHelp, Installed: true, Version: "15.59.3", ID: "1 234 567 890"},
			{Name: "ClamAV", Kind: software.KindSecurity, Installed: true, Version: "1.0.7", Definitions: &defs, Running: &on},
			{Name: "ufw", Kind: software.KindFirewall, Installed: true, Enabled: &on},
			{Name: "LUKS", Kind: software.KindEncryption, Installed: true, Enabled: &off},
			{Name: "Veeam Agent", Kind: software.KindBackup, Installed: true, LastBackup: &backup},
		}},
	}
}
