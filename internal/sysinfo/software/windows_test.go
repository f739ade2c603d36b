package software

import (
	"encoding/binary"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestProductsFromUninstall(t *testing.T) {
	entries := []uninstallEntry{
		{DisplayName: "Microsoft Teams Meeting Add-in for Microsoft Office", DisplayVersion: "1.24.9201"},
		{DisplayName: "TeamViewer", DisplayVersion: "15.51.5", DisplayIcon: `"C:\Program Files\TeamViewer\TeamViewer.exe",0`},
		{DisplayName: "Zoom Outlook Plugin", DisplayVersion: "5.17.0"},
		{DisplayName: "Microsoft 365 Apps for enterprise - de-de", DisplayVersion: "16.0.17531.20140", DisplayIcon: `C:\Program Files\Common Files\Microsoft Shared\ClickToRun\OfficeClickToRun.exe`},
		{DisplayName: "Zoom Workplace (64-bit)", DisplayVersion: "6.0.2 (33403)", DisplayIcon: `C:\Program Files\Zoom\bin\Zoom.exe`},
		{DisplayName: "Veeam Agent for Microsoft Windows", DisplayVersion: "6.1.2.134", DisplayIcon: `{B4E0DA2E-1B2C-4D3E-9F00-123456789ABC}`},
		{DisplayName: "Google Chrome", DisplayVersion: "124.0"},
		{DisplayName: "Zoom", DisplayVersion: "5.0 (per-user, listed later)"},
	}
	got := productsFromUninstall(entries)
	want := map[string]Item{
		nameTeamViewer: {Name: nameTeamViewer, Kind: KindRemoteHelp, Installed: true, Version: "15.51.5", Launch: `C:\Program Files\TeamViewer\TeamViewer.exe`},
		nameM365:       {Name: nameM365, Kind: KindApp, Installed: true, Version: "16.0.17531.20140", Launch: `C:\Program Files\Common Files\Microsoft Shared\ClickToRun\OfficeClickToRun.exe`},
		nameZoom:       {Name: nameZoom, Kind: KindApp, Installed: true, Version: "6.0.2 (33403)", Launch: `C:\Program Files\Zoom\bin\Zoom.exe`},
		nameVeeam:      {Name: nameVeeam, Kind: KindBackup, Installed: true, Version: "6.1.2.134"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestExeFromDisplayIcon(t *testing.T) {
	for in, want := range map[string]string{
		`"C:\Program Files\AnyDesk\AnyDesk.exe",0`: `C:\Program Files\AnyDesk\AnyDesk.exe`,
		`C:\Program Files\Slack\slack.exe`:         `C:\Program Files\Slack\slack.exe`,
		`C:\Windows\Installer\{X}\icon.ico`:        "",
		`MsiExec.exe`:                              "",
		`{B4E0DA2E-1B2C-4D3E-9F00-123456789ABC}`:   "",
		`"d:\Apps\x.EXE" , 12`:                     `d:\Apps\x.EXE`,
		``:                                         "",
	} {
		if got := exeFromDisplayIcon(in); got != want {
			t.Errorf("exeFromDisplayIcon(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMSIXVersionAndCompare(t *testing.T) {
	dirs := []string{
		"MSTeams_24004.1307.2669.7070_x64__8wekyb3d8bbwe",
		"MSTeams_24124.1412.2911.3341_x64__8wekyb3d8bbwe",
		"MSTeams_24124.412.2911.3341_x64__8wekyb3d8bbwe",
		"MSTeamsX_99.0_x64__8wekyb3d8bbwe",
		"MSTeams_bogus_x64__8wekyb3d8bbwe",
		"Microsoft.OutlookForWindows_1.2024.508.300_x64__8wekyb3d8bbwe",
		"Deleted",
	}
	if v, ok := msixVersion(dirs, "MSTeams"); !ok || v != "24124.1412.2911.3341" {
		t.Errorf("MSTeams = %q, %v", v, ok)
	}
	if v, ok := msixVersion(dirs, "Microsoft.OutlookForWindows"); !ok || v != "1.2024.508.300" {
		t.Errorf("Outlook = %q, %v", v, ok)
	}
	if _, ok := msixVersion(dirs, "Slack"); ok {
		t.Error("found a package that is not there")
	}
	for _, tt := range []struct {
		a, b string
		want int
	}{{"1.10", "1.9", 1}, {"1.9", "1.10", -1}, {"2", "2.0", 0}, {"1.2.3", "1.2.3", 0}, {"1.a", "1.b", -1}} {
		if got := compareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("compareVersions(%s, %s) = %d", tt.a, tt.b, got)
		}
	}
}

func TestParsePSStatus(t *testing.T) {
	st, err := parsePSStatus(readTestdata(t, "windows/ps-status.json"))
	if err != nil {
		t.Fatal(err)
	}
	m := st.Defender
	if m == nil || !isTrue(m.RealTimeProtectionEnabled) || m.AMProductVersion != "4.18.24090.11" ||
		!m.AntivirusSignatureLastUpdated.Equal(time.Date(2024, 10, 21, 6, 12, 44, 0, time.UTC)) {
		t.Errorf("defender = %+v", m)
	}
	if len(st.Volumes) != 3 || st.Volumes[0].DriveLetter != "C:" {
		t.Errorf("volumes = %+v", st.Volumes)
	}
	enabled, detail := bitLockerState(st.Volumes)
	if !isTrue(enabled) || detail != "1 of 2 volumes encrypted" {
		t.Errorf("bitlocker = %v %q (the removable E: does not count)", enabled, detail)
	}

	st, err = parsePSStatus(readTestdata(t, "windows/ps-status-ps51.json"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Defender == nil || st.Defender.RealTimeProtectionEnabled == nil || *st.Defender.RealTimeProtectionEnabled ||
		!st.Defender.AntivirusSignatureLastUpdated.Equal(time.UnixMilli(1657612800000)) {
		t.Errorf("5.1 defender = %+v", st.Defender)
	}
	enabled, detail = bitLockerState(st.Volumes)
	if enabled == nil || *enabled || detail != "0 of 1 volumes encrypted, 1 with protection suspended" {
		t.Errorf("5.1 bitlocker = %v %q", enabled, detail)
	}

	st, err = parsePSStatus(readTestdata(t, "windows/ps-status-errors.json"))
	if err != nil || st.Defender != nil || !strings.Contains(st.DefenderError, "0x800106ba") || st.VolumesError != "Zugriff verweigert" || len(st.Volumes) != 0 {
		t.Errorf("errors fixture: %+v, %v", st, err)
	}
	if e, _ := bitLockerState(nil); e != nil {
		t.Error("no volumes gave a state")
	}

	for _, bad := range []string{"", "Get-MpComputerStatus : not recognized", `{"Defender":`} {
		if _, err := parsePSStatus([]byte(bad)); err == nil {
			t.Errorf("parsePSStatus(%q) succeeded", bad)
		}
	}
}

func TestParsePSDate(t *testing.T) {
	for in, want := range map[string]time.Time{
		"/Date(1657612800000)/":      time.UnixMilli(1657612800000).UTC(),
		"/Date(1657612800000+0200)/": time.UnixMilli(1657612800000).UTC(),
		"2024-10-21T08:12:44+02:00":  time.Date(2024, 10, 21, 6, 12, 44, 0, time.UTC),
		"/Date(-5)/":                 {},
		"/Date(x)/":                  {},
		"21.10.2024 08:12":           {},
		"":                           {},
	} {
		if got := parsePSDate(in); !got.Equal(want) {
			t.Errorf("parsePSDate(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestFileTime(t *testing.T) {
	b := make([]byte, 8)
	// 2024-01-15 10:00:00 UTC in 100 ns ticks since 1601.
	want := time.Date(2024, 1, 15, 10, 0, 0, 0, time.UTC)
	binary.LittleEndian.PutUint64(b, uint64(want.UnixNano()/100)+116444736000000000)
	if got, ok := fileTime(b); !ok || !got.Equal(want) {
		t.Errorf("fileTime = %v, %v", got, ok)
	}
	if _, ok := fileTime(make([]byte, 8)); ok {
		t.Error("zero FILETIME accepted")
	}
	if _, ok := fileTime([]byte{1, 2, 3}); ok {
		t.Error("short value accepted")
	}
	if _, ok := fileTime([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}); ok {
		t.Error("overflowing value accepted")
	}
}

func TestDefenderPlatformVersion(t *testing.T) {
	for in, want := range map[string]string{
		`C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24090.11-0\`: "4.18.24090.11",
		`C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.2205.7-0`:    "4.18.2205.7",
		`C:\Program Files\Windows Defender\`:                                  "",
		``:                                                                    "",
	} {
		if got := defenderPlatformVersion(in); got != want {
			t.Errorf("defenderPlatformVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFirewallState(t *testing.T) {
	on, off := ptr(true), ptr(false)
	tests := []struct {
		profiles []fwProfile
		want     *bool
		detail   string
	}{
		{[]fwProfile{{"domain", on}, {"private", on}, {"public", on}}, on, "on for domain, private and public"},
		{[]fwProfile{{"domain", on}, {"private", off}, {"public", off}}, off, "off for private and public"},
		{[]fwProfile{{"domain", nil}, {"private", on}, {"public", on}}, nil, "on, domain unknown"},
		{[]fwProfile{{"domain", nil}, {"private", nil}}, nil, ""},
		{[]fwProfile{{"domain", nil}, {"public", off}}, off, "off for public"},
	}
	for _, tt := range tests {
		got, detail := firewallState(tt.profiles)
		if !reflect.DeepEqual(got, tt.want) || detail != tt.detail {
			t.Errorf("firewallState(%v) = %v %q, want %v %q", tt.profiles, got, detail, tt.want, tt.detail)
		}
	}
}
