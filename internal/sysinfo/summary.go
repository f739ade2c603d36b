package sysinfo

import (
	"fmt"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/sysinfo/software"
)

// The thresholds the summary flags with "(!)": what a helpdesk agent would
// ask about first.
const (
	lowDiskPercent     = 10
	highMemoryPercent  = 90
	wornBatteryPercent = 70
	longUptime         = 14 * 24 * time.Hour
)

// Summary is the short text at the top of a ticket: the answers to the
// first questions of every helpdesk call, one topic a line, readable in ten
// seconds. Lines with nothing to say are left out.
func (s *Snapshot) Summary() string {
	var b strings.Builder
	line := func(label, text string) {
		if text != "" {
			fmt.Fprintf(&b, "%-9s %s\n", label, text)
		}
	}
	if h := s.Host; h != nil {
		line("Computer", joinNonEmpty(" · ", h.Hostname, h.OS, joinNonEmpty(" ", h.Manufacturer, h.Model), h.Virtualization))
		line("User", joinNonEmpty(" · ", h.User, uptimeText(h, s.TakenAt)))
	}
	if hw := s.Hardware; hw != nil {
		line("CPU", cpuText(hw, s.Processes))
		line("Memory", memoryText(hw))
		line("Disk", disksText(hw.Disks))
		line("Battery", batteriesText(hw.Batteries))
	}
	if n := s.Network; n != nil {
		line("Network", networkText(n))
	}
	if sw := s.Software; sw != nil {
		line("Help ID", remoteHelpText(sw))
		line("Security", securityText(sw))
		line("Backup", backupText(sw, s.TakenAt))
	}
	if p := s.Processes; p != nil {
		line("Busy", busyText(p))
	}
	if p := s.Problems; p != nil {
		line("Problems", problemsText(p))
	}
	line("Missing", incompleteText(s.Sections))
	return b.String()
}

func uptimeText(h *Host, now time.Time) string {
	if h.UptimeSeconds == 0 {
		return ""
	}
	up := time.Duration(h.UptimeSeconds) * time.Second
	t := "up " + Ago(up)
	if !h.BootTime.IsZero() {
		t += " (since " + h.BootTime.Format("2006-01-02 15:04 MST") + ")"
	}
	if up > longUptime {
		t += " (!) not restarted in a long time"
	}
	return t
}

func cpuText(hw *Hardware, p *Processes) string {
	t := hw.CPU.Model
	if hw.CPU.Threads > 0 {
		t = joinNonEmpty(", ", t, plural(hw.CPU.Threads, "thread"))
	}
	if p != nil && len(p.Load) == 3 {
		t += fmt.Sprintf(" · load %.2f %.2f %.2f", p.Load[0], p.Load[1], p.Load[2])
	}
	return t
}

func memoryText(hw *Hardware) string {
	m := hw.Memory
	if m.Total == 0 {
		return ""
	}
	t := fmt.Sprintf("%s of %s used (%s)", Bytes(m.Used), Bytes(m.Total), pct(m.UsedPercent))
	if m.UsedPercent >= highMemoryPercent {
		t += " (!)"
	}
	if hw.Swap.Total > 0 && hw.Swap.Used > 0 {
		t += fmt.Sprintf(" · swap %s used", Bytes(hw.Swap.Used))
	}
	return t
}

func disksText(disks []Disk) string {
	var parts []string
	for _, d := range disks {
		t := fmt.Sprintf("%s %s free of %s", d.Mount, pct(d.FreePercent), Bytes(d.Total))
		if d.FreePercent < lowDiskPercent {
			t += " (!)"
		}
		parts = append(parts, t)
		if len(parts) == 3 {
			break
		}
	}
	if more := len(disks) - len(parts); more > 0 {
		parts = append(parts, fmt.Sprintf("+%d more", more))
	}
	return strings.Join(parts, " · ")
}

func batteriesText(list []Battery) string {
	var parts []string
	for _, b := range list {
		t := fmt.Sprintf("%s %s", pct(b.Percent), b.State)
		if b.HealthPercent > 0 {
			t += ", health " + pct(b.HealthPercent)
			if b.HealthPercent < wornBatteryPercent {
				t += " (!) worn"
			}
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, " · ")
}

func networkText(n *Network) string {
	var parts []string
	if name, addr := n.primaryAddress(); addr != "" {
		parts = append(parts, name+" "+addr)
	} else {
		parts = append(parts, "no IPv4 address (!)")
	}
	if len(n.Gateways) > 0 {
		parts = append(parts, "gateway "+n.Gateways[0].Address)
	} else {
		parts = append(parts, "no default gateway (!)")
	}
	if len(n.DNSServers) > 0 {
		parts = append(parts, "DNS "+strings.Join(firstN(n.DNSServers, 2), ", "))
	}
	for _, w := range n.WiFi {
		t := "Wi-Fi"
		if w.SSID != "" {
			t += fmt.Sprintf(" %q", w.SSID)
		}
		if w.SignalPercent > 0 {
			t += " " + pct(float64(w.SignalPercent))
		}
		parts = append(parts, t)
	}
	if len(n.VPN) > 0 {
		parts = append(parts, "VPN "+strings.Join(n.VPN, ", "))
	}
	return strings.Join(parts, " · ")
}

func remoteHelpText(r *software.Report) string {
	var parts []string
	for _, it := range r.Items {
		if it.Kind != software.KindRemoteHelp || !it.Installed {
			continue
		}
		switch {
		case it.ID != "":
			parts = append(parts, it.Name+" "+it.ID)
		case it.Enabled != nil:
			parts = append(parts, it.Name+" "+onOff(*it.Enabled))
		default:
			parts = append(parts, it.Name+" (no ID)")
		}
	}
	return strings.Join(parts, " · ")
}

func securityText(r *software.Report) string {
	var parts []string
	for _, it := range r.Items {
		switch it.Kind {
		case software.KindSecurity:
			t := it.Name
			if it.Enabled != nil && !*it.Enabled {
				t += " off (!)"
			}
			if it.Definitions != nil {
				t += " (definitions " + it.Definitions.Format("2006-01-02") + ")"
			}
			parts = append(parts, t)
		case software.KindFirewall, software.KindEncryption:
			if it.Enabled != nil {
				t := it.Name + " " + onOff(*it.Enabled)
				if !*it.Enabled {
					t += " (!)"
				}
				parts = append(parts, t)
			}
		}
	}
	return strings.Join(parts, " · ")
}

func backupText(r *software.Report, now time.Time) string {
	var parts []string
	for _, it := range r.Items {
		if it.Kind != software.KindBackup || !it.Installed {
			continue
		}
		t := it.Name
		if it.LastBackup != nil {
			t += ", last backup " + Ago(now.Sub(*it.LastBackup)) + " ago"
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, " · ")
}

func busyText(p *Processes) string {
	var parts []string
	for _, pr := range firstNProc(p.TopCPU, 2) {
		if pr.CPUPercent >= 5 {
			parts = append(parts, fmt.Sprintf("%s %s CPU", pr.Name, pct(pr.CPUPercent)))
		}
	}
	for _, pr := range firstNProc(p.TopMemory, 1) {
		parts = append(parts, fmt.Sprintf("%s %s memory", pr.Name, Bytes(pr.RSS)))
	}
	return strings.Join(parts, " · ")
}

func problemsText(p *Problems) string {
	var parts []string
	if n := len(p.FailedUnits); n > 0 {
		parts = append(parts, fmt.Sprintf("%s failed (%s)", plural(n, "service"), strings.Join(firstN(p.FailedUnits, 3), ", ")))
	}
	if n := len(p.Crashes); n > 0 {
		var progs []string
		for _, c := range p.Crashes {
			if !containsString(progs, c.Program) {
				progs = append(progs, c.Program)
			}
		}
		parts = append(parts, fmt.Sprintf("%s in 7 days (%s)", plural(n, "crash"), strings.Join(firstN(progs, 3), ", ")))
	}
	return strings.Join(parts, " · ")
}

func incompleteText(infos []SectionInfo) string {
	var parts []string
	for _, in := range infos {
		if in.Status == StatusFailed || in.Status == StatusTimeout || in.Status == StatusPartial {
			parts = append(parts, fmt.Sprintf("%s %s", in.Name, in.Status))
		}
	}
	return strings.Join(parts, " · ")
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func firstN(list []string, n int) []string {
	if len(list) > n {
		return list[:n]
	}
	return list
}

func firstNProc(list []Process, n int) []Process {
	if len(list) > n {
		return list[:n]
	}
	return list
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
