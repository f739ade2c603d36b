package sysinfo

import (
	"context"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// tool runs a system tool for the cross-check, skipping when it is absent.
func tool(t *testing.T, name string, args ...string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed", name)
	}
	out, err := exec.Command(path, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

// TestSnapshotAgreesWithSystemTools checks the snapshot of this machine
// against what ip, df and free say.
func TestSnapshotAgreesWithSystemTools(t *testing.T) {
	snap := Collect(context.Background(), Options{Sections: []Section{SectionHost, SectionHardware, SectionNetwork}})
	if h, _ := os.Hostname(); snap.Host.Hostname != h {
		t.Errorf("hostname %q, os says %q", snap.Host.Hostname, h)
	}

	t.Run("gateway matches ip route", func(t *testing.T) {
		f := strings.Fields(tool(t, "ip", "-4", "route", "show", "default"))
		if len(f) < 3 || f[0] != "default" {
			t.Skip("no IPv4 default route")
		}
		if len(snap.Network.Gateways) == 0 || snap.Network.Gateways[0].Address != f[2] {
			t.Errorf("gateways %+v, ip says %s", snap.Network.Gateways, f[2])
		}
	})

	t.Run("addresses match ip addr", func(t *testing.T) {
		out := tool(t, "ip", "-o", "-4", "addr", "show", "scope", "global")
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			f := strings.Fields(line)
			if len(f) < 4 {
				continue
			}
			found := false
			for _, it := range snap.Network.Interfaces {
				for _, a := range it.Addresses {
					found = found || (it.Name == f[1] && a == f[3])
				}
			}
			if !found {
				t.Errorf("ip lists %s on %s; snapshot: %+v", f[3], f[1], snap.Network.Interfaces)
			}
		}
	})

	t.Run("root disk matches df", func(t *testing.T) {
		lines := strings.Split(strings.TrimSpace(tool(t, "df", "-B1", "--output=size,avail", "/")), "\n")
		f := strings.Fields(lines[len(lines)-1])
		size, _ := strconv.ParseUint(f[0], 10, 64)
		var root *Disk
		for i := range snap.Hardware.Disks {
			if snap.Hardware.Disks[i].Mount == "/" {
				root = &snap.Hardware.Disks[i]
			}
		}
		if root == nil {
			t.Fatalf("no / in %+v", snap.Hardware.Disks)
		}
		if root.Total != size {
			t.Errorf("/ total %d, df says %d", root.Total, size)
		}
	})

	t.Run("memory matches free", func(t *testing.T) {
		for _, line := range strings.Split(tool(t, "free", "-b"), "\n") {
			f := strings.Fields(line)
			if len(f) > 1 && f[0] == "Mem:" {
				total, _ := strconv.ParseUint(f[1], 10, 64)
				if snap.Hardware.Memory.Total != total {
					t.Errorf("memory total %d, free says %d", snap.Hardware.Memory.Total, total)
				}
				used, _ := strconv.ParseFloat(f[2], 64)
				// Both read /proc/meminfo at slightly different moments.
				if math.Abs(float64(snap.Hardware.Memory.Used)-used) > 0.05*float64(total) {
					t.Errorf("memory used %d, free says %.0f", snap.Hardware.Memory.Used, used)
				}
			}
		}
	})
}
