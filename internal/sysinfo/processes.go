package sysinfo

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"time"

	"github.com/shirou/gopsutil/v4/load"
	"github.com/shirou/gopsutil/v4/process"
)

// collectProcesses lists the heaviest processes. gopsutil's CPUPercent is
// the average since the process started, useless for "what is slow right
// now": CPU is measured as the difference of two readings over a window,
// the sampler's last interval when the service has one.
func collectProcesses(ctx context.Context, o *Options, s *Snapshot) error {
	var errs errorList
	p := &Processes{}
	if runtime.GOOS != "windows" {
		if avg, err := load.AvgWithContext(ctx); err != nil {
			errs.add("load average", err)
		} else {
			p.Load = []float64{round2(avg.Load1), round2(avg.Load5), round2(avg.Load15)}
		}
	}
	procs, err := process.ProcessesWithContext(ctx)
	if err != nil {
		errs.add("process list", err)
		s.Processes = p
		return errs.err()
	}
	p.Count = len(procs)

	cpu, window, err := processCPU(ctx, o, procs)
	errs.add("process cpu", err)
	p.CPUWindow = MillisOf(window)

	rows := make([]Process, 0, len(procs))
	byPID := make(map[int32]*process.Process, len(procs))
	for _, pr := range procs {
		mi, err := pr.MemoryInfoWithContext(ctx)
		if err != nil {
			continue // gone since the list was read, or not ours to read
		}
		byPID[pr.Pid] = pr
		rows = append(rows, Process{PID: pr.Pid, CPUPercent: round1(cpu[pr.Pid]), RSS: mi.RSS})
	}
	p.TopCPU = top(rows, o.TopN, func(a, b Process) bool {
		return a.CPUPercent > b.CPUPercent || (a.CPUPercent == b.CPUPercent && a.RSS > b.RSS)
	})
	p.TopMemory = top(rows, o.TopN, func(a, b Process) bool { return a.RSS > b.RSS })
	describe(ctx, byPID, p.TopCPU)
	describe(ctx, byPID, p.TopMemory)
	s.Processes = p
	return errs.err()
}

// processCPU returns CPU percent per PID: from the sampler when it has a
// measurement, else from two readings CPUWindow apart.
func processCPU(ctx context.Context, o *Options, procs []*process.Process) (map[int32]float64, time.Duration, error) {
	if o.CPU != nil {
		if by, window, ok := o.CPU.ProcessCPU(); ok {
			return by, window, nil
		}
	}
	before := cpuTimes(ctx, procs)
	t0 := time.Now()
	select {
	case <-time.After(o.CPUWindow):
	case <-ctx.Done():
		return nil, 0, fmt.Errorf("measuring process cpu: %w", ctx.Err())
	}
	after := cpuTimes(ctx, procs)
	window := time.Since(t0)
	out := make(map[int32]float64, len(after))
	for pid, t := range after {
		if b, ok := before[pid]; ok && t >= b {
			out[pid] = 100 * (t - b) / window.Seconds()
		}
	}
	if len(out) == 0 {
		return out, window, errors.New("no process could be measured")
	}
	return out, window, nil
}

func cpuTimes(ctx context.Context, procs []*process.Process) map[int32]float64 {
	out := make(map[int32]float64, len(procs))
	for _, pr := range procs {
		if t, err := pr.TimesWithContext(ctx); err == nil {
			out[pr.Pid] = t.User + t.System
		}
	}
	return out
}

// top returns the first n rows by less, without disturbing rows.
func top(rows []Process, n int, less func(a, b Process) bool) []Process {
	sorted := append([]Process(nil), rows...)
	sort.SliceStable(sorted, func(i, j int) bool { return less(sorted[i], sorted[j]) })
	if len(sorted) > n {
		sorted = sorted[:n]
	}
	return sorted
}

// describe fills name, user and command line, which cost a few reads each
// and so are read only for the processes shown.
func describe(ctx context.Context, byPID map[int32]*process.Process, rows []Process) {
	for i := range rows {
		pr := byPID[rows[i].PID]
		if pr == nil {
			continue
		}
		rows[i].Name, _ = pr.NameWithContext(ctx)
		rows[i].User, _ = pr.UsernameWithContext(ctx)
		rows[i].Command, _ = pr.CmdlineWithContext(ctx)
	}
}

func round2(f float64) float64 {
	if f != f {
		return 0
	}
	return float64(int64(f*100+0.5)) / 100
}
