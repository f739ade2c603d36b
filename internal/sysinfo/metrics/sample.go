package metrics

import (
	"math"
	"time"
)

// Sample is what the machine did during one sampling interval, stamped with
// the moment the interval ended. Rates are averages over the interval.
type Sample struct {
	At time.Time `json:"at"`
	// CPUPercent is the whole machine's CPU use over the interval, 0..100
	// (100 means every core was busy).
	CPUPercent float64 `json:"cpu_percent"`
	// MemUsedPercent and MemUsedBytes are the memory in use at At: what
	// applications hold, not what the OS merely caches.
	MemUsedPercent float64 `json:"mem_used_percent"`
	MemUsedBytes   uint64  `json:"mem_used_bytes"`
	// Disk rates count whole physical disks only, so a partition, an LVM
	// volume or a RAID set on top of them is not counted twice.
	DiskReadBps  float64 `json:"disk_read_bps"`
	DiskWriteBps float64 `json:"disk_write_bps"`
	// Network rates count physical interfaces and never the loopback.
	NetRxBps float64 `json:"net_rx_bps"`
	NetTxBps float64 `json:"net_tx_bps"`
	// TopProcess is the name (never the command line, which can hold
	// secrets) of the process that used the most CPU over the interval.
	TopProcess string `json:"top_process,omitempty"`
	// TopProcessCPU is that process's CPU use in percent of one core, so a
	// process keeping two cores busy shows 200.
	TopProcessCPU float64 `json:"top_process_cpu,omitempty"`
}

// Counters is one reading of the machine's cumulative counters. Only the
// difference between two readings means anything.
type Counters struct {
	// CPUBusy and CPUTotal are CPU time summed over all cores since boot;
	// busy excludes idle and I/O wait.
	CPUBusy  time.Duration
	CPUTotal time.Duration
	// MemTotal and MemUsed are bytes at the moment of reading (gauges, not
	// counters).
	MemTotal uint64
	MemUsed  uint64
	// DiskRead and DiskWritten are bytes since boot summed over whole disks.
	DiskRead    uint64
	DiskWritten uint64
	// Disks identifies the set of disks summed; when it changes between two
	// readings (a USB disk plugged in) the totals are not comparable.
	Disks uint64
	// NetRx and NetTx are bytes since boot summed over physical interfaces.
	NetRx uint64
	NetTx uint64
	// Nets identifies the set of interfaces summed, like Disks.
	Nets uint64
	// Top is the process that used the most CPU since the source's previous
	// reading; zero on the first reading or when processes could not be
	// listed.
	Top ProcessCPU
	// Usage is every process's CPU use since the previous reading, in
	// percent of one core, by pid; nil when the source cannot tell. The
	// map is the caller's to keep.
	Usage map[int32]float64
}

// ProcessCPU is one process's CPU use over a span of wall time.
type ProcessCPU struct {
	// Name is the executable's short name, never its arguments.
	Name string
	PID  int
	// CPU is the CPU time (user + system, all threads) the process used
	// during Over.
	CPU  time.Duration
	Over time.Duration
}

// Ceilings above which a rate is treated as a counter glitch rather than
// real traffic: no desktop moves 100 GB/s, and a counter that wrapped or was
// reset produces exactly this kind of jump.
const (
	maxDiskBps = 100e9
	maxNetBps  = 100e9
)

// derive turns two readings taken elapsed apart into a sample stamped at.
// It never returns negative, NaN or implausibly large rates: a counter that
// went backwards or jumped yields 0 for that rate.
func derive(prev, cur Counters, elapsed time.Duration, at time.Time) Sample {
	s := Sample{At: at, MemUsedBytes: cur.MemUsed}
	if cur.MemTotal > 0 {
		s.MemUsedPercent = clampPercent(100 * float64(min(cur.MemUsed, cur.MemTotal)) / float64(cur.MemTotal))
	}
	if busy, total, ok := cpuDeltas(prev, cur); ok && total > 0 {
		s.CPUPercent = clampPercent(100 * float64(busy) / float64(total))
	}
	secs := elapsed.Seconds()
	if secs > 0 {
		if prev.Disks == cur.Disks {
			s.DiskReadBps = rate(prev.DiskRead, cur.DiskRead, secs, maxDiskBps)
			s.DiskWriteBps = rate(prev.DiskWritten, cur.DiskWritten, secs, maxDiskBps)
		}
		if prev.Nets == cur.Nets {
			s.NetRxBps = rate(prev.NetRx, cur.NetRx, secs, maxNetBps)
			s.NetTxBps = rate(prev.NetTx, cur.NetTx, secs, maxNetBps)
		}
	}
	if t := cur.Top; t.Name != "" && t.Over > 0 && t.CPU > 0 {
		s.TopProcess = t.Name
		s.TopProcessCPU = 100 * t.CPU.Seconds() / t.Over.Seconds()
	}
	return s
}

// cpuDeltas is the busy and total CPU time between two readings, or false
// when either went backwards (a counter reset, or a hot-unplugged core) or
// busy grew more than total, which a consistent reading cannot do.
func cpuDeltas(prev, cur Counters) (busy, total time.Duration, ok bool) {
	if cur.CPUBusy < prev.CPUBusy || cur.CPUTotal < prev.CPUTotal {
		return 0, 0, false
	}
	busy, total = cur.CPUBusy-prev.CPUBusy, cur.CPUTotal-prev.CPUTotal
	return busy, total, busy <= total
}

// rate is bytes per second between two counter values, 0 when the counter
// went backwards or the result exceeds ceiling.
func rate(prev, cur uint64, secs, ceiling float64) float64 {
	if cur < prev {
		return 0
	}
	r := float64(cur-prev) / secs
	if r > ceiling || math.IsNaN(r) {
		return 0
	}
	return r
}

func clampPercent(p float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0:
		return 0
	case p > 100:
		return 100
	}
	return p
}
