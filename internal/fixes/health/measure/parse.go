package measure

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The parsers below read the OS tools' output. They live in a file without
// an OS suffix so the Linux tests check the Windows and macOS ones too,
// with recorded output.

// maxOffset bounds a parsed clock offset: anything beyond a year is a
// misread, not a clock.
const maxOffset = 365 * 24 * time.Hour

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// seconds converts a parsed number of seconds to a duration, refusing
// what is not a plausible offset.
func seconds(s float64) (time.Duration, error) {
	if math.IsNaN(s) || math.IsInf(s, 0) || math.Abs(s) > maxOffset.Seconds() {
		return 0, fmt.Errorf("offset %v s is not plausible", s)
	}
	return time.Duration(s * float64(time.Second)), nil
}

// parseProcUptime reads /proc/uptime: "12345.67 23456.78", the seconds
// since boot first.
func parseProcUptime(b []byte) (time.Duration, error) {
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0, errors.New("/proc/uptime is empty")
	}
	s, err := strconv.ParseFloat(f[0], 64)
	if err != nil || s < 0 || math.IsInf(s, 0) || s > 100*365*24*3600 {
		return 0, fmt.Errorf("/proc/uptime: %q is not a number of seconds", f[0])
	}
	return time.Duration(s * float64(time.Second)), nil
}

// parseChronyTracking reads `chronyc tracking`:
//
//	System time     : 0.000012345 seconds slow of NTP time
//	Leap status     : Normal
//
// "slow" means the clock is behind (a negative offset). A clock chrony
// has not synchronised yet ("Leap status : Not synchronised") has no
// offset worth reporting: nil, not a guess.
func parseChronyTracking(b []byte) (*time.Duration, error) {
	var off *time.Duration
	synced := true
	for line := range strings.Lines(string(b)) {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch key {
		case "Leap status":
			synced = !strings.EqualFold(val, "Not synchronised")
		case "System time":
			f := strings.Fields(val)
			if len(f) < 3 || f[1] != "seconds" {
				return nil, fmt.Errorf("chronyc: system time %q not understood", val)
			}
			s, err := strconv.ParseFloat(f[0], 64)
			if err != nil {
				return nil, fmt.Errorf("chronyc: system time %q not understood", val)
			}
			if f[2] == "slow" {
				s = -s
			}
			d, err := seconds(s)
			if err != nil {
				return nil, fmt.Errorf("chronyc: %w", err)
			}
			off = &d
		}
	}
	if !synced {
		return nil, nil
	}
	if off == nil {
		return nil, errors.New("chronyc: no system time line")
	}
	return off, nil
}

// parseTimesyncStatus reads `timedatectl timesync-status` from
// systemd-timesyncd:
//
//	Server: 192.0.2.1 (0.debian.pool.ntp.org)
//	Offset: -1.234ms
//
// Offset is the last measured difference; without a server (or without
// the Offset line) nothing is known.
func parseTimesyncStatus(b []byte) (*time.Duration, error) {
	for line := range strings.Lines(string(b)) {
		key, val, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(key) != "Offset" {
			continue
		}
		val = strings.TrimSpace(val)
		// Longer offsets are written "+1min 2.345s".
		d, err := time.ParseDuration(strings.ReplaceAll(strings.ReplaceAll(val, "min", "m"), " ", ""))
		if err != nil {
			return nil, fmt.Errorf("timedatectl: offset %q not understood", val)
		}
		if d > maxOffset || d < -maxOffset {
			return nil, fmt.Errorf("timedatectl: offset %q is not plausible", val)
		}
		return &d, nil
	}
	return nil, nil
}

// updatesAvailable matches the security line update-notifier writes, in
// its old and new wordings:
//
//	5 of these updates are standard security updates.
//	3 updates are security updates.
var updatesAvailable = regexp.MustCompile(`(?m)^\s*(\d+)\s+(?:of these\s+)?updates?\s+(?:is|are)\s+(?:a\s+)?(?:standard\s+)?security updates?`)

// updatesTotal matches its first line, "12 updates can be applied
// immediately." or "12 packages can be updated.".
var updatesTotal = regexp.MustCompile(`(?m)^\s*(\d+)\s+(?:updates?|packages?)\s+can be`)

// parseUpdatesAvailable reads /var/lib/update-notifier/updates-available
// (Ubuntu's motd text): the security count, or zero when the file says
// how many updates there are and names no security ones.
func parseUpdatesAvailable(b []byte) (*int, error) {
	if m := updatesAvailable.FindSubmatch(b); m != nil {
		n, err := strconv.Atoi(string(m[1]))
		if err != nil || n > 1_000_000 {
			return nil, fmt.Errorf("updates-available: %q is not a count", m[1])
		}
		return &n, nil
	}
	if updatesTotal.Match(b) || bytes.Contains(b, []byte("up to date")) {
		zero := 0
		return &zero, nil
	}
	if len(bytes.TrimSpace(b)) == 0 {
		// update-notifier empties the file when nothing is pending.
		zero := 0
		return &zero, nil
	}
	return nil, errors.New("updates-available: not understood")
}

// parseAptSimulate counts the security updates in `apt-get -s
// dist-upgrade`:
//
//	Inst libssl3 [3.0.11-1~deb12u1] (3.0.13-1~deb12u2 Debian-Security:12/stable-security [amd64])
//
// An upgrade counts when one of the origins it comes from is a security
// archive (Debian's "-security" suites, Ubuntu's "-security" pockets).
func parseAptSimulate(b []byte) int {
	n := 0
	for line := range strings.Lines(string(b)) {
		if !strings.HasPrefix(line, "Inst ") {
			continue
		}
		_, origin, ok := strings.Cut(line, "(")
		if ok && strings.Contains(strings.ToLower(origin), "-security") {
			n++
		}
	}
	return n
}

// parseDnfSecurity counts the advisories `dnf -C -q updateinfo list
// --security` lists, one a line: "FEDORA-2024-1234 Important/Sec. pkg-1.2".
func parseDnfSecurity(b []byte) int {
	n := 0
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) >= 3 && strings.Contains(f[1], "/Sec") {
			n++
		}
	}
	return n
}

// parseNeedsRestarting reads `needs-restarting -r` (dnf-utils): it says
// "Reboot is required" or "Reboot should not be necessary".
func parseNeedsRestarting(b []byte) (*bool, error) {
	s := strings.ToLower(string(b))
	switch {
	case strings.Contains(s, "reboot is required"):
		return ptr(true), nil
	case strings.Contains(s, "reboot should not be necessary"):
		return ptr(false), nil
	}
	return nil, errors.New("needs-restarting: not understood")
}

// newerKernel says whether a kernel newer than running, of the same
// flavour ("-amd64", "-rt-amd64", ".x86_64"), is installed: the running
// kernel stays in use until a restart. Releases compare as numbers where
// they hold digits: 6.1.0-27-amd64 is newer than 6.1.0-9-amd64.
func newerKernel(running string, installed []string) bool {
	running = strings.TrimSpace(running)
	if running == "" {
		return false
	}
	flavour := kernelFlavour(running)
	for _, k := range installed {
		if k != running && kernelFlavour(k) == flavour && naturalLess(running, k) {
			return true
		}
	}
	return false
}

// kernelVersion matches the version part of a release, 6.1.0-26 of
// 6.1.0-26-amd64; the rest is the flavour.
var kernelVersion = regexp.MustCompile(`^[0-9]+(?:\.[0-9]+)*(?:-[0-9]+)?`)

// kernelFlavour is what follows the version of a release.
func kernelFlavour(release string) string {
	return release[len(kernelVersion.FindString(release)):]
}

// naturalLess compares a and b with runs of digits as numbers.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		an, arest := leadingRun(a)
		bn, brest := leadingRun(b)
		if an != bn {
			ad, bd := isDigits(an), isDigits(bn)
			switch {
			case ad && bd:
				an, bn = strings.TrimLeft(an, "0"), strings.TrimLeft(bn, "0")
				if len(an) != len(bn) {
					return len(an) < len(bn)
				}
				if an != bn {
					return an < bn
				}
			case ad != bd:
				// A number sorts after text: 6.1.0-27 is newer than 6.1.0-rc.
				return bd
			default:
				return an < bn
			}
		}
		a, b = arest, brest
	}
	return a == "" && b != ""
}

// leadingRun splits s after its first run of digits or of other bytes.
func leadingRun(s string) (string, string) {
	digits := s[0] >= '0' && s[0] <= '9'
	i := 1
	for i < len(s) && (s[i] >= '0' && s[i] <= '9') == digits {
		i++
	}
	return s[:i], s[i:]
}

func isDigits(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// timeshiftName is a Timeshift snapshot folder: 2024-05-01_10-00-01.
const timeshiftName = "2006-01-02_15-04-05"

// newestTimeshift is the newest snapshot time among folder names; ok is
// false when none is a snapshot. Timeshift names them in local time.
func newestTimeshift(names []string, loc *time.Location) (time.Time, bool) {
	var best time.Time
	for _, n := range names {
		t, err := time.ParseInLocation(timeshiftName, n, loc)
		if err == nil && t.After(best) {
			best = t
		}
	}
	return best, !best.IsZero()
}

// w32tmOffset matches the phase offset of `w32tm /query /status /verbose`:
// "Phase Offset: 0.0001234s".
var w32tmOffset = regexp.MustCompile(`(?m)^\s*Phase Offset:\s*([-+]?[0-9.]+(?:[eE][-+]?\d+)?)s\s*$`)

// parseW32tmStatus reads `w32tm /query /status /verbose`. A clock that
// syncs from nothing but its own hardware ("Source: Local CMOS Clock" or
// "Free-running System Clock") has no offset worth reporting.
func parseW32tmStatus(b []byte) (*time.Duration, error) {
	text := string(b)
	if strings.Contains(text, "Local CMOS Clock") || strings.Contains(text, "Free-running System Clock") {
		return nil, nil
	}
	m := w32tmOffset.FindStringSubmatch(text)
	if m == nil {
		return nil, errors.New("w32tm: no phase offset")
	}
	s, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return nil, fmt.Errorf("w32tm: phase offset %q not understood", m[1])
	}
	d, err := seconds(s)
	if err != nil {
		return nil, fmt.Errorf("w32tm: %w", err)
	}
	return &d, nil
}

// parseSntp reads `sntp -t 1 time.apple.com` on macOS:
//
//	+0.012345 +/- 0.005678 time.apple.com 17.253.34.253
//
// The first number is how far the local clock is from the server's (a
// positive value means the clock is behind); reported here as the
// clock's own offset, so the sign is flipped.
func parseSntp(b []byte) (*time.Duration, error) {
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) < 2 || f[1] != "+/-" {
			continue
		}
		s, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			return nil, fmt.Errorf("sntp: offset %q not understood", f[0])
		}
		d, err := seconds(-s)
		if err != nil {
			return nil, fmt.Errorf("sntp: %w", err)
		}
		return &d, nil
	}
	return nil, errors.New("sntp: no offset line")
}

// parseDefaultsInt reads an integer `defaults read` printed.
func parseDefaultsInt(b []byte) (*int, error) {
	s := strings.TrimSpace(string(b))
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1_000_000 {
		return nil, fmt.Errorf("defaults: %q is not a count", s)
	}
	return &n, nil
}

// ioregValue matches `"Key" = 1234` in `ioreg -r -c AppleSmartBattery`.
var ioregValue = regexp.MustCompile(`^\s*\|?\s*"(\w+)"\s*=\s*(\d+)\s*$`)

// parseIoregBattery reads the battery's wear from `ioreg -r -c
// AppleSmartBattery`: the full charge capacity against the design
// capacity, in mAh. Apple silicon Macs report MaxCapacity as a percentage,
// so the raw value (AppleRawMaxCapacity, or NominalChargeCapacity) is
// preferred. No battery entry at all means a desktop Mac.
func parseIoregBattery(b []byte) (batteryState, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return batteryState{none: true}, nil
	}
	vals := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		if m := ioregValue.FindStringSubmatch(sc.Text()); m != nil {
			if v, err := strconv.ParseFloat(m[2], 64); err == nil {
				if _, seen := vals[m[1]]; !seen {
					vals[m[1]] = v
				}
			}
		}
	}
	design := vals["DesignCapacity"]
	full := vals["AppleRawMaxCapacity"]
	if full == 0 {
		full = vals["NominalChargeCapacity"]
	}
	if full == 0 && vals["MaxCapacity"] > 100 {
		full = vals["MaxCapacity"]
	}
	return capacityHealth(full, design, "ioreg")
}

// capacityHealth is full against design capacity as a percentage.
func capacityHealth(full, design float64, source string) (batteryState, error) {
	if full <= 0 || design <= 0 || math.IsInf(full, 0) || math.IsInf(design, 0) {
		return batteryState{}, fmt.Errorf("%s: no full and design capacity", source)
	}
	pct := round1(100 * full / design)
	// A new battery can hold a little more than its design capacity;
	// several times more is a misread.
	if pct > 200 {
		return batteryState{}, fmt.Errorf("%s: capacity %v of design %v is not plausible", source, full, design)
	}
	return batteryState{healthPct: &pct}, nil
}

// wmiBattery is what psBattery prints.
type wmiBattery struct {
	Batteries int      `json:"Batteries"`
	Full      *float64 `json:"Full"`
	Design    *float64 `json:"Design"`
}

// parseWMIBattery reads the JSON of psBattery.
func parseWMIBattery(b []byte) (batteryState, error) {
	var w wmiBattery
	if err := json.Unmarshal(bytes.TrimSpace(b), &w); err != nil {
		return batteryState{}, fmt.Errorf("battery WMI: %w", err)
	}
	if w.Batteries == 0 {
		return batteryState{none: true}, nil
	}
	if w.Full == nil || w.Design == nil {
		return batteryState{}, errors.New("battery WMI: capacities not reported")
	}
	return capacityHealth(*w.Full, *w.Design, "battery WMI")
}

// parseCount reads a count a script printed alone.
func parseCount(b []byte, what string) (*int, error) {
	s := strings.TrimSpace(string(b))
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1_000_000 {
		return nil, fmt.Errorf("%s: %q is not a count", what, s)
	}
	return &n, nil
}

func ptr[T any](v T) *T { return &v }
