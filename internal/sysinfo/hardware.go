package sysinfo

import (
	"context"
	"sort"
	"strings"

	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/disk"
	"github.com/shirou/gopsutil/v4/mem"
)

func collectHardware(ctx context.Context, o *Options, s *Snapshot) error {
	var errs errorList
	hw := &Hardware{}

	infos, err := cpu.InfoWithContext(ctx)
	errs.add("cpu", err)
	if len(infos) > 0 {
		hw.CPU.Model = strings.Join(strings.Fields(infos[0].ModelName), " ")
		hw.CPU.MHz = infos[0].Mhz
	}
	hw.CPU.Threads, err = cpu.CountsWithContext(ctx, true)
	errs.add("cpu threads", err)
	hw.CPU.Cores, err = cpu.CountsWithContext(ctx, false)
	errs.add("cpu cores", err)

	if vm, err := mem.VirtualMemoryWithContext(ctx); err != nil {
		errs.add("memory", err)
	} else {
		hw.Memory = Memory{Total: vm.Total, Used: vm.Used, Available: vm.Available, UsedPercent: round1(vm.UsedPercent)}
	}
	if sw, err := mem.SwapMemoryWithContext(ctx); err != nil {
		errs.add("swap", err)
	} else {
		hw.Swap = Memory{Total: sw.Total, Used: sw.Used, UsedPercent: round1(sw.UsedPercent)}
	}

	hw.Disks, err = disks(ctx)
	errs.add("disks", err)
	hw.Batteries, err = batteries(ctx, o)
	errs.add("battery", err)

	s.Hardware = hw
	return errs.err()
}

// disks lists the local file systems a person would call a disk. Network
// shares are left out: a statfs on a dead NFS server hangs, and they are
// not this computer's disks anyway.
func disks(ctx context.Context) ([]Disk, error) {
	parts, err := disk.PartitionsWithContext(ctx, false)
	if err != nil && len(parts) == 0 {
		return nil, err
	}
	var errs errorList
	var out []Disk
	seen := map[string]bool{}
	for _, p := range parts {
		if skipFS(p.Fstype, p.Mountpoint) || seen[p.Device] {
			continue
		}
		u, err := disk.UsageWithContext(ctx, p.Mountpoint)
		if err != nil {
			errs.add(p.Mountpoint, err)
			continue
		}
		if u.Total == 0 {
			continue
		}
		seen[p.Device] = true
		out = append(out, Disk{
			Mount:       p.Mountpoint,
			Device:      p.Device,
			FS:          p.Fstype,
			Total:       u.Total,
			Free:        u.Free,
			FreePercent: round1(100 * float64(u.Free) / float64(u.Total)),
			ReadOnly:    hasOpt(p.Opts, "ro"),
		})
	}
	// The shortest mount first: "/" before "/boot/efi" before "/home".
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].Mount) < len(out[j].Mount) })
	return out, errs.err()
}

// skipFS is true for file systems that are not a disk of this computer:
// network shares, read-only images of snaps, and virtual ones.
func skipFS(fstype, mount string) bool {
	switch strings.ToLower(fstype) {
	case "nfs", "nfs4", "cifs", "smb", "smbfs", "smb3", "afpfs", "webdav", "davfs", "9p",
		"squashfs", "iso9660", "udf", "overlay", "tmpfs", "devtmpfs", "autofs", "nullfs":
		return true
	}
	if strings.HasPrefix(strings.ToLower(fstype), "fuse.") && fstype != "fuse.ntfs-3g" {
		return true
	}
	// macOS mounts each APFS volume of the system container separately;
	// only the data volume and the root say anything useful.
	if strings.HasPrefix(mount, "/System/Volumes/") && mount != "/System/Volumes/Data" {
		return true
	}
	return strings.HasPrefix(mount, "/snap/")
}

func hasOpt(opts []string, want string) bool {
	for _, o := range opts {
		if o == want {
			return true
		}
	}
	return false
}

func round1(f float64) float64 {
	if f != f { // NaN
		return 0
	}
	return float64(int64(f*10+0.5)) / 10
}
