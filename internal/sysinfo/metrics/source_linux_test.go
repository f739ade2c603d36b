package metrics

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"time"
)

// fixtureSource reads a copy of testdata/proc (so a test can change it) and
// testdata/sys.
func fixtureSource(t *testing.T) (*linuxSource, string, *fakeClock) {
	t.Helper()
	proc := filepath.Join(t.TempDir(), "proc")
	if err := os.CopyFS(proc, os.DirFS("testdata/proc")); err != nil {
		t.Fatal(err)
	}
	s := newLinuxSource(proc, "testdata/sys", slog.New(slog.DiscardHandler))
	clock := newClock()
	s.now = clock.now
	return s, proc, clock
}

func TestLinuxSourceFixture(t *testing.T) {
	s, proc, clock := fixtureSource(t)
	got, err := s.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := Counters{
		CPUBusy: 15 * time.Second, CPUTotal: 100 * time.Second,
		MemTotal: 16000000 << 10, MemUsed: 10000000 << 10,
		DiskRead: 24000 * 512, DiskWritten: 16000 * 512, Disks: uint64(setOf("sda", "nvme0n1")),
		NetRx: 1050000, NetTx: 207000, Nets: uint64(setOf("eth0", "wlp2s0")),
	}
	if got.Usage != nil {
		t.Errorf("first reading has process usage %v; nothing to compare with yet", got.Usage)
	}
	got.Usage = nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("first reading:\n got %+v\nwant %+v", got, want)
	}

	// Process 42 uses 3 s of CPU (300 ticks) and systemd 1 s over the next
	// 10 s.
	rewrite(t, filepath.Join(proc, "42", "stat"), "42 (Web Content (x) ) R 1 42 42 0 -1 4194304 100 0 0 0 900 400 0 0 20 0 12 0 5000 3133440\n")
	rewrite(t, filepath.Join(proc, "1", "stat"), "1 (systemd) S 0 1 1 0 -1 4194560 46000 3000000 100 900 200 300 5000 2000 20 0 1 0 12 170000000\n")
	clock.advance(10 * time.Second)
	got, err = s.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if w := (ProcessCPU{Name: "Web Content (x) ", PID: 42, CPU: 3 * time.Second, Over: 10 * time.Second}); got.Top != w {
		t.Errorf("top = %+v, want %+v", got.Top, w)
	}
	// 3 s of CPU over 10 s is 30 % of one core; systemd's 1 s is 10 %.
	if got.Usage[42] != 30 || got.Usage[1] != 10 {
		t.Errorf("usage = %v, want pid 42 at 30 and pid 1 at 10", got.Usage)
	}
}

func rewrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLinuxSourceErrors(t *testing.T) {
	for file, garbage := range map[string]string{
		"stat": "garbage\n", "meminfo": "garbage\n", "diskstats": "8 0 sda x\n", "net/dev": "eth0: x\n",
	} {
		s, proc, _ := fixtureSource(t)
		rewrite(t, filepath.Join(proc, file), garbage)
		if _, err := s.Read(context.Background()); err == nil {
			t.Errorf("Read with a garbled %s succeeded", file)
		}
		if err := os.Remove(filepath.Join(proc, file)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Read(context.Background()); err == nil {
			t.Errorf("Read without %s succeeded", file)
		}
	}
}

func TestLinuxSourceWithoutProcessesStillReads(t *testing.T) {
	s, proc, _ := fixtureSource(t)
	for _, pid := range []string{"1", "42", "977"} {
		rewrite(t, filepath.Join(proc, pid, "stat"), "not a stat line")
	}
	c, err := s.Read(context.Background())
	if err != nil || c.CPUTotal == 0 || c.Top != (ProcessCPU{}) {
		t.Errorf("Read = %+v, %v; want machine counters and no top", c, err)
	}
}

func TestLinuxClassification(t *testing.T) {
	s := newLinuxSource("testdata/proc", "testdata/sys", slog.New(slog.DiscardHandler))
	for name, want := range map[string]bool{
		"sda": true, "nvme0n1": true, "sda1": false, "nvme0n1p1": false,
		"loop0": false, "dm-0": false, "md0": false, "zram0": false, "cciss/c0d0": false,
	} {
		if got := s.isPhysicalDisk(name); got != want {
			t.Errorf("isPhysicalDisk(%q) = %v, want %v", name, got, want)
		}
	}
	for name, want := range map[string]ifClass{
		"lo": ifSkip, "eth0": ifPhysical, "wlp2s0": ifPhysical,
		"docker0": ifVirtual, "veth1a2b": ifVirtual, "tun0": ifVirtual, "gone0": ifVirtual,
	} {
		if got := s.classifyInterface(name); got != want {
			t.Errorf("classifyInterface(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestClassCacheIsBounded(t *testing.T) {
	calls := 0
	c := newClassCache(func(string) bool { calls++; return true })
	c.lookup([]byte("sda"))
	c.lookup([]byte("sda"))
	if calls != 1 {
		t.Errorf("classified sda %d times, want once", calls)
	}
	for i := range 3 * maxClassCache {
		c.lookup([]byte(filepath.Join("veth", string(rune('a'+i%26)), string(rune(i)))))
	}
	if len(c.m) > maxClassCache {
		t.Errorf("cache holds %d names, bound is %d", len(c.m), maxClassCache)
	}
}

// TestRealSourcePlausible reads this machine twice.
func TestRealSourcePlausible(t *testing.T) {
	src := NewSource(SourceOptions{})
	ctx := context.Background()
	first, err := src.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for time.Since(start) < 200*time.Millisecond {
		runtime.Gosched() // keep a core busy so there is CPU time to see
	}
	second, err := src.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := derive(first, second, time.Since(start), time.Now())
	t.Logf("sample: %+v", s)
	if second.MemTotal == 0 || s.MemUsedBytes == 0 || s.MemUsedPercent <= 0 || s.MemUsedPercent > 100 {
		t.Errorf("memory implausible: total %d, %+v", second.MemTotal, s)
	}
	if second.CPUTotal <= first.CPUTotal || s.CPUPercent <= 0 || s.CPUPercent > 100 {
		t.Errorf("CPU implausible: %v → %v, %v %%", first.CPUTotal, second.CPUTotal, s.CPUPercent)
	}
	if s.TopProcess == "" || s.TopProcessCPU <= 0 || s.TopProcessCPU > 100*float64(runtime.NumCPU())+10 {
		t.Errorf("top process implausible with a core kept busy: %q %v %%", s.TopProcess, s.TopProcessCPU)
	}
	if s.DiskReadBps < 0 || s.NetRxBps < 0 {
		t.Errorf("negative rates: %+v", s)
	}
}
