package measure

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/fixes/health"
	"github.com/firstline-it/firstline/internal/sysinfo"
	"github.com/firstline-it/firstline/internal/sysinfo/software"
)

// fakeRun answers commands from recorded output, keyed by the argv joined
// with spaces, and records what was run.
type fakeRun struct {
	mu      sync.Mutex
	answers map[string]string
	errs    map[string]error
	ran     []string
}

func (f *fakeRun) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	key := strings.Join(append([]string{name}, args...), " ")
	f.mu.Lock()
	f.ran = append(f.ran, key)
	f.mu.Unlock()
	if err := f.errs[key]; err != nil {
		return []byte(f.answers[key]), err
	}
	out, ok := f.answers[key]
	if !ok {
		return nil, errors.New("not recorded: " + key)
	}
	return []byte(out), nil
}

func (f *fakeRun) commands() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.ran)
}

func TestGatherFromSnapshot(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	taken := now.Add(-10 * time.Minute)
	snap := &sysinfo.Snapshot{
		TakenAt:  taken,
		Sections: []sysinfo.SectionInfo{{Name: sysinfo.SectionHardware, Status: sysinfo.StatusOK}},
		Host:     &sysinfo.Host{UptimeSeconds: 3 * 24 * 3600},
		Hardware: &sysinfo.Hardware{
			Disks: []sysinfo.Disk{
				{Mount: "/boot", Total: 1e9, FreePercent: 80},
				{Mount: "/", Total: 5e11, FreePercent: 7.26},
			},
			Batteries: []sysinfo.Battery{{Name: "BAT0", HealthPercent: 88}, {Name: "BAT1", HealthPercent: 55.5}},
		},
		Software: &software.Report{Items: []software.Item{
			{Name: "ClamAV", Kind: software.KindSecurity, Installed: true, Enabled: health.Known(false),
				Definitions: health.Known(now.Add(-50 * time.Hour))},
			{Name: "Sophos", Kind: software.KindSecurity, Installed: true, Enabled: health.Known(true),
				Definitions: health.Known(now.Add(-30 * time.Hour))},
			{Name: "Bitdefender", Kind: software.KindSecurity, Installed: false, Enabled: health.Known(false)},
			{Name: "ufw", Kind: software.KindFirewall, Installed: true, Enabled: health.Known(true)},
			{Name: "Veeam Agent", Kind: software.KindBackup, Installed: true, LastBackup: health.Known(now.Add(-9 * 24 * time.Hour))},
		}},
	}
	var looked []string
	var mu sync.Mutex
	in := Gather(context.Background(), Options{
		Root: t.TempDir(), Snapshot: snap, Now: func() time.Time { return now },
		Run: (&fakeRun{}).run,
		Lookup: func(_ context.Context, host string) ([]string, error) {
			mu.Lock()
			looked = append(looked, host)
			mu.Unlock()
			return []string{"192.0.2.7"}, nil
		},
	})
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("disk", deref(in.DiskFreePct), 7.3)
	check("disk path", in.DiskPath, "/")
	check("uptime", deref(in.Uptime), 3*24*time.Hour+10*time.Minute)
	check("battery", deref(in.BatteryHealthPct), 55.5)
	check("no battery", in.NoBattery, false)
	check("av", deref(in.AVEnabled), true)
	check("av defs", deref(in.AVDefinitionsAge), 30*time.Hour)
	check("firewall", deref(in.FirewallOn), true)
	check("backup", deref(in.LastBackupAge), 9*24*time.Hour)
	check("dns", deref(in.DNSOK), true)
	if len(looked) != 1 || looked[0] != DefaultLookupHosts()[0] {
		t.Errorf("looked up %v", looked)
	}
}

func TestGatherSnapshotWithoutBattery(t *testing.T) {
	snap := &sysinfo.Snapshot{
		Sections: []sysinfo.SectionInfo{{Name: sysinfo.SectionHardware, Status: sysinfo.StatusOK}},
		Hardware: &sysinfo.Hardware{},
	}
	in := Gather(context.Background(), Options{Root: t.TempDir(), Snapshot: snap, Offline: true, Run: (&fakeRun{}).run})
	if !in.NoBattery || in.BatteryHealthPct != nil {
		t.Errorf("a complete hardware section without batteries: NoBattery=%v health=%v", in.NoBattery, deref(in.BatteryHealthPct))
	}
}

func TestGatherDNS(t *testing.T) {
	tests := []struct {
		name    string
		offline bool
		lookup  func(context.Context, string) ([]string, error)
		want    any
	}{
		{"works", false, func(context.Context, string) ([]string, error) { return []string{"192.0.2.1"}, nil }, true},
		{"second name answers", false, func(_ context.Context, h string) ([]string, error) {
			if h == DefaultLookupHosts()[0] {
				return nil, errors.New("no such host")
			}
			return []string{"192.0.2.1"}, nil
		}, true},
		{"fails", false, func(context.Context, string) ([]string, error) { return nil, errors.New("server misbehaving") }, false},
		{"hangs", false, func(ctx context.Context, _ string) ([]string, error) { <-ctx.Done(); return nil, ctx.Err() }, false},
		{"offline", true, func(context.Context, string) ([]string, error) { panic("looked up offline") }, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			in := Gather(context.Background(), Options{Root: t.TempDir(), Offline: tc.offline, Lookup: tc.lookup, Run: (&fakeRun{}).run})
			if got := deref(in.DNSOK); got != tc.want {
				t.Errorf("DNSOK = %v, want %v", got, tc.want)
			}
			if el := time.Since(start); el > NetworkBudget+time.Second {
				t.Errorf("took %v, past the network budget", el)
			}
		})
	}
}

func TestFromSoftwareUnknownStaysUnknown(t *testing.T) {
	s := fromSoftware([]software.Item{
		{Name: "ClamAV", Kind: software.KindSecurity, Installed: true},
		{Name: "Firewall", Kind: software.KindFirewall, Error: "nft: permission denied"},
		{Name: "Veeam Agent", Kind: software.KindBackup, Installed: true},
	}, time.Now())
	if s.avEnabled != nil || s.avDefsAge != nil || s.firewallOn != nil || s.backupAge != nil {
		t.Errorf("guessed: %+v", s)
	}
	s = fromSoftware([]software.Item{
		{Name: "ClamAV", Kind: software.KindSecurity, Installed: true, Enabled: health.Known(false)},
		{Name: "Sophos", Kind: software.KindSecurity, Installed: true},
	}, time.Now())
	if deref(s.avEnabled) != false {
		t.Errorf("one product off, the other silent: %v", deref(s.avEnabled))
	}
	tests := []struct {
		item software.Item
		want any
	}{
		{software.Item{Name: "ClamAV", Kind: software.KindSecurity, Installed: true, Enabled: health.Known(false), Running: health.Known(true)}, true},
		{software.Item{Name: "ClamAV", Kind: software.KindSecurity, Installed: true, Enabled: health.Known(false), Running: health.Known(false)}, false},
		{software.Item{Name: "Microsoft Defender", Kind: software.KindSecurity, Installed: true, Enabled: health.Known(false), Running: health.Known(true)}, false},
	}
	for _, tc := range tests {
		if got := deref(fromSoftware([]software.Item{tc.item}, time.Now()).avEnabled); got != tc.want {
			t.Errorf("%s enabled=%v running=%v: on = %v, want %v", tc.item.Name, *tc.item.Enabled, *tc.item.Running, got, tc.want)
		}
	}
}
