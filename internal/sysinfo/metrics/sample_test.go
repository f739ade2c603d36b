package metrics

import (
	"encoding/json"
	"math"
	"testing"
	"time"
)

func TestDerive(t *testing.T) {
	base := Counters{
		CPUBusy: 10 * time.Second, CPUTotal: 40 * time.Second,
		MemTotal: 8 << 30, MemUsed: 2 << 30,
		DiskRead: 1 << 30, DiskWritten: 2 << 30, Disks: 7,
		NetRx: 5e9, NetTx: 1e9, Nets: 9,
	}
	at := time.Date(2025, 3, 4, 10, 40, 0, 0, time.UTC)
	with := func(f func(*Counters)) Counters { c := base; f(&c); return c }
	tests := []struct {
		name    string
		cur     Counters
		elapsed time.Duration
		want    Sample
	}{
		{"rates over 10 s", with(func(c *Counters) {
			c.CPUBusy += 5 * time.Second
			c.CPUTotal += 20 * time.Second
			c.MemUsed = 6 << 30
			c.DiskRead += 10e6
			c.DiskWritten += 25e6
			c.NetRx += 1e6
			c.NetTx += 3e5
			c.Top = ProcessCPU{Name: "firefox", PID: 42, CPU: 15 * time.Second, Over: 10 * time.Second}
		}), 10 * time.Second, Sample{
			CPUPercent: 25, MemUsedPercent: 75, MemUsedBytes: 6 << 30,
			DiskReadBps: 1e6, DiskWriteBps: 2.5e6, NetRxBps: 1e5, NetTxBps: 3e4,
			TopProcess: "firefox", TopProcessCPU: 150,
		}},
		{"nothing moved", base, 10 * time.Second, Sample{MemUsedPercent: 25, MemUsedBytes: 2 << 30}},
		{"counters went backwards: zero, not negative", with(func(c *Counters) {
			c.CPUBusy, c.CPUTotal = time.Second, 2*time.Second
			c.DiskRead, c.DiskWritten, c.NetRx, c.NetTx = 0, 0, 0, 0
		}), 10 * time.Second, Sample{MemUsedPercent: 25, MemUsedBytes: 2 << 30}},
		{"disk set changed: that delta skipped, network kept", with(func(c *Counters) {
			c.Disks = 8
			c.DiskRead += 64 << 30 // a USB disk's lifetime counters
			c.NetRx += 1e6
		}), 10 * time.Second, Sample{MemUsedPercent: 25, MemUsedBytes: 2 << 30, NetRxBps: 1e5}},
		{"network set changed", with(func(c *Counters) { c.Nets = 1; c.NetTx += 1e9 }),
			10 * time.Second, Sample{MemUsedPercent: 25, MemUsedBytes: 2 << 30}},
		{"absurd jump treated as a reset", with(func(c *Counters) { c.NetRx += 1 << 62; c.DiskRead += 5e6 }),
			time.Second, Sample{MemUsedPercent: 25, MemUsedBytes: 2 << 30, DiskReadBps: 5e6}},
		{"busy grew more than total", with(func(c *Counters) {
			c.CPUBusy += 9 * time.Second
			c.CPUTotal += 1 * time.Second
		}), 10 * time.Second, Sample{MemUsedPercent: 25, MemUsedBytes: 2 << 30}},
		{"zero elapsed: no rates", with(func(c *Counters) { c.DiskRead += 1e6 }), 0,
			Sample{MemUsedPercent: 25, MemUsedBytes: 2 << 30}},
		{"used above total clamps to 100 %", with(func(c *Counters) { c.MemUsed = 9 << 30 }), 10 * time.Second,
			Sample{MemUsedPercent: 100, MemUsedBytes: 9 << 30}},
		{"no memory total", with(func(c *Counters) { c.MemTotal = 0 }), 10 * time.Second,
			Sample{MemUsedBytes: 2 << 30}},
		{"top without a span is dropped", with(func(c *Counters) { c.Top = ProcessCPU{Name: "x", CPU: time.Second} }),
			10 * time.Second, Sample{MemUsedPercent: 25, MemUsedBytes: 2 << 30}},
	}
	for _, tt := range tests {
		tt.want.At = at
		if got := derive(base, tt.cur, tt.elapsed, at); got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

func TestSampleJSONNames(t *testing.T) {
	b, err := json.Marshal(Sample{TopProcess: "x", TopProcessCPU: 1})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"at", "cpu_percent", "mem_used_percent", "mem_used_bytes", "disk_read_bps",
		"disk_write_bps", "net_rx_bps", "net_tx_bps", "top_process", "top_process_cpu"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON has no %q: %s", k, b)
		}
	}
	if len(m) != 10 {
		t.Errorf("JSON has %d keys, want 10: %s", len(m), b)
	}
}

func TestClampPercent(t *testing.T) {
	for in, want := range map[float64]float64{-5: 0, 0: 0, 42.5: 42.5, 100: 100, 1e300: 100, math.Inf(1): 100, math.Inf(-1): 0} {
		if got := clampPercent(in); got != want {
			t.Errorf("clampPercent(%v) = %v, want %v", in, got, want)
		}
	}
	if got := clampPercent(math.NaN()); got != 0 {
		t.Errorf("clampPercent(NaN) = %v, want 0", got)
	}
}
