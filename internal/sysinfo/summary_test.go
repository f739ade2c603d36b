package sysinfo

import (
	"strings"
	"testing"
)

func TestSummaryAnswersTheFirstQuestions(t *testing.T) {
	sum := fixtureSnapshot().Summary()
	want := []string{
		"Computer  LAPTOP-42 · Debian GNU/Linux 12 (bookworm) · LENOVO 21HD",
		"User      jane · up 3 days 4 h",
		"Memory    6.1 GB of 16.5 GB used (37%)",
		"/ 4% free of 476 GB (!)",
		"81% discharging, health 62% (!) worn",
		"wlp0s20f3 192.168.1.23 · gateway 192.168.1.1 · DNS 192.168.1.1",
		"VPN wg0 (WireGuard)",
		"Help ID   TeamViewer 1 234 567 890",
		"LUKS off (!)",
		"ufw on",
		"Veeam Agent, last backup 2 days 2 h ago",
		"firefox-esr 92% CPU",
		"java 2.4 GB memory",
		"1 service failed (cups.service)",
		"1 crash in 7 days (thunderbird)",
		"Missing   software partial",
	}
	for _, w := range want {
		if !strings.Contains(sum, w) {
			t.Errorf("summary lacks %q", w)
		}
	}
	lines := strings.Split(strings.TrimSpace(sum), "\n")
	if len(lines) > 14 {
		t.Errorf("summary has %d lines; it must be readable in ten seconds", len(lines))
	}
	for _, l := range lines {
		if len([]rune(l)) > 160 {
			t.Errorf("line too long (%d): %s", len(l), l)
		}
	}
	t.Log("\n" + sum)
}

func TestSummaryOfEmptySnapshot(t *testing.T) {
	s := &Snapshot{Sections: []SectionInfo{{Name: SectionHost, Status: StatusTimeout}}}
	if got := strings.TrimSpace(s.Summary()); got != "Missing   host timeout" {
		t.Errorf("got %q", got)
	}
}

func TestDetailHasEverySection(t *testing.T) {
	d := fixtureSnapshot().Detail()
	for _, w := range []string{"Host\n", "Hardware\n", "Network\n", "Processes (312 running)", "Problems\n", "Workplace software\n",
		"Serial number:", "PF4XYZ12", "Disk /home/jdoe/data:", "Gateway:", "192.168.1.1 via wlp0s20f3", "ID 1 234 567 890", "Crash:"} {
		if !strings.Contains(d, w) {
			t.Errorf("detail lacks %q", w)
		}
	}
}
