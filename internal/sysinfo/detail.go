package sysinfo

import (
	"fmt"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/sysinfo/software"
)

// Detail is the full snapshot as text: every section with every field,
// for the attachment below the summary.
func (s *Snapshot) Detail() string {
	w := &detailWriter{}
	w.head("Snapshot")
	w.kv("Taken", s.TakenAt.Format(time.RFC3339))
	w.kv("Took", fmt.Sprintf("%d ms", s.Duration))
	for _, in := range s.Sections {
		w.kv("Section "+string(in.Name), joinNonEmpty(": ", fmt.Sprintf("%s (%d ms)", in.Status, in.Duration), in.Error))
	}
	if len(s.Redacted) > 0 {
		w.kv("Redacted", strings.Join(s.Redacted, ", "))
	}
	if h := s.Host; h != nil {
		w.head("Host")
		w.kv("Hostname", h.Hostname)
		w.kv("OS", h.OS)
		w.kv("Platform", joinNonEmpty(" ", h.Family, h.Platform, h.Version))
		w.kv("Kernel", joinNonEmpty(" ", h.Kernel, h.Arch))
		w.kv("Machine", joinNonEmpty(" ", h.Manufacturer, h.Model))
		w.kv("Serial number", h.SerialNumber)
		w.kv("Virtualization", h.Virtualization)
		if !h.BootTime.IsZero() {
			w.kv("Booted", h.BootTime.Format(time.RFC3339)+" (up "+Ago(time.Duration(h.UptimeSeconds)*time.Second)+")")
		}
		w.kv("Time zone", h.Timezone)
		w.kv("User", joinNonEmpty(" ", h.User, parens(h.UserID)))
		w.kv("Logged in", strings.Join(h.LoggedInUsers, ", "))
	}
	if hw := s.Hardware; hw != nil {
		w.hardware(hw)
	}
	if n := s.Network; n != nil {
		w.network(n)
	}
	if p := s.Processes; p != nil {
		w.processes(p)
	}
	if p := s.Problems; p != nil {
		w.head("Problems")
		w.kv("Failed services", strings.Join(p.FailedUnits, ", "))
		for _, c := range p.Crashes {
			w.kv("Crash", fmt.Sprintf("%s (%s) %s", c.Program, c.Kind, c.At.Format(time.RFC3339)))
		}
		for _, n := range p.Notes {
			w.kv("Note", n)
		}
	}
	if sw := s.Software; sw != nil {
		w.software(sw)
	}
	return w.String()
}

type detailWriter struct{ strings.Builder }

func (w *detailWriter) head(title string) {
	if w.Len() > 0 {
		w.WriteString("\n")
	}
	w.WriteString(title + "\n")
}

func (w *detailWriter) kv(k, v string) {
	if v != "" {
		fmt.Fprintf(w, "  %-16s %s\n", k+":", v)
	}
}

func (w *detailWriter) hardware(hw *Hardware) {
	w.head("Hardware")
	w.kv("CPU", joinNonEmpty(", ", hw.CPU.Model, plural(hw.CPU.Cores, "core"), plural(hw.CPU.Threads, "thread"), mhz(hw.CPU.MHz)))
	w.kv("Memory", fmt.Sprintf("%s used of %s (%s), %s available", Bytes(hw.Memory.Used), Bytes(hw.Memory.Total), pct(hw.Memory.UsedPercent), Bytes(hw.Memory.Available)))
	w.kv("Swap", fmt.Sprintf("%s used of %s", Bytes(hw.Swap.Used), Bytes(hw.Swap.Total)))
	for _, d := range hw.Disks {
		ro := ""
		if d.ReadOnly {
			ro = ", read-only"
		}
		w.kv("Disk "+d.Mount, fmt.Sprintf("%s free of %s (%s), %s on %s%s", Bytes(d.Free), Bytes(d.Total), pct(d.FreePercent), d.FS, d.Device, ro))
	}
	for _, b := range hw.Batteries {
		t := fmt.Sprintf("%s, %s", pct(b.Percent), b.State)
		if b.HealthPercent > 0 {
			t += ", health " + pct(b.HealthPercent)
		}
		if b.CycleCount > 0 {
			t += fmt.Sprintf(", %d cycles", b.CycleCount)
		}
		w.kv("Battery "+b.Name, t)
	}
}

func (w *detailWriter) network(n *Network) {
	w.head("Network")
	for _, it := range n.Interfaces {
		w.kv(it.Name, joinNonEmpty(" ", strings.Join(it.Addresses, " "), parens(it.MAC), vpnLabel(it.VPN)))
	}
	for _, g := range n.Gateways {
		w.kv("Gateway", joinNonEmpty(" via ", g.Address, g.Interface))
	}
	w.kv("DNS servers", strings.Join(n.DNSServers, ", "))
	w.kv("DNS search", strings.Join(n.DNSSearch, ", "))
	for _, wf := range n.WiFi {
		t := joinNonEmpty(" ", quoteIf(wf.SSID), wf.Interface)
		if wf.SignalPercent > 0 {
			t += fmt.Sprintf(", signal %d%%", wf.SignalPercent)
		}
		if wf.SignalDBm != 0 {
			t += fmt.Sprintf(" (%d dBm)", wf.SignalDBm)
		}
		w.kv("Wi-Fi", t)
	}
	w.kv("VPN", strings.Join(n.VPN, ", "))
	for _, note := range n.Notes {
		w.kv("Note", note)
	}
}

func (w *detailWriter) processes(p *Processes) {
	w.head(fmt.Sprintf("Processes (%d running)", p.Count))
	if len(p.Load) == 3 {
		w.kv("Load", fmt.Sprintf("%.2f %.2f %.2f", p.Load[0], p.Load[1], p.Load[2]))
	}
	list := func(title string, rows []Process) {
		w.WriteString(fmt.Sprintf("  %s\n", title))
		for _, r := range rows {
			fmt.Fprintf(w, "    %7d  %6s  %9s  %-10s %s\n", r.PID, pct(r.CPUPercent), Bytes(r.RSS), truncate(r.User, 10), joinNonEmpty("  ", r.Name, truncate(r.Command, 100)))
		}
	}
	list(fmt.Sprintf("Top by CPU (over %d ms; %% of one core):", p.CPUWindow), p.TopCPU)
	list("Top by memory:", p.TopMemory)
}

func (w *detailWriter) software(r *software.Report) {
	w.head("Workplace software")
	for _, it := range r.Items {
		var facts []string
		if !it.Installed && it.Enabled == nil {
			facts = append(facts, "not installed")
		}
		facts = append(facts, it.Version)
		if it.ID != "" {
			facts = append(facts, "ID "+it.ID)
		}
		if it.Enabled != nil {
			facts = append(facts, onOff(*it.Enabled))
		}
		if it.Running != nil {
			facts = append(facts, map[bool]string{true: "running", false: "not running"}[*it.Running])
		}
		if it.Definitions != nil {
			facts = append(facts, "definitions "+it.Definitions.Format(time.RFC3339))
		}
		if it.LastBackup != nil {
			facts = append(facts, "last backup "+it.LastBackup.Format(time.RFC3339))
		}
		facts = append(facts, it.Detail)
		if it.Error != "" {
			facts = append(facts, "error: "+it.Error)
		}
		w.kv(it.Name, joinNonEmpty(", ", facts...))
	}
}

func mhz(f float64) string {
	if f <= 0 {
		return ""
	}
	return fmt.Sprintf("%.0f MHz", f)
}

func parens(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

func quoteIf(s string) string {
	if s == "" {
		return ""
	}
	return fmt.Sprintf("%q", s)
}

func vpnLabel(kind string) string {
	if kind == "" {
		return ""
	}
	return "[VPN " + kind + "]"
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
