package software

import (
	"maps"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Fuzz targets for every parser of text another program wrote. Each
// checks properties that must hold for any input, not just "no panic".

func addSeeds(f *testing.F, files ...string) {
	for _, name := range files {
		f.Add(readTestdata(f, name))
	}
}

func isDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

func FuzzTeamViewerConf(f *testing.F) {
	addSeeds(f, "debian-teamviewer-anydesk/etc/teamviewer/global.conf")
	f.Add([]byte("[int32] ClientID = 0001\n[strng] Version = \"1\" \"2\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := parseTeamViewerConf(data)
		if c.ClientID != "" && (!isDigits(c.ClientID) || c.ClientID[0] == '0' || len(c.ClientID) > 20) {
			t.Fatalf("ClientID %q is not a plausible ID", c.ClientID)
		}
		if strings.ReplaceAll(groupDigits(c.ClientID), " ", "") != c.ClientID {
			t.Fatalf("grouping changed the ID %q", c.ClientID)
		}
	})
}

func FuzzAnyDeskConf(f *testing.F) {
	addSeeds(f, "debian-teamviewer-anydesk/etc/anydesk/system.conf")
	f.Add([]byte("ad.anynet.id=00\r\nad.anynet.alias=\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := parseAnyDeskConf(data)
		if c.ID != "" && (!isDigits(c.ID) || strings.Trim(c.ID, "0") == "") {
			t.Fatalf("ID %q is not a plausible ID", c.ID)
		}
		if strings.ContainsAny(c.Alias, "\r\n") {
			t.Fatalf("alias %q spans lines", c.Alias)
		}
	})
}

func FuzzCVDHeader(f *testing.F) {
	addSeeds(f, "debian-teamviewer-anydesk/var/lib/clamav/daily.cld", "debian-teamviewer-anydesk/var/lib/clamav/daily.cvd",
		"broken/var/lib/clamav/daily.cvd")
	f.Add([]byte("ClamAV-VDB:16 Mar 2016 23-17 +0000:57:4218790:60:06386f34:"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := parseCVDHeader(data)
		if err != nil {
			return
		}
		if h.Version < 0 || h.Built.IsZero() {
			t.Fatalf("accepted header without version or date: %+v", h)
		}
		if !strings.HasPrefix(string(data), "ClamAV-VDB:") && !strings.HasPrefix(strings.TrimSpace(string(data)), "ClamAV-VDB:") {
			t.Fatalf("accepted a header without the magic: %q", data)
		}
	})
}

func FuzzVeeamSessions(f *testing.F) {
	addSeeds(f, "commands/veeamconfig-session-list.txt", "commands/veeamconfig-session-list-running.txt",
		"commands/veeamconfig-session-list-de.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		sessions := parseVeeamSessions(data, time.UTC)
		if len(sessions) > strings.Count(string(data), "\n")+1 {
			t.Fatalf("%d sessions from %d lines", len(sessions), strings.Count(string(data), "\n")+1)
		}
		for _, s := range sessions {
			if s.Type == "" || s.State == "" {
				t.Fatalf("session without type or state: %+v", s)
			}
		}
		sum := summarizeVeeam(sessions)
		if sum.LastSuccess != nil && sum.Latest == nil {
			t.Fatal("a successful backup but no latest session")
		}
	})
}

func FuzzInfoPlist(f *testing.F) {
	addSeeds(f, "macos/Applications/zoom.us.app/Contents/Info.plist", "macos/Applications/Slack.app/Contents/Info.plist",
		"macos/Applications/TeamViewer.app/Contents/Info.plist")
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := parseInfoPlist(data)
		if err != nil {
			return
		}
		for _, v := range []string{info.ID, info.Version, info.Executable, info.Name} {
			if v != strings.TrimSpace(v) || !utf8.ValidString(v) {
				t.Fatalf("untrimmed or invalid value %q", v)
			}
		}
	})
}

func FuzzMetainfoVersion(f *testing.F) {
	addSeeds(f, "fedora-rpm/var/lib/flatpak/app/us.zoom.Zoom/current/active/files/share/metainfo/us.zoom.Zoom.metainfo.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		if v := parseMetainfoVersion(data); v != strings.TrimSpace(v) {
			t.Fatalf("untrimmed version %q", v)
		}
	})
}

func FuzzDpkgStatus(f *testing.F) {
	addSeeds(f, "debian-teamviewer-anydesk/var/lib/dpkg/status", "clean/var/lib/dpkg/status")
	f.Add([]byte("Package: zoom\nStatus: install ok installed\nVersion: 1"))
	wanted := map[string]bool{"teamviewer": true, "anydesk": true, "zoom": true, "xrdp": true, "bash": true}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := parseDpkgStatus(data, wanted)
		for k := range got {
			if !wanted[k] {
				t.Fatalf("reported unwanted package %q", k)
			}
		}
		// A final blank line only ends the last stanza early.
		if again := parseDpkgStatus(append(data[:len(data):len(data)], '\n', '\n'), wanted); !maps.Equal(got, again) {
			t.Fatalf("trailing blank line changed the result: %v vs %v", got, again)
		}
	})
}

func FuzzNftRuleset(f *testing.F) {
	addSeeds(f, "commands/nft-list-ruleset.txt", "commands/nft-list-ruleset-docker.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		s := parseNftRuleset(data)
		if s.InputRules < 0 || s.InputChains < 0 || (s.InputRules > 0 && s.InputChains == 0) {
			t.Fatalf("impossible summary %+v", s)
		}
	})
}

func FuzzPSStatus(f *testing.F) {
	addSeeds(f, "windows/ps-status.json", "windows/ps-status-ps51.json", "windows/ps-status-errors.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := parsePSStatus(data)
		if err != nil {
			return
		}
		enabled, detail := bitLockerState(st.Volumes)
		if enabled != nil && detail == "" {
			t.Fatal("a BitLocker state without a detail")
		}
	})
}

func FuzzMounts(f *testing.F) {
	addSeeds(f, "debian-teamviewer-anydesk/proc/mounts", "fedora-rpm/proc/mounts")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, m := range parseMounts(data) {
			if m.FSType == "" || strings.ContainsAny(m.FSType, " \t\n") {
				t.Fatalf("bad mount %+v", m)
			}
		}
	})
}
