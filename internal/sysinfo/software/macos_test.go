package software

import (
	"reflect"
	"testing"
	"time"
)

func TestMacApps(t *testing.T) {
	s := newScan(Env{Root: "testdata/macos"})
	got, err := s.macApps("/Applications")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Item{
		nameTeamViewer: {Name: nameTeamViewer, Kind: KindRemoteHelp, Installed: true, Version: "15.51.5", Launch: "/Applications/TeamViewer.app"},
		nameZoom:       {Name: nameZoom, Kind: KindApp, Installed: true, Version: "6.0.2 (33403)", Launch: "/Applications/zoom.us.app"},
		nameTeams:      {Name: nameTeams, Kind: KindApp, Installed: true, Version: "24124.1412.2911.3341", Launch: "/Applications/Microsoft Teams.app"},
		nameM365:       {Name: nameM365, Kind: KindApp, Installed: true, Version: "16.84", Launch: "/Applications/Microsoft Word.app"},
		// Binary Info.plist: found by its folder name, no version.
		nameSlack: {Name: nameSlack, Kind: KindApp, Installed: true, Launch: "/Applications/Slack.app"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if _, err := s.macApps("/Nowhere"); err == nil || err.Error() != "listing /Nowhere: no such file or directory" {
		t.Errorf("missing folder: %v", err)
	}
}

func TestParseFdesetup(t *testing.T) {
	tests := []struct {
		in     string
		want   *bool
		detail string
	}{
		{"FileVault is On.\n", ptr(true), ""},
		{"FileVault is Off.\n", ptr(false), ""},
		{"FileVault is On.\nEncryption in progress: Percent completed = 42.5\n", ptr(false), "encryption in progress (42.5%)"},
		{"FileVault is On.\nEncryption in progress: Percent completed = 42,5\n", ptr(false), "encryption in progress (42.5%)"},
		{"FileVault is Off.\nDecryption in progress: Percent completed = 10\n", ptr(false), "decryption in progress"},
		{"Encryption in progress: Percent completed = 142\n", ptr(false), "encryption in progress"},
		{"", nil, ""},
	}
	for _, tt := range tests {
		got, detail := parseFdesetup([]byte(tt.in))
		if !reflect.DeepEqual(got, tt.want) || detail != tt.detail {
			t.Errorf("parseFdesetup(%q) = %v %q", tt.in, got, detail)
		}
	}
}

func TestParseSocketFilterFW(t *testing.T) {
	tests := []struct {
		in     string
		want   *bool
		detail string
	}{
		{"Firewall is enabled. (State = 1)\n", ptr(true), ""},
		{"Firewall is disabled. (State = 0)\n", ptr(false), ""},
		{"Firewall is blocking all non-essential incoming connections (State = 2)\n", ptr(true), "blocking all incoming connections"},
		{"Firewall is enabled.\n", ptr(true), ""},
		{"Firewall is disabled.\n", ptr(false), ""},
		{"State = x\n", nil, ""},
		{"", nil, ""},
	}
	for _, tt := range tests {
		got, detail := parseSocketFilterFW([]byte(tt.in))
		if !reflect.DeepEqual(got, tt.want) || detail != tt.detail {
			t.Errorf("parseSocketFilterFW(%q) = %v %q", tt.in, got, detail)
		}
	}
}

func TestParseTmutilLatest(t *testing.T) {
	loc := time.FixedZone("CEST", 2*3600)
	want := time.Date(2024, 5, 2, 10, 15, 30, 0, loc)
	for _, in := range []string{
		"/Volumes/Backup/Backups.backupdb/Janes MacBook/2024-05-02-101530\n",
		"/Volumes/.timemachine/A1B2/2024-05-02-101530.backup/2024-05-02-101530.backup\n",
		"/Volumes/Backups of Jane/2024-05-02-101530.backup/\n",
	} {
		if got, ok := parseTmutilLatest([]byte(in), loc); !ok || !got.Equal(want) {
			t.Errorf("parseTmutilLatest(%q) = %v, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "No machine directory found for host.\n", "/Volumes/x/2024-13-45-999999\n"} {
		if _, ok := parseTmutilLatest([]byte(in), loc); ok {
			t.Errorf("parseTmutilLatest(%q) found a date", in)
		}
	}
}
