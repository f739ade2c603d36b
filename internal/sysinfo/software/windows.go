package software

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file holds the Windows detection's pure parts, so they are tested
// on every OS; detect_windows.go does the registry and system calls.

// uninstallEntry is one program under a registry Uninstall key.
type uninstallEntry struct {
	DisplayName    string
	DisplayVersion string
	DisplayIcon    string
}

// productsFromUninstall reports every catalog product an Uninstall entry
// matches, once, from the first matching entry in the order given (the
// machine-wide keys come before the per-user ones).
func productsFromUninstall(entries []uninstallEntry) map[string]Item {
	found := map[string]Item{}
	for _, p := range catalog() {
		for _, e := range entries {
			if !matchName(p.displayNames, e.DisplayName) {
				continue
			}
			found[p.name] = Item{
				Name: p.name, Kind: p.kind, Installed: true,
				Version: strings.TrimSpace(e.DisplayVersion),
				Launch:  exeFromDisplayIcon(e.DisplayIcon),
			}
			break
		}
	}
	return found
}

// exeFromDisplayIcon turns a DisplayIcon value (`"C:\Program
// Files\Zoom\bin\Zoom.exe",0`) into the executable's path, or "" when it
// names no absolute .exe (an .ico, an MSI product code).
func exeFromDisplayIcon(icon string) string {
	s := strings.TrimSpace(icon)
	if i := strings.LastIndexByte(s, ','); i > 0 {
		if _, err := strconv.Atoi(strings.TrimSpace(s[i+1:])); err == nil {
			s = strings.TrimSpace(s[:i])
		}
	}
	s = strings.Trim(s, `"`)
	if !isWindowsAbs(s) || !strings.HasSuffix(strings.ToLower(s), ".exe") {
		return ""
	}
	return s
}

// isWindowsAbs reports whether p starts with a drive: `C:\`.
func isWindowsAbs(p string) bool {
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') &&
		(p[0]|0x20 >= 'a' && p[0]|0x20 <= 'z')
}

// msixVersion finds the newest installed version of an MSIX package
// (new Teams, new Outlook) from the folder names under
// Program Files\WindowsApps:
// "MSTeams_24243.1309.3132.617_x64__8wekyb3d8bbwe".
func msixVersion(dirNames []string, pkgName string) (string, bool) {
	best := ""
	for _, d := range dirNames {
		parts := strings.Split(d, "_")
		if len(parts) < 5 || !strings.EqualFold(parts[0], pkgName) || !isDottedVersion(parts[1]) {
			continue
		}
		if best == "" || compareVersions(parts[1], best) > 0 {
			best = parts[1]
		}
	}
	return best, best != ""
}

func isDottedVersion(v string) bool {
	if v == "" {
		return false
	}
	for _, p := range strings.Split(v, ".") {
		if _, err := strconv.ParseUint(p, 10, 32); err != nil {
			return false
		}
	}
	return true
}

// compareVersions compares dotted numeric versions part by part; a
// missing part counts as 0, a part that is not a number compares as text.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		x, y := "0", "0"
		if i < len(as) {
			x = as[i]
		}
		if i < len(bs) {
			y = bs[i]
		}
		xn, xerr := strconv.ParseUint(x, 10, 64)
		yn, yerr := strconv.ParseUint(y, 10, 64)
		switch {
		case xerr == nil && yerr == nil && xn != yn:
			if xn < yn {
				return -1
			}
			return 1
		case (xerr != nil || yerr != nil) && x != y:
			return strings.Compare(x, y)
		}
	}
	return 0
}

// psScript asks PowerShell for what has no registry equivalent: Defender's
// live status and the BitLocker state of each volume. Dates are turned
// into ISO 8601 UTC inside the script and enums stay numbers, so nothing
// depends on the display language or the PowerShell version.
const psScript = `$ErrorActionPreference='Stop';[Console]::OutputEncoding=[Text.Encoding]::UTF8;` +
	`$r=[ordered]@{Defender=$null;DefenderError=$null;Volumes=@();VolumesError=$null};` +
	`try{$m=Get-MpComputerStatus;$t=$null;if($m.AntivirusSignatureLastUpdated){$t=$m.AntivirusSignatureLastUpdated.ToUniversalTime().ToString('o')};` +
	`$r.Defender=[ordered]@{AMServiceEnabled=$m.AMServiceEnabled;AntivirusEnabled=$m.AntivirusEnabled;RealTimeProtectionEnabled=$m.RealTimeProtectionEnabled;AMProductVersion=$m.AMProductVersion;AntivirusSignatureVersion=$m.AntivirusSignatureVersion;AntivirusSignatureLastUpdated=$t}}catch{$r.DefenderError=$_.Exception.Message};` +
	`try{$r.Volumes=@(Get-CimInstance -Namespace root/cimv2/Security/MicrosoftVolumeEncryption -ClassName Win32_EncryptableVolume|ForEach-Object{[ordered]@{DriveLetter=$_.DriveLetter;VolumeType=$_.VolumeType;ProtectionStatus=$_.ProtectionStatus;EncryptionMethod=$_.EncryptionMethod}})}catch{$r.VolumesError=$_.Exception.Message};` +
	`ConvertTo-Json -Compress -Depth 4 -InputObject $r`

// psStatus is psScript's answer.
type psStatus struct {
	Defender      *mpStatus         `json:"Defender"`
	DefenderError string            `json:"DefenderError"`
	Volumes       oneOrMany[volume] `json:"Volumes"`
	VolumesError  string            `json:"VolumesError"`
}

// mpStatus is the part of Get-MpComputerStatus used here.
type mpStatus struct {
	AMServiceEnabled              *bool  `json:"AMServiceEnabled"`
	AntivirusEnabled              *bool  `json:"AntivirusEnabled"`
	RealTimeProtectionEnabled     *bool  `json:"RealTimeProtectionEnabled"`
	AMProductVersion              string `json:"AMProductVersion"`
	AntivirusSignatureVersion     string `json:"AntivirusSignatureVersion"`
	AntivirusSignatureLastUpdated psTime `json:"AntivirusSignatureLastUpdated"`
}

// volume is one Win32_EncryptableVolume.
type volume struct {
	DriveLetter      string `json:"DriveLetter"`
	VolumeType       *int   `json:"VolumeType"`       // 0 OS, 1 fixed data, 2 removable
	ProtectionStatus int    `json:"ProtectionStatus"` // 0 off, 1 on, 2 unknown (locked)
	EncryptionMethod int    `json:"EncryptionMethod"` // 0 none
}

// parsePSStatus decodes psScript's output. PowerShell may print a byte
// order mark or warnings before the JSON, so decoding starts at the first
// brace.
func parsePSStatus(out []byte) (psStatus, error) {
	var st psStatus
	i := bytes.IndexByte(out, '{')
	if i < 0 {
		return st, errors.New("powershell printed no JSON")
	}
	if err := json.NewDecoder(bytes.NewReader(out[i:])).Decode(&st); err != nil {
		return st, fmt.Errorf("reading powershell's JSON: %w", err)
	}
	return st, nil
}

// oneOrMany decodes a JSON array, a single object (ConvertTo-Json
// unwraps one-element arrays in some PowerShell versions) or null.
type oneOrMany[T any] []T

func (o *oneOrMany[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*o = nil
		return nil
	}
	if len(b) > 0 && b[0] == '[' {
		var xs []T
		err := json.Unmarshal(b, &xs)
		*o = xs
		return err
	}
	var x T
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*o = oneOrMany[T]{x}
	return nil
}

// psTime reads a date as PowerShell writes it: ISO 8601, Windows
// PowerShell's "\/Date(1705312345000)\/", or that wrapped in an object
// {"value": …}. Anything else is left zero rather than failing the rest.
type psTime struct{ time.Time }

func (t *psTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var wrapped struct {
			Value json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(b, &wrapped); err != nil || wrapped.Value == nil {
			return nil
		}
		return t.UnmarshalJSON(wrapped.Value)
	}
	var s string
	if json.Unmarshal(b, &s) != nil {
		return nil
	}
	t.Time = parsePSDate(s)
	return nil
}

func parsePSDate(s string) time.Time {
	if ms, ok := strings.CutPrefix(s, "/Date("); ok {
		ms, _, _ = strings.Cut(ms, ")")
		// A zone offset may follow the milliseconds, "1705312345000+0100";
		// the milliseconds are UTC already.
		if n := len(ms); n > 5 && (ms[n-5] == '+' || ms[n-5] == '-') {
			ms = ms[:n-5]
		}
		n, err := strconv.ParseInt(ms, 10, 64)
		if err != nil || n <= 0 {
			return time.Time{}
		}
		return time.UnixMilli(n).UTC()
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC()
	}
	return time.Time{}
}

// bitLockerState summarises the fixed volumes: Enabled is whether the
// system volume (or, when none is marked, every fixed volume) is
// protected; detail reads "1 of 2 volumes encrypted".
func bitLockerState(vols []volume) (*bool, string) {
	var fixed []volume
	for _, v := range vols {
		if v.VolumeType == nil || *v.VolumeType != 2 {
			fixed = append(fixed, v)
		}
	}
	if len(fixed) == 0 {
		return nil, "no fixed volumes reported"
	}
	on, suspended := 0, 0
	var system *volume
	for i, v := range fixed {
		switch {
		case v.ProtectionStatus == 1:
			on++
		case v.EncryptionMethod != 0:
			suspended++
		}
		if v.VolumeType != nil && *v.VolumeType == 0 {
			system = &fixed[i]
		}
	}
	detail := fmt.Sprintf("%d of %d volumes encrypted", on, len(fixed))
	if suspended > 0 {
		detail += fmt.Sprintf(", %d with protection suspended", suspended)
	}
	if system != nil {
		return ptr(system.ProtectionStatus == 1), detail
	}
	return ptr(on == len(fixed)), detail
}

// fileTime converts a FILETIME (100 ns ticks since 1601, little endian,
// as REG_BINARY values hold it) to a time; false for zero or garbage.
func fileTime(b []byte) (time.Time, bool) {
	if len(b) != 8 {
		return time.Time{}, false
	}
	ticks := binary.LittleEndian.Uint64(b)
	const epochDiff = 116444736000000000 // 1601-01-01 to 1970-01-01 in ticks
	if ticks <= epochDiff || ticks > epochDiff+(1<<62)/100 {
		return time.Time{}, false
	}
	return time.Unix(0, int64(ticks-epochDiff)*100).UTC(), true
}

// defenderPlatformVersion reads the platform version from Defender's
// InstallLocation: `C:\ProgramData\Microsoft\Windows
// Defender\Platform\4.18.24090.11-0\`.
func defenderPlatformVersion(installLocation string) string {
	parts := strings.FieldsFunc(installLocation, func(r rune) bool { return r == '\\' || r == '/' })
	for i := len(parts) - 1; i > 0; i-- {
		if strings.EqualFold(parts[i-1], "Platform") {
			v, _, _ := strings.Cut(parts[i], "-")
			if isDottedVersion(v) {
				return v
			}
		}
	}
	return ""
}

// fwProfile is the state of one Windows Firewall profile; nil is unknown.
type fwProfile struct {
	Name    string
	Enabled *bool
}

// firewallState: on only when every profile is on, since a laptop moves
// between them; detail names the profiles that are off.
func firewallState(profiles []fwProfile) (*bool, string) {
	var off, unknown []string
	for _, p := range profiles {
		switch {
		case p.Enabled == nil:
			unknown = append(unknown, p.Name)
		case !*p.Enabled:
			off = append(off, p.Name)
		}
	}
	switch {
	case len(off) > 0:
		return ptr(false), "off for " + joinAnd(off)
	case len(unknown) == len(profiles):
		return nil, ""
	case len(unknown) > 0:
		return nil, "on, " + joinAnd(unknown) + " unknown"
	}
	return ptr(true), "on for " + joinAnd(names(profiles))
}

func names(ps []fwProfile) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}
