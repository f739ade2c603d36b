package metrics

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/disk"
	"github.com/shirou/gopsutil/v4/mem"
	"github.com/shirou/gopsutil/v4/process"
	"golang.org/x/sys/unix"
)

// darwinSource reads CPU, memory and disk counters through gopsutil, which
// reaches Mach and IOKit without cgo, and network bytes from the routing
// sysctl directly (gopsutil would run netstat every time).
type darwinSource struct {
	log   *slog.Logger
	now   func() time.Time
	procs *procTable
}

func newOSSource(opts SourceOptions) Source {
	return &darwinSource{log: opts.Logger, now: time.Now, procs: newProcTable()}
}

func (s *darwinSource) Read(ctx context.Context) (Counters, error) {
	var c Counters
	times, err := cpu.TimesWithContext(ctx, false)
	if err != nil || len(times) == 0 {
		return c, fmt.Errorf("reading CPU times: %w", err)
	}
	t := times[0]
	busy := t.User + t.Nice + t.System + t.Irq + t.Softirq + t.Steal
	c.CPUBusy, c.CPUTotal = seconds(busy), seconds(busy+t.Idle+t.Iowait)

	vm, err := mem.VirtualMemoryWithContext(ctx)
	if err != nil {
		return c, fmt.Errorf("reading memory: %w", err)
	}
	c.MemTotal, c.MemUsed = vm.Total, min(vm.Used, vm.Total)

	// IOCounters matches whole media under a block storage driver: physical
	// disks and attached images, not APFS containers or volumes on them.
	disks, err := disk.IOCountersWithContext(ctx)
	if err != nil {
		return c, fmt.Errorf("reading disk counters: %w", err)
	}
	var set nameSet
	for name, d := range disks {
		c.DiskRead += d.ReadBytes
		c.DiskWritten += d.WriteBytes
		set.add([]byte(name))
	}
	c.Disks = uint64(set)

	if err := s.readNetwork(&c); err != nil {
		return c, err
	}
	if err := s.walkProcesses(ctx); err != nil {
		if ctx.Err() != nil {
			return c, ctx.Err()
		}
		s.log.Debug("metrics: listing processes failed", "err", err)
		return c, nil
	}
	c.Top = s.procs.finish(s.now())
	c.Usage = s.procs.usage
	s.fullName(ctx, &c.Top)
	return c, nil
}

func seconds(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }

func (s *darwinSource) readNetwork(c *Counters) error {
	buf, err := unix.SysctlRaw("net.route", 0, unix.AF_UNSPEC, unix.NET_RT_IFLIST2, 0)
	if err != nil {
		return fmt.Errorf("listing network interfaces: %w", err)
	}
	var phys, virt struct {
		rx, tx uint64
		set    nameSet
		n      int
	}
	err = walkIfList2(buf, func(name []byte, flags uint32, rx, tx uint64) {
		dst := &virt
		switch darwinIfClass(name, flags) {
		case ifSkip:
			return
		case ifPhysical:
			dst = &phys
		}
		dst.rx += rx
		dst.tx += tx
		dst.set.add(name)
		dst.n++
	})
	if err != nil {
		return err
	}
	if phys.n == 0 {
		phys = virt
	}
	c.NetRx, c.NetTx, c.Nets = phys.rx, phys.tx, uint64(phys.set)
	return nil
}

// walkProcesses lists processes with one sysctl and asks libproc for each
// one's CPU time (proc_pidinfo through gopsutil, no cgo).
func (s *darwinSource) walkProcesses(ctx context.Context) error {
	procs, err := unix.SysctlKinfoProcSlice("kern.proc.all")
	if err != nil {
		return fmt.Errorf("listing processes: %w", err)
	}
	s.procs.begin()
	for i := range procs {
		if i%64 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		p := &procs[i].Proc
		// kernel_task (pid 0) is kept: its CPU use is how macOS shows thermal
		// throttling, a classic cause of "my Mac is slow".
		if p.P_pid < 0 {
			continue
		}
		times, err := (&process.Process{Pid: p.P_pid}).TimesWithContext(ctx)
		if err != nil {
			continue
		}
		start := uint64(p.P_starttime.Sec)*1e6 + uint64(p.P_starttime.Usec)
		if s.procs.observe(int(p.P_pid), start, seconds(times.User+times.System)) {
			comm := p.P_comm[:]
			if i := bytes.IndexByte(comm, 0); i >= 0 {
				comm = comm[:i]
			}
			s.procs.lead(comm)
		}
	}
	return nil
}

// fullName replaces a leader's name the kernel truncated to 16 bytes with
// the executable's base name (gopsutil reads it from the process's
// arguments area, keeping only argv[0]'s base name).
func (s *darwinSource) fullName(ctx context.Context, top *ProcessCPU) {
	if len(top.Name) < 15 {
		return
	}
	if name, err := (&process.Process{Pid: int32(top.PID)}).NameWithContext(ctx); err == nil && name != "" {
		top.Name = name
	}
}
