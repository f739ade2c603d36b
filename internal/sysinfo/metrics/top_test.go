package metrics

import (
	"testing"
	"time"
)

type proc struct {
	pid   int
	start uint64
	cpu   time.Duration
	name  string
}

// walk feeds one walk to the table the way a source does.
func walk(tab *procTable, at time.Time, procs ...proc) ProcessCPU {
	tab.begin()
	buf := make([]byte, 0, 32)
	for _, p := range procs {
		if tab.observe(p.pid, p.start, p.cpu) {
			buf = append(buf[:0], p.name...)
			tab.lead(buf)
			// A source reuses its buffer; the table must have copied.
			copy(buf, "XXXXXXXXXXXXXXXX")
		}
	}
	return tab.finish(at)
}

func TestProcTable(t *testing.T) {
	t0 := time.Unix(1000, 0)
	s := time.Second
	first := []proc{{1, 10, 50 * s, "systemd"}, {42, 500, 100 * s, "firefox"}, {77, 900, 3 * s, "bash"}, {99, 950, 7 * s, "old"}}
	tests := []struct {
		name string
		next []proc
		want ProcessCPU
	}{
		{"largest delta wins, not the largest total", []proc{
			{1, 10, 52 * s, "systemd"}, {42, 500, 101 * s, "firefox"}, {77, 900, 9 * s, "bash"},
		}, ProcessCPU{Name: "bash", PID: 77, CPU: 6 * s, Over: 10 * s}},
		{"a process started since counts all its time", []proc{
			{1, 10, 50 * s, "systemd"}, {42, 500, 100 * s, "firefox"}, {300, 1000, 4 * s, "cc1"},
		}, ProcessCPU{Name: "cc1", PID: 300, CPU: 4 * s, Over: 10 * s}},
		{"a reused pid is a new process", []proc{
			{1, 10, 50 * s, "systemd"}, {42, 1001, 2 * s, "node"},
		}, ProcessCPU{Name: "node", PID: 42, CPU: 2 * s, Over: 10 * s}},
		{"a counter that went backwards counts zero", []proc{
			{1, 10, 51 * s, "systemd"}, {42, 500, 1 * s, "firefox"},
		}, ProcessCPU{Name: "systemd", PID: 1, CPU: 1 * s, Over: 10 * s}},
		{"nothing ran: no top", first, ProcessCPU{}},
		{"unnamed leader gets its pid", []proc{{5, 1, 9 * s, ""}}, ProcessCPU{Name: "pid 5", PID: 5, CPU: 9 * s, Over: 10 * s}},
		{"ties keep the first seen", []proc{
			{1, 10, 51 * s, "systemd"}, {42, 500, 101 * s, "firefox"},
		}, ProcessCPU{Name: "systemd", PID: 1, CPU: 1 * s, Over: 10 * s}},
	}
	for _, tt := range tests {
		tab := newProcTable()
		if got := walk(tab, t0, first...); got != (ProcessCPU{}) {
			t.Errorf("%s: first walk returned %+v, want nothing (it only primes)", tt.name, got)
		}
		if got := walk(tab, t0.Add(10*s), tt.next...); got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestProcTableComparesWithTheLastWalkOnly(t *testing.T) {
	tab := newProcTable()
	t0 := time.Unix(0, 0)
	walk(tab, t0, proc{1, 1, time.Second, "a"})
	walk(tab, t0.Add(5*time.Second), proc{1, 1, 3 * time.Second, "a"})
	// pid 2 was absent from the previous walk but present in the first: it
	// is new as far as the table knows.
	got := walk(tab, t0.Add(7*time.Second), proc{1, 1, 4 * time.Second, "a"}, proc{2, 2, 1500 * time.Millisecond, "b"})
	if want := (ProcessCPU{Name: "b", PID: 2, CPU: 1500 * time.Millisecond, Over: 2 * time.Second}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
