//go:build gopsutilbench

package metrics

// The measurement behind the lean /proc walk: the same top-process search
// through gopsutil's process API. Built only with -tags gopsutilbench so
// the ordinary build does not depend on gopsutil's Linux-only modules.

import (
	"context"
	"log/slog"
	"testing"

	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/disk"
	"github.com/shirou/gopsutil/v4/mem"
	"github.com/shirou/gopsutil/v4/net"
	"github.com/shirou/gopsutil/v4/process"
)

func BenchmarkTopProcessGopsutil(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		procs, err := process.ProcessesWithContext(ctx)
		if err != nil {
			b.Fatal(err)
		}
		var best float64
		var bestName string
		for _, p := range procs {
			t, err := p.TimesWithContext(ctx)
			if err != nil {
				continue
			}
			if c := t.User + t.System; c > best {
				best = c
				bestName, _ = p.NameWithContext(ctx)
			}
		}
		_ = bestName
	}
}

func BenchmarkTopProcessProcfs(b *testing.B) {
	s := newLinuxSource("/proc", "/sys", slog.New(slog.DiscardHandler))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.walkProcesses(ctx); err != nil {
			b.Fatal(err)
		}
		s.procs.finish(s.now())
	}
}

func BenchmarkMachineGopsutil(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cpu.TimesWithContext(ctx, false); err != nil {
			b.Fatal(err)
		}
		if _, err := mem.VirtualMemoryWithContext(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := disk.IOCountersWithContext(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := net.IOCountersWithContext(ctx, true); err != nil {
			b.Fatal(err)
		}
	}
}
