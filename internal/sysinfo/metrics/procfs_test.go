package metrics

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func readTestdata(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseProcStat(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		busy, total uint64
		wantErr     bool
	}{
		{"fixture", string(readTestdata(t, "proc/stat")), 1500, 10000, false},
		// guest and guest_nice are inside user and nice already.
		{"guest not added twice", "cpu  10 0 0 80 0 0 0 0 500 500\n", 10, 90, false},
		{"old kernel, 4 fields", "cpu 10 20 30 40\n", 60, 100, false},
		{"iowait is not busy", "cpu 0 0 0 50 50 0 0 0\n", 0, 100, false},
		{"per-cpu line first", "cpu0 1 2 3 4\n", 0, 0, true},
		{"too few fields", "cpu 1 2 3\n", 0, 0, true},
		{"not a number", "cpu 1 2 x 4\n", 0, 0, true},
		{"empty", "", 0, 0, true},
		{"overflowing number", "cpu 99999999999999999999999 1 1 1\n", 0, 0, true},
	}
	for _, tt := range tests {
		busy, total, err := parseProcStat([]byte(tt.in))
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %v", tt.name, err, tt.wantErr)
			continue
		}
		if busy != tt.busy || total != tt.total {
			t.Errorf("%s: busy, total = %d, %d; want %d, %d", tt.name, busy, total, tt.busy, tt.total)
		}
	}
}

func TestParseMeminfo(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		total, used uint64
		wantErr     bool
	}{
		{"fixture", string(readTestdata(t, "proc/meminfo")), 16000000 << 10, 10000000 << 10, false},
		{"no MemAvailable: free+buffers+cached", "MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n", 1000 << 10, 600 << 10, false},
		{"available above total", "MemTotal: 1000 kB\nMemAvailable: 2000 kB\n", 1000 << 10, 0, false},
		{"no MemTotal", "MemFree: 100 kB\n", 0, 0, true},
		{"zero MemTotal", "MemTotal: 0 kB\nMemAvailable: 0 kB\n", 0, 0, true},
		{"garbage value", "MemTotal: lots kB\n", 0, 0, true},
		{"lines without colon are skipped", "junk\nMemTotal: 10 kB\nMemAvailable: 4 kB\n", 10 << 10, 6 << 10, false},
	}
	for _, tt := range tests {
		total, used, err := parseMeminfo([]byte(tt.in))
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %v", tt.name, err, tt.wantErr)
			continue
		}
		if total != tt.total || used != tt.used {
			t.Errorf("%s: total, used = %d, %d; want %d, %d", tt.name, total, used, tt.total, tt.used)
		}
	}
}

func setOf(names ...string) nameSet {
	var s nameSet
	for _, n := range names {
		s.add([]byte(n))
	}
	return s
}

func TestParseDiskstats(t *testing.T) {
	whole := func(names ...string) func([]byte) bool {
		return func(n []byte) bool { return slices.Contains(names, string(n)) }
	}
	tests := []struct {
		name          string
		in            string
		count         func([]byte) bool
		read, written uint64
		set           nameSet
		wantErr       bool
	}{
		{"fixture: whole disks only", string(readTestdata(t, "proc/diskstats")), whole("sda", "nvme0n1"),
			(4000 + 20000) * 512, (6000 + 10000) * 512, setOf("sda", "nvme0n1"), false},
		{"old 14-field format", " 9 0 md0 10 0 10 1 10 0 30 1 0 2 2\n", whole("md0"), 10 * 512, 30 * 512, setOf("md0"), false},
		{"nothing counted", string(readTestdata(t, "proc/diskstats")), whole(), 0, 0, 0, false},
		{"blank lines", "\n\n", whole(), 0, 0, 0, false},
		{"truncated line", " 8 0 sda 1 2 3\n", whole("sda"), 0, 0, 0, true},
		{"bad counter", " 8 0 sda 1 0 -4 0 1 0 6 0 0 0 0\n", whole("sda"), 0, 0, 0, true},
	}
	for _, tt := range tests {
		r, w, set, err := parseDiskstats([]byte(tt.in), tt.count)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %v", tt.name, err, tt.wantErr)
			continue
		}
		if r != tt.read || w != tt.written || set != tt.set {
			t.Errorf("%s: got %d, %d, %x; want %d, %d, %x", tt.name, r, w, set, tt.read, tt.written, tt.set)
		}
	}
}

func TestNameSetIgnoresOrderButNotMembers(t *testing.T) {
	if setOf("sda", "sdb") != setOf("sdb", "sda") {
		t.Error("order changed the set identity")
	}
	if setOf("sda") == setOf("sda", "sdb") || setOf("sda") == setOf("sdb") || setOf() == setOf("") {
		t.Error("different sets have the same identity")
	}
}

func TestParseNetDev(t *testing.T) {
	byName := map[string]ifClass{"lo": ifSkip, "eth0": ifPhysical, "wlp2s0": ifPhysical}
	classify := func(n []byte) ifClass {
		if c, ok := byName[string(n)]; ok {
			return c
		}
		return ifVirtual
	}
	fixture := string(readTestdata(t, "proc/net/dev"))
	tests := []struct {
		name     string
		in       string
		classify func([]byte) ifClass
		rx, tx   uint64
		set      nameSet
		wantErr  bool
	}{
		{"physical only", fixture, classify, 1000000 + 50000, 200000 + 7000, setOf("eth0", "wlp2s0"), false},
		{"no physical: virtual ones, never lo", fixture,
			func(n []byte) ifClass { return map[bool]ifClass{true: ifSkip, false: ifVirtual}[string(n) == "lo"] },
			1000000 + 50000 + 4000000 + 4000000 + 300000, 200000 + 7000 + 4000000 + 4000000 + 30000,
			setOf("eth0", "wlp2s0", "docker0", "veth1a2b", "tun0"), false},
		{"only loopback", "h|\nh|\n lo: 5 0 0 0 0 0 0 0 5 0 0 0 0 0 0 0\n", classify, 0, 0, 0, false},
		{"name glued to counter", "eth0:123 0 0 0 0 0 0 0 456 0 0 0 0 0 0 0\n", classify, 123, 456, setOf("eth0"), false},
		{"short line", "eth0: 1 2 3\n", classify, 0, 0, 0, true},
		{"bad number", "eth0: 1 0 0 0 0 0 0 0 x 0\n", classify, 0, 0, 0, true},
	}
	for _, tt := range tests {
		rx, tx, set, err := parseNetDev([]byte(tt.in), tt.classify)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %v", tt.name, err, tt.wantErr)
			continue
		}
		if rx != tt.rx || tx != tt.tx || set != tt.set {
			t.Errorf("%s: got %d, %d, %x; want %d, %d, %x", tt.name, rx, tx, set, tt.rx, tt.tx, tt.set)
		}
	}
}

func TestParsePidStat(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		comm       string
		cpu, start uint64
		wantErr    bool
	}{
		{"systemd", string(readTestdata(t, "proc/1/stat")), "systemd", 400, 12, false},
		{"parentheses and spaces in the name", string(readTestdata(t, "proc/42/stat")), "Web Content (x) ", 1000, 5000, false},
		{"kernel thread", string(readTestdata(t, "proc/977/stat")), "kworker/0:1", 43, 90, false},
		{"empty name", "5 () S 1 1 1 0 -1 0 0 0 0 0 7 8 0 0 20 0 1 0 33 0\n", "", 15, 33, false},
		{"no parentheses", "5 x S 1 1 1 0 -1 0 0 0 0 0 7 8 0 0 20 0 1 0 33 0", "", 0, 0, true},
		{"truncated before starttime", "5 (x) S 1 1 1 0 -1 0 0 0 0 0 7 8 0 0", "", 0, 0, true},
		{"negative utime", "5 (x) S 1 1 1 0 -1 0 0 0 0 0 -7 8 0 0 20 0 1 0 33 0", "", 0, 0, true},
		{"reversed parentheses", "5 )x( S 1 1 1 0 -1 0 0 0 0 0 7 8 0 0 20 0 1 0 33 0", "", 0, 0, true},
	}
	for _, tt := range tests {
		comm, cpu, start, err := parsePidStat([]byte(tt.in))
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %v", tt.name, err, tt.wantErr)
			continue
		}
		if string(comm) != tt.comm || cpu != tt.cpu || start != tt.start {
			t.Errorf("%s: got %q, %d, %d; want %q, %d, %d", tt.name, comm, cpu, start, tt.comm, tt.cpu, tt.start)
		}
	}
}

// dirent builds one linux_dirent64 record.
func dirent(name string) []byte {
	reclen := (19 + len(name) + 1 + 7) &^ 7
	b := make([]byte, reclen)
	binary.NativeEndian.PutUint64(b, 1)
	binary.NativeEndian.PutUint16(b[16:], uint16(reclen))
	b[18] = 4 // DT_DIR
	copy(b[19:], name)
	return b
}

func TestParseDirents(t *testing.T) {
	var buf []byte
	for _, n := range []string{".", "..", "1", "self", "42", "0", "977", "99999999999", "12a"} {
		buf = append(buf, dirent(n)...)
	}
	var got []int
	parseDirents(buf, func(pid int) { got = append(got, pid) })
	if want := []int{1, 42, 977}; !slices.Equal(got, want) {
		t.Errorf("pids = %v, want %v", got, want)
	}

	// A record length that runs past the buffer ends the walk instead of
	// reading beyond it.
	bad := dirent("7")
	binary.NativeEndian.PutUint16(bad[16:], 200)
	got = nil
	parseDirents(append(dirent("5"), bad...), func(pid int) { got = append(got, pid) })
	if !slices.Equal(got, []int{5}) {
		t.Errorf("pids with a broken record = %v, want [5]", got)
	}
}

func TestParseUint(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		err  bool
	}{
		{"0", 0, false},
		{"18446744073709551615", 1<<64 - 1, false},
		{"18446744073709551616", 0, true},
		{"", 0, true},
		{"-1", 0, true},
		{"1.5", 0, true},
		{"000000000000000000001", 0, true}, // over 20 digits
	}
	for _, tt := range tests {
		got, err := parseUint([]byte(tt.in))
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("parseUint(%q) = %d, %v", tt.in, got, err)
		}
		if err != nil && !errors.Is(err, errMalformed) {
			t.Errorf("parseUint(%q) error %v is not errMalformed", tt.in, err)
		}
	}
}
