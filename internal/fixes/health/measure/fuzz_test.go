package measure

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func addSeeds(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("testdata", "output"))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		f.Add(output(f, e.Name()))
	}
}

// FuzzClockParsers: whatever the time tools print, an offset is within a
// year or absent.
func FuzzClockParsers(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, p := range []func([]byte) (*time.Duration, error){parseChronyTracking, parseTimesyncStatus, parseW32tmStatus, parseSntp} {
			d, err := p(b)
			if err != nil && d != nil {
				t.Fatalf("an offset with an error: %v %v", *d, err)
			}
			if d != nil && (*d > maxOffset || *d < -maxOffset) {
				t.Fatalf("implausible offset %v", *d)
			}
		}
		if u, err := parseProcUptime(b); err == nil && u < 0 {
			t.Fatalf("negative uptime %v", u)
		}
	})
}

// FuzzCountParsers: counts are never negative.
func FuzzCountParsers(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, p := range []func([]byte) (*int, error){
			parseUpdatesAvailable, parseDefaultsInt,
			func(b []byte) (*int, error) { return parseCount(b, "fuzz") },
		} {
			if n, err := p(b); err == nil && (n == nil || *n < 0) {
				t.Fatalf("count %v", deref(n))
			}
		}
		if parseAptSimulate(b) < 0 || parseDnfSecurity(b) < 0 {
			t.Fatal("negative count")
		}
		_, _ = parseNeedsRestarting(b)
	})
}

// FuzzBatteryParsers: a health is a positive share no larger than twice
// the design, and never together with "no battery".
func FuzzBatteryParsers(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, p := range []func([]byte) (batteryState, error){parseIoregBattery, parseWMIBattery} {
			s, err := p(b)
			if err != nil {
				continue
			}
			if s.none == (s.healthPct != nil) {
				t.Fatalf("state %+v", s)
			}
			if s.healthPct != nil && (*s.healthPct <= 0 || *s.healthPct > 200) {
				t.Fatalf("health %v", *s.healthPct)
			}
		}
	})
}

// FuzzNewerKernel: release names compare as a strict order, and a kernel
// is never newer than itself.
func FuzzNewerKernel(f *testing.F) {
	f.Add("6.1.0-26-amd64", "6.1.0-27-amd64")
	f.Add("6.5.6-300.fc39.x86_64", "6.6.2-201.fc39.x86_64")
	f.Add("6.1.0-09-amd64", "6.1.0-9-amd64")
	f.Fuzz(func(t *testing.T, a, b string) {
		if naturalLess(a, b) && naturalLess(b, a) {
			t.Fatalf("%q and %q are each less than the other", a, b)
		}
		if newerKernel(a, []string{a}) {
			t.Fatalf("%q is newer than itself", a)
		}
	})
}
