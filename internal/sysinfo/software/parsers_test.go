package software

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseTeamViewerConf(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want teamViewerConf
	}{
		{"fixture", string(readTestdata(t, "debian-teamviewer-anydesk/etc/teamviewer/global.conf")), teamViewerConf{ClientID: "1234567890"}},
		{"version and CRLF", "TeamViewer Global Settings\r\n[int32] ClientID = 412345678\r\n[strng] Version = \"15.2.2756\" \"x\"\r\n", teamViewerConf{ClientID: "412345678", Version: "15.2.2756"}},
		{"not registered yet", "[int32] ClientID = 0\n", teamViewerConf{}},
		{"ClientIC is not the ID", "[int32] ClientIC = 301094961\n", teamViewerConf{}},
		{"wrong type", "[strng] ClientID = \"123\"\n", teamViewerConf{}},
		{"garbage value", "[int32] ClientID = 12ab\n", teamViewerConf{}},
		{"later line wins", "[int32] ClientID = 111\n[int32] ClientID = 222\n", teamViewerConf{ClientID: "222"}},
		{"empty", "", teamViewerConf{}},
	}
	for _, tt := range tests {
		if got := parseTeamViewerConf([]byte(tt.in)); got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestParseAnyDeskConf(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want anyDeskConf
	}{
		{"fixture", string(readTestdata(t, "debian-teamviewer-anydesk/etc/anydesk/system.conf")), anyDeskConf{ID: "987654321", Alias: "jdoe-laptop@ad"}},
		{"spaces and comments", "# AnyDesk\n ad.anynet.id = 1122334455 \r\n", anyDeskConf{ID: "1122334455"}},
		{"no id yet", "ad.anynet.alias=x@ad\n", anyDeskConf{Alias: "x@ad"}},
		{"zero id", "ad.anynet.id=0\n", anyDeskConf{}},
		{"non-numeric id", "ad.anynet.id=12 34\n", anyDeskConf{}},
		{"value with equals", "ad.anynet.id=5=6\n", anyDeskConf{}},
	}
	for _, tt := range tests {
		if got := parseAnyDeskConf([]byte(tt.in)); got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestShellValue(t *testing.T) {
	tests := []struct {
		in, name, want string
		found          bool
	}{
		{string(readTestdata(t, "debian-teamviewer-anydesk/opt/teamviewer/tv_bin/script/tvw_config")), "TV_VERSION", "15.51.5", true},
		{string(readTestdata(t, "debian-teamviewer-anydesk/etc/ufw/ufw.conf")), "ENABLED", "yes", true},
		{"TV_VERSION=\"10.0.95021\"\n", "TV_VERSION", "10.0.95021", true},
		{"ENABLED=no # off\nENABLED=yes\n", "ENABLED", "yes", true},
		{"ENABLED=no # off\n", "ENABLED", "no", true},
		{"export ENABLED='yes'\n", "ENABLED", "yes", true},
		{"#ENABLED=yes\n", "ENABLED", "", false},
		{"ENABLED_X=yes\n", "ENABLED", "", false},
		{"ENABLED='unterminated\n", "ENABLED", "'unterminated", true},
	}
	for _, tt := range tests {
		got, found := shellValue([]byte(tt.in), tt.name)
		if got != tt.want || found != tt.found {
			t.Errorf("shellValue(%q, %s) = %q, %v; want %q, %v", tt.in, tt.name, got, found, tt.want, tt.found)
		}
	}
}

func TestGroupDigits(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "7": "7", "123": "123", "1234": "1 234", "987654321": "987 654 321",
		"1234567890": "1 234 567 890", "12345678901": "12 345 678 901",
	} {
		if got := groupDigits(in); got != want {
			t.Errorf("groupDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseDefaultsInt(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"1234567890\n", "1234567890", true},
		{"  42 ", "42", true},
		{"0\n", "", false},
		{"", "", false},
		{"The domain/default pair of (…, ClientID) does not exist\n", "", false},
	}
	for _, tt := range tests {
		got, ok := parseDefaultsInt([]byte(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseDefaultsInt(%q) = %q, %v", tt.in, got, ok)
		}
	}
}

func TestParseCVDHeader(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    cvdHeader
		wantErr bool
	}{
		{"daily.cld fixture", readTestdata(t, "debian-teamviewer-anydesk/var/lib/clamav/daily.cld"),
			cvdHeader{Built: time.Unix(1714638240, 0).UTC(), Version: 27262, Signatures: 2059316}, false},
		{"epoch missing: date field", []byte("ClamAV-VDB:16 Mar 2016 23-17 +0000:57:4218790:60:06386f34a16ebeea2733ab037f0536be:"),
			cvdHeader{Built: time.Date(2016, 3, 16, 23, 17, 0, 0, time.UTC), Version: 57, Signatures: 4218790}, false},
		{"NUL padding", append([]byte("ClamAV-VDB:31 Jan 2026 00-00 +0000:12:1:90:x:x:fixture:1769817600"), make([]byte, 40)...),
			cvdHeader{Built: time.Unix(1769817600, 0).UTC(), Version: 12, Signatures: 1}, false},
		{"garbage", readTestdata(t, "broken/var/lib/clamav/daily.cvd"), cvdHeader{}, true},
		{"diff header", []byte("ClamAV-Diff:50:4228877:"), cvdHeader{}, true},
		{"bad version", []byte("ClamAV-VDB:16 Mar 2016 23-17 +0000:x:1"), cvdHeader{}, true},
		{"bad date, no epoch", []byte("ClamAV-VDB:yesterday:57:1:60"), cvdHeader{}, true},
		{"empty", nil, cvdHeader{}, true},
	}
	for _, tt := range tests {
		got, err := parseCVDHeader(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, wantErr %v", tt.name, err, tt.wantErr)
			continue
		}
		if !got.Built.Equal(tt.want.Built) || got.Version != tt.want.Version || got.Signatures != tt.want.Signatures {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestParseVeeamSessions(t *testing.T) {
	utc := time.UTC
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, utc) }
	sessions := parseVeeamSessions(readTestdata(t, "commands/veeamconfig-session-list.txt"), utc)
	want := []veeamSession{
		{"Daily home", "Backup", "Success", at(2024, 4, 30, 1, 0), at(2024, 4, 30, 1, 7)},
		{"Daily home", "Backup", "Warning", at(2024, 5, 1, 1, 0), at(2024, 5, 1, 1, 9)},
		{"Daily home", "Backup", "Failed", at(2024, 5, 2, 1, 0), at(2024, 5, 2, 1, 2)},
		{"Restore", "Restore", "Success", at(2024, 5, 2, 9, 15), at(2024, 5, 2, 9, 20)},
	}
	if !reflect.DeepEqual(sessions, want) {
		t.Fatalf("sessions:\n got %+v\nwant %+v", sessions, want)
	}
	sum := summarizeVeeam(sessions)
	if sum.LastSuccess == nil || !sum.LastSuccess.Equal(at(2024, 5, 1, 1, 9)) {
		t.Errorf("last success = %v, want the Warning session's finish (the restore is no backup)", sum.LastSuccess)
	}
	if sum.Latest == nil || sum.Latest.State != "Failed" {
		t.Errorf("latest = %+v, want the failed one", sum.Latest)
	}

	tests := []struct {
		file        string
		lastSuccess time.Time
		latestState string
	}{
		{"commands/veeamconfig-session-list-running.txt", at(2024, 4, 30, 1, 7), "Running"},
		{"commands/veeamconfig-session-list-de.txt", at(2024, 4, 30, 1, 7), "Success"},
	}
	for _, tt := range tests {
		sum := summarizeVeeam(parseVeeamSessions(readTestdata(t, tt.file), utc))
		if sum.LastSuccess == nil || !sum.LastSuccess.Equal(tt.lastSuccess) || sum.Latest == nil || sum.Latest.State != tt.latestState {
			t.Errorf("%s: got last success %v, latest %+v", tt.file, sum.LastSuccess, sum.Latest)
		}
	}

	us := parseVeeamSessions([]byte("J Backup {6b0a27a5-2d2f-4c8d-9c42-7b8a43c8e1a0} Success 4/30/2024 1:00 PM 4/30/2024 1:07 PM\n"), utc)
	if len(us) != 1 || !us[0].Finished.Equal(at(2024, 4, 30, 13, 7)) {
		t.Errorf("US time format: %+v", us)
	}
	if got := parseVeeamSessions([]byte("No sessions found.\nTotal amount: 0\n"), utc); len(got) != 0 {
		t.Errorf("empty list parsed as %+v", got)
	}
	if sum := summarizeVeeam(nil); sum.LastSuccess != nil || sum.Latest != nil {
		t.Errorf("no sessions summarized as %+v", sum)
	}
}

func TestParseDpkgStatus(t *testing.T) {
	wanted := map[string]bool{"teamviewer": true, "anydesk": true, "xrdp": true, "clamav": true, "bash": false, "missing": true}
	got := parseDpkgStatus(readTestdata(t, "debian-teamviewer-anydesk/var/lib/dpkg/status"), wanted)
	want := map[string]string{"teamviewer": "15.51.5", "anydesk": "6.3.2", "clamav": "1.0.5+dfsg-1~deb12u1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v (xrdp is only config-files, bash not wanted)", got, want)
	}
	// No trailing newline, CRLF, a stanza whose fields come in another order.
	in := "Version: 1.0\r\nStatus: install ok installed\r\nPackage: zoom\r\n\r\nPackage: slack-desktop\nStatus: install ok half-installed\nVersion: 2"
	got = parseDpkgStatus([]byte(in), map[string]bool{"zoom": true, "slack-desktop": true})
	if !reflect.DeepEqual(got, map[string]string{"zoom": "1.0"}) {
		t.Errorf("got %v", got)
	}
}

func TestParseRPMQuery(t *testing.T) {
	got := parseRPMQuery(readTestdata(t, "commands/rpm-query.txt"))
	want := map[string]string{"anydesk": "6.3.2-1", "firewalld": "2.1.2-1.fc40", "cryptsetup": "2.7.2-1.fc40"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestParseSnapAndMetainfoVersion(t *testing.T) {
	if v := parseSnapVersion(readTestdata(t, "debian-teamviewer-anydesk/snap/teams-for-linux/current/meta/snap.yaml")); v != "1.4.27" {
		t.Errorf("snap version = %q", v)
	}
	if v := parseSnapVersion([]byte("name: x\nversion: 2.0\n")); v != "2.0" {
		t.Errorf("unquoted snap version = %q", v)
	}
	if v := parseSnapVersion([]byte("name: x\n  version: nested\n")); v != "" {
		t.Errorf("nested key read as version %q", v)
	}
	meta := readTestdata(t, "fedora-rpm/var/lib/flatpak/app/us.zoom.Zoom/current/active/files/share/metainfo/us.zoom.Zoom.metainfo.xml")
	if v := parseMetainfoVersion(meta); v != "6.0.2.4680" {
		t.Errorf("metainfo version = %q", v)
	}
	if v := parseMetainfoVersion([]byte(`<component><release version="9"/></component>`)); v != "" {
		t.Errorf("release outside <releases> read as %q", v)
	}
	if v := parseMetainfoVersion([]byte(`<component><releases>`)); v != "" {
		t.Errorf("truncated XML read as %q", v)
	}
}

func TestParseInfoPlist(t *testing.T) {
	info, err := parseInfoPlist(readTestdata(t, "macos/Applications/zoom.us.app/Contents/Info.plist"))
	if err != nil {
		t.Fatal(err)
	}
	want := bundleInfo{ID: "us.zoom.xos", Version: "6.0.2 (33403)", Executable: "zoom.us", Name: "zoom.us"}
	if info != want {
		t.Errorf("got %+v, want %+v (the nested version must not win)", info, want)
	}
	if _, err := parseInfoPlist(readTestdata(t, "macos/Applications/Slack.app/Contents/Info.plist")); err != errBinaryPlist {
		t.Errorf("binary plist: err = %v", err)
	}
	onlyVersion := `<plist><dict><key>CFBundleVersion</key><string>3.1</string><key>X</key><true/><key>CFBundleName</key><string>A</string></dict></plist>`
	if info, err := parseInfoPlist([]byte(onlyVersion)); err != nil || info.Version != "3.1" || info.Name != "A" {
		t.Errorf("CFBundleVersion fallback: %+v, %v", info, err)
	}
	for _, bad := range []string{"", "not xml", "<html><body/></html>"} {
		if _, err := parseInfoPlist([]byte(bad)); err == nil {
			t.Errorf("parseInfoPlist(%q) succeeded", bad)
		}
	}
}

func TestParseMounts(t *testing.T) {
	ms := parseMounts(readTestdata(t, "debian-teamviewer-anydesk/proc/mounts"))
	if m, ok := mountOf(ms, "/media/jdoe/USB Stick"); !ok || m.Source != "/dev/sdb1" {
		t.Errorf("escaped mount point: %+v %v", m, ok)
	}
	if m, ok := mountOf(ms, "/"); !ok || m.Source != "/dev/mapper/vgdebian-root" || m.FSType != "ext4" {
		t.Errorf("root: %+v", m)
	}
	shadowed := parseMounts([]byte("rootfs / rootfs rw 0 0\n/dev/dm-0 / ext4 rw 0 0\nshort line\n"))
	if m, _ := mountOf(shadowed, "/"); m.Source != "/dev/dm-0" {
		t.Errorf("the last mount on / must win: %+v", m)
	}
	if _, ok := mountOf(shadowed, "/home"); ok {
		t.Error("found a /home that is not mounted")
	}
	for in, want := range map[string]string{`a\040b`: "a b", `\\`: `\\`, `x\0`: `x\0`, `\999`: `\999`, `\134`: `\`} {
		if got := unescapeOctal(in); got != want {
			t.Errorf("unescapeOctal(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseNftRuleset(t *testing.T) {
	tests := []struct {
		file      string
		want      nftSummary
		filtering bool
	}{
		{"commands/nft-list-ruleset.txt", nftSummary{InputChains: 1, InputRules: 3, DropPolicy: true}, true},
		{"commands/nft-list-ruleset-docker.txt", nftSummary{InputChains: 1}, false},
	}
	for _, tt := range tests {
		got := parseNftRuleset(readTestdata(t, tt.file))
		if got != tt.want || got.filtering() != tt.filtering {
			t.Errorf("%s: got %+v (filtering %v), want %+v", tt.file, got, got.filtering(), tt.want)
		}
	}
	if got := parseNftRuleset(nil); got.filtering() {
		t.Error("empty ruleset filters")
	}
}

func TestMatchName(t *testing.T) {
	zoom := []string{"Zoom", "Zoom (*", "Zoom Workplace*"}
	tests := []struct {
		patterns []string
		name     string
		want     bool
	}{
		{zoom, "Zoom", true},
		{zoom, "zoom workplace (64-bit)", true},
		{zoom, "Zoom (64-bit)", true},
		{zoom, "Zoom Outlook Plugin", false},
		{zoom, "Zoom Rooms", false},
		{zoom, "", false},
		{[]string{"Microsoft Teams"}, "Microsoft Teams Meeting Add-in for Microsoft Office", false},
		{[]string{"Microsoft Teams"}, "Teams Machine-Wide Installer", false},
		{[]string{"TeamViewer", "TeamViewer *"}, "TeamViewer 15", true},
		{[]string{"TeamViewer", "TeamViewer *"}, "TeamViewerX", false},
	}
	for _, tt := range tests {
		if got := matchName(tt.patterns, tt.name); got != tt.want {
			t.Errorf("matchName(%v, %q) = %v", tt.patterns, tt.name, got)
		}
	}
	if !matchBundleID([]string{"com.bitdefender.*"}, "com.bitdefender.EndpointSecurityforMac") ||
		matchBundleID([]string{"com.microsoft.teams"}, "com.microsoft.teams2") ||
		!matchBundleID([]string{"com.microsoft.Outlook"}, "com.microsoft.outlook") ||
		matchBundleID([]string{"x"}, "") {
		t.Error("matchBundleID")
	}
}

func TestProcSetTruncatedNames(t *testing.T) {
	s := newProcSet([]string{"teams-for-linux", "Microsoft Outlo", "TeamViewer_Service.exe", "MSTeams"})
	tests := []struct {
		names []string
		want  bool
	}{
		{[]string{"teams-for-linux"}, true},
		{[]string{"Microsoft Outlook"}, true}, // truncated by the kernel to 15 bytes
		{[]string{"teamviewer_service"}, true},
		{[]string{"msteams.exe"}, true},
		{[]string{"zoom", "slack"}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := s.hasAny(tt.names); got != tt.want {
			t.Errorf("hasAny(%v) = %v", tt.names, got)
		}
	}
}

func TestCatalogIsConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range catalog() {
		if p.name == "" || kindOrder(p.kind) > 5 || seen[p.name] {
			t.Errorf("bad or duplicate product %+v", p)
		}
		seen[p.name] = true
		for _, l := range p.launch {
			if !filepath.IsAbs(l) {
				t.Errorf("%s: launch path %q is not absolute", p.name, l)
			}
		}
	}
}
