package measure

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestGatherLinuxDebianRoot(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.Local)
	f := &fakeRun{answers: map[string]string{
		chronycPath + " -n tracking":                             string(output(t, "chronyc-tracking-fast.txt")),
		aptGetPath + " -s -q -o Debug::NoLocking=1 dist-upgrade": string(output(t, "apt-simulate.txt")),
	}}
	in := Gather(context.Background(), Options{
		Root: filepath.Join("testdata", "root-debian"), Offline: true, Slow: true,
		Run: f.run, Now: func() time.Time { return now },
	})
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	if in.DiskFreePct == nil || *in.DiskFreePct < 0 || *in.DiskFreePct > 100 || in.DiskPath != "/" {
		t.Errorf("disk %v on %q", deref(in.DiskFreePct), in.DiskPath)
	}
	check("uptime", deref(in.Uptime), 1728000250*time.Millisecond)
	check("reboot", deref(in.PendingReboot), true)
	check("clock", deref(in.ClockOffset), 93500*time.Millisecond)
	// The cheap count (update-notifier's file) wins over apt's simulation.
	check("updates", deref(in.PendingSecurityUpdates), 5)
	check("battery", deref(in.BatteryHealthPct), 70.0)
	check("no battery", in.NoBattery, false)
	check("firewall", deref(in.FirewallOn), true)
	check("backup", deref(in.LastBackupAge), now.Sub(time.Date(2026, 11, 20, 10, 0, 1, 0, time.Local)))
	check("dns offline", in.DNSOK, (*bool)(nil))
	check("av (none installed)", in.AVEnabled, (*bool)(nil))
}

func TestGatherLinuxFedoraRoot(t *testing.T) {
	f := &fakeRun{answers: map[string]string{
		needsRestarting + " -r":                         string(output(t, "needs-restarting-yes.txt")),
		timedatectlPath + " timesync-status --no-pager": string(output(t, "timesync-status.txt")),
		dnfPath + " -C -q updateinfo list --security":   string(output(t, "dnf-updateinfo-security.txt")),
	}, errs: map[string]error{
		// needs-restarting exits 1 when a reboot is needed.
		needsRestarting + " -r": errors.New("running needs-restarting: exit status 1"),
	}}
	root := filepath.Join("testdata", "root-fedora")
	in := Gather(context.Background(), Options{Root: root, Offline: true, Run: f.run})
	if deref(in.PendingReboot) != true || deref(in.ClockOffset) != -1234*time.Microsecond || !in.NoBattery {
		t.Errorf("reboot %v clock %v no battery %v", deref(in.PendingReboot), deref(in.ClockOffset), in.NoBattery)
	}
	if in.PendingSecurityUpdates != nil {
		t.Errorf("updates measured without Slow: %d", *in.PendingSecurityUpdates)
	}
	if slices.Contains(f.commands(), dnfPath+" -C -q updateinfo list --security") {
		t.Error("dnf ran without Slow")
	}
	in = Gather(context.Background(), Options{Root: root, Offline: true, Slow: true, Run: f.run})
	if deref(in.PendingSecurityUpdates) != 3 {
		t.Errorf("updates with Slow: %v", deref(in.PendingSecurityUpdates))
	}
}

func TestGatherLinuxFailuresAreUnknown(t *testing.T) {
	f := &fakeRun{errs: map[string]error{chronycPath + " -n tracking": errors.New("506 Cannot talk to daemon")}}
	in := Gather(context.Background(), Options{Root: filepath.Join("testdata", "root-debian"), Offline: true, Run: f.run})
	if in.ClockOffset != nil {
		t.Errorf("clock %v from a failed chronyc", *in.ClockOffset)
	}
	in = Gather(context.Background(), Options{Root: t.TempDir(), Offline: true, Run: f.run})
	if in.Uptime != nil || in.PendingReboot != nil || in.ClockOffset != nil || in.PendingSecurityUpdates != nil {
		t.Errorf("an empty root measured something: %+v", in)
	}
	if !in.NoBattery {
		t.Error("no power_supply folder is a desktop")
	}
}

func TestGatherCommandTimeout(t *testing.T) {
	slow := func(ctx context.Context, name string, args ...string) ([]byte, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	start := time.Now()
	in := Gather(context.Background(), Options{Root: filepath.Join("testdata", "root-debian"), Offline: true,
		Run: slow, Timeout: 200 * time.Millisecond})
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("a hung tool held Gather for %v", el)
	}
	if in.ClockOffset != nil || in.Uptime == nil {
		t.Errorf("clock %v uptime %v", deref(in.ClockOffset), deref(in.Uptime))
	}
}

func TestGatherLinuxNewerKernel(t *testing.T) {
	for _, tc := range []struct {
		installed []string
		want      bool
	}{
		{[]string{"6.1.0-26-amd64", "6.1.0-27-amd64"}, true},
		{[]string{"5.10.0-30-amd64", "6.1.0-26-amd64"}, false},
	} {
		root := t.TempDir()
		mustWrite(t, filepath.Join(root, "proc/sys/kernel/osrelease"), "6.1.0-26-amd64\n")
		if err := os.MkdirAll(filepath.Join(root, "var/lib/dpkg"), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, k := range tc.installed {
			if err := os.MkdirAll(filepath.Join(root, "lib/modules", k), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		in := Gather(context.Background(), Options{Root: root, Offline: true, Run: (&fakeRun{}).run})
		if deref(in.PendingReboot) != tc.want {
			t.Errorf("%v: pending reboot %v, want %v", tc.installed, deref(in.PendingReboot), tc.want)
		}
	}
}

func mustWrite(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
