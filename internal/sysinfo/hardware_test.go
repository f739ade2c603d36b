package sysinfo

import (
	"context"
	"os"
	"testing"
)

func TestBatteriesFromSysfs(t *testing.T) {
	got, err := batteries(context.Background(), &Options{Root: "testdata/root-laptop"})
	if err != nil {
		t.Fatal(err)
	}
	// The mouse battery (scope Device) and the mains adapter are not the
	// laptop's battery.
	if len(got) != 1 {
		t.Fatalf("got %d batteries: %+v", len(got), got)
	}
	b := got[0]
	if b.Name != "BAT0" || b.Percent != 81 || b.State != "discharging" || b.HealthPercent != 72 || b.CycleCount != 312 {
		t.Errorf("battery: %+v", b)
	}
}

func TestNoBatteryFolder(t *testing.T) {
	got, err := batteries(context.Background(), &Options{Root: t.TempDir()})
	if err != nil || got != nil {
		t.Errorf("a desktop without power_supply: %v, %v", got, err)
	}
}

func TestPmset(t *testing.T) {
	b, _ := os.ReadFile("testdata/macos/pmset")
	got := parsePmset(b)
	if len(got) != 1 || got[0].Percent != 87 || got[0].State != "discharging" {
		t.Errorf("pmset: %+v", got)
	}
	b, _ = os.ReadFile("testdata/macos/pmset-charged")
	if got := parsePmset(b); len(got) != 1 || got[0].State != "full" {
		t.Errorf("pmset charged: %+v", got)
	}
}

func TestWindowsBattery(t *testing.T) {
	if got := windowsBattery(1, 128, 255); got != nil {
		t.Errorf("no system battery: %+v", got)
	}
	if got := windowsBattery(1, 8, 55); len(got) != 1 || got[0].State != "charging" {
		t.Errorf("charging: %+v", got)
	}
	if got := windowsBattery(0, 1, 90); len(got) != 1 || got[0].State != "discharging" || got[0].Percent != 90 {
		t.Errorf("discharging: %+v", got)
	}
}

func TestSkipFS(t *testing.T) {
	skip := [][2]string{{"nfs4", "/mnt/share"}, {"cifs", "/mnt/x"}, {"squashfs", "/snap/core/1"}, {"fuse.sshfs", "/mnt/s"}, {"apfs", "/System/Volumes/VM"}}
	keep := [][2]string{{"ext4", "/"}, {"vfat", "/boot/efi"}, {"btrfs", "/home"}, {"fuse.ntfs-3g", "/media/usb"}, {"apfs", "/System/Volumes/Data"}, {"NTFS", "C:"}}
	for _, c := range skip {
		if !skipFS(c[0], c[1]) {
			t.Errorf("%v should be skipped", c)
		}
	}
	for _, c := range keep {
		if skipFS(c[0], c[1]) {
			t.Errorf("%v should be kept", c)
		}
	}
}

func TestBytes(t *testing.T) {
	tests := map[uint64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 15_500_000_000: "15.5 GB", 512_110_190_592: "512 GB", 2_000_000_000_000: "2.0 TB"}
	for n, want := range tests {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}
