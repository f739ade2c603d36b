package measure

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func output(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "output", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseClock(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		file   string
		parse  func([]byte) (*time.Duration, error)
		want   *time.Duration // nil: nothing known
		wantOK bool           // false: an error is expected
	}{
		{"chronyc-tracking.txt", parseChronyTracking, ptr(-123456 * time.Nanosecond), true},
		{"chronyc-tracking-fast.txt", parseChronyTracking, ptr(93500 * ms), true},
		{"chronyc-tracking-unsynced.txt", parseChronyTracking, nil, true},
		{"timesync-status.txt", parseTimesyncStatus, ptr(-1234 * time.Microsecond), true},
		{"timesync-status-long.txt", parseTimesyncStatus, ptr(125500 * ms), true},
		{"timesync-status-noserver.txt", parseTimesyncStatus, nil, true},
		{"w32tm-status.txt", parseW32tmStatus, ptr(-423100 * time.Nanosecond), true},
		{"w32tm-status-cmos.txt", parseW32tmStatus, nil, true},
		{"sntp.txt", parseSntp, ptr(-12345 * time.Microsecond), true},
		{"sntp-behind.txt", parseSntp, ptr(4512300 * time.Microsecond), true},
		{"apt-simulate.txt", parseChronyTracking, nil, false},
		{"apt-simulate.txt", parseW32tmStatus, nil, false},
		{"apt-simulate.txt", parseSntp, nil, false},
	}
	for _, tc := range tests {
		got, err := tc.parse(output(t, tc.file))
		if (err == nil) != tc.wantOK {
			t.Errorf("%s: err = %v", tc.file, err)
			continue
		}
		switch {
		case got == nil && tc.want == nil:
		case got == nil || tc.want == nil:
			t.Errorf("%s: got %v, want %v", tc.file, got, tc.want)
		case (*got - *tc.want).Abs() > time.Microsecond:
			t.Errorf("%s: got %v, want %v", tc.file, *got, *tc.want)
		}
	}
}

func TestParseClockRefusesImplausible(t *testing.T) {
	for _, in := range []string{
		"System time     : 1e300 seconds fast of NTP time\n",
		"System time     : NaN seconds fast of NTP time\n",
		"System time     : fast\n",
	} {
		if d, err := parseChronyTracking([]byte(in)); err == nil {
			t.Errorf("%q: got %v, want an error", in, d)
		}
	}
	if d, err := parseW32tmStatus([]byte("Phase Offset: 99999999999s\r\n")); err == nil {
		t.Errorf("w32tm: got %v", d)
	}
}

func TestParseUpdates(t *testing.T) {
	tests := []struct {
		file  string
		parse func([]byte) (*int, error)
		want  int
	}{
		{"updates-available-ubuntu.txt", parseUpdatesAvailable, 5},
		{"updates-available-old.txt", parseUpdatesAvailable, 1},
		{"updates-available-none.txt", parseUpdatesAvailable, 0},
		{"wu-security.txt", func(b []byte) (*int, error) { return parseCount(b, "test") }, 3},
		{"apt-simulate.txt", func(b []byte) (*int, error) { return ptr(parseAptSimulate(b)), nil }, 3},
		{"dnf-updateinfo-security.txt", func(b []byte) (*int, error) { return ptr(parseDnfSecurity(b)), nil }, 3},
	}
	for _, tc := range tests {
		got, err := tc.parse(output(t, tc.file))
		if err != nil || got == nil || *got != tc.want {
			t.Errorf("%s: got %v, %v; want %d", tc.file, deref(got), err, tc.want)
		}
	}
	if n, err := parseUpdatesAvailable([]byte("something else entirely\n")); err == nil {
		t.Errorf("unknown text: got %d", *n)
	}
	if n, err := parseUpdatesAvailable(nil); err != nil || *n != 0 {
		t.Errorf("empty file (nothing pending): %v, %v", deref(n), err)
	}
	if n, err := parseDefaultsInt([]byte("2\n")); err != nil || *n != 2 {
		t.Errorf("defaults: %v, %v", deref(n), err)
	}
	if _, err := parseDefaultsInt([]byte("The domain/default pair does not exist\n")); err == nil {
		t.Error("defaults error text accepted as a count")
	}
}

func TestParseNeedsRestarting(t *testing.T) {
	for file, want := range map[string]bool{"needs-restarting-yes.txt": true, "needs-restarting-no.txt": false} {
		got, err := parseNeedsRestarting(output(t, file))
		if err != nil || got == nil || *got != want {
			t.Errorf("%s: %v, %v", file, deref(got), err)
		}
	}
	if _, err := parseNeedsRestarting([]byte("usage: needs-restarting")); err == nil {
		t.Error("usage text accepted")
	}
}

func TestParseBattery(t *testing.T) {
	tests := []struct {
		file  string
		parse func([]byte) (batteryState, error)
		want  float64 // 0: no battery
	}{
		{"ioreg-intel.txt", parseIoregBattery, 61.8},
		{"ioreg-applesilicon.txt", parseIoregBattery, 91.5},
		{"ioreg-desktop.txt", parseIoregBattery, 0},
		{"wmi-battery.txt", parseWMIBattery, 68.2},
		{"wmi-battery-none.txt", parseWMIBattery, 0},
	}
	for _, tc := range tests {
		got, err := tc.parse(output(t, tc.file))
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		if tc.want == 0 {
			if !got.none || got.healthPct != nil {
				t.Errorf("%s: %+v, want no battery", tc.file, got)
			}
			continue
		}
		if got.none || got.healthPct == nil || *got.healthPct != tc.want {
			t.Errorf("%s: %v, want %v", tc.file, deref(got.healthPct), tc.want)
		}
	}
	for _, in := range []string{`{"Batteries":1,"Full":null,"Design":5000}`, `{"Batteries":1,"Full":90000,"Design":5}`, `not json`} {
		if b, err := parseWMIBattery([]byte(in)); err == nil {
			t.Errorf("%s: got %+v", in, b)
		}
	}
	if b, err := parseIoregBattery([]byte(`"CycleCount" = 12`)); err == nil {
		t.Errorf("ioreg without capacities: %+v", b)
	}
}

func TestParseProcUptime(t *testing.T) {
	if d, err := parseProcUptime([]byte("350735.47 234388.90\n")); err != nil || d != 350735470*time.Millisecond {
		t.Errorf("got %v, %v", d, err)
	}
	for _, in := range []string{"", "abc 1", "-5 1", "1e300 2"} {
		if d, err := parseProcUptime([]byte(in)); err == nil {
			t.Errorf("%q: got %v", in, d)
		}
	}
}

func TestNewestTimeshift(t *testing.T) {
	got, ok := newestTimeshift([]string{"2024-05-01_10-00-01", "junk", "2024-05-03_08-30-00", "2024-04-30_23-59-59"}, time.UTC)
	if !ok || !got.Equal(time.Date(2024, 5, 3, 8, 30, 0, 0, time.UTC)) {
		t.Errorf("got %v %v", got, ok)
	}
	if _, ok := newestTimeshift([]string{"junk"}, time.UTC); ok {
		t.Error("junk is a snapshot")
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestNewerKernel(t *testing.T) {
	tests := []struct {
		running   string
		installed []string
		want      bool
	}{
		{"6.1.0-26-amd64\n", []string{"6.1.0-26-amd64", "6.1.0-27-amd64"}, true},
		{"6.1.0-26-amd64", []string{"6.1.0-9-amd64", "6.1.0-26-amd64", "5.10.0-30-amd64"}, false},
		{"6.1.0-9-amd64", []string{"6.1.0-9-amd64", "6.1.0-10-amd64"}, true},
		{"6.1.0-26-amd64", []string{"6.1.0-26-amd64", "6.1.0-27-rt-amd64"}, false}, // another flavour
		{"6.5.6-300.fc39.x86_64", []string{"6.5.6-300.fc39.x86_64", "6.6.2-201.fc39.x86_64"}, true},
		{"6.6.2-201.fc39.x86_64", []string{"6.5.6-300.fc39.x86_64", "6.6.2-201.fc39.x86_64"}, false},
		{"6.1.0-26-rt-amd64", []string{"6.1.0-26-rt-amd64", "6.1.0-28-rt-amd64"}, true},
		{"6.5.0-1-generic", []string{"6.5.0-1-generic", "6.5.0-14-generic"}, true},
		{"", []string{"6.1.0-27-amd64"}, false},
	}
	for _, tc := range tests {
		if got := newerKernel(tc.running, tc.installed); got != tc.want {
			t.Errorf("running %q, installed %v: %v, want %v", tc.running, tc.installed, got, tc.want)
		}
	}
}
