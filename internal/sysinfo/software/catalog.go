package software

import (
	"strings"
)

// Product names shared by the catalog and the per-OS enrichers.
const (
	nameTeamViewer  = "TeamViewer"
	nameAnyDesk     = "AnyDesk"
	nameRDP         = "Remote Desktop"
	nameBitdefender = "Bitdefender"
	nameSophos      = "Sophos"
	nameForti       = "FortiClient"
	nameClamAV      = "ClamAV"
	nameDefender    = "Microsoft Defender"
	nameVeeam       = "Veeam Agent"
	nameAcronis     = "Acronis"
	nameM365        = "Microsoft 365"
	nameTeams       = "Microsoft Teams"
	nameOutlook     = "Microsoft Outlook"
	nameZoom        = "Zoom"
	nameSlack       = "Slack"
	nameGoogleDrive = "Google Drive"
)

// product says how to recognise one tool on each OS. Lists are tried in
// order; the first hit gives the version.
type product struct {
	name string
	kind Kind

	// Linux.
	packages []string // dpkg or rpm package names
	snaps    []string // snap names
	flatpaks []string // flatpak application IDs
	dirs     []string // install folders of vendor installers without a package
	launch   []string // executables, the first present is Item.Launch

	// Windows: patterns of the Uninstall entries' DisplayName (see
	// matchName).
	displayNames []string

	// macOS: CFBundleIdentifier of the app bundle, a trailing "*" matches
	// a prefix.
	bundleIDs []string

	// procs are process names showing the tool runs, on any OS, compared
	// without case and without ".exe"; nil when running says nothing
	// useful (an app the employee opens on demand still gets one).
	procs []string
}

// catalog is the list of tools detected. A function, not a variable, so
// no caller can change it for the next.
func catalog() []product {
	return []product{
		{
			name: nameTeamViewer, kind: KindRemoteHelp,
			packages: []string{"teamviewer", "teamviewer-host"},
			flatpaks: []string{"com.teamviewer.TeamViewer"},
			dirs:     []string{"/opt/teamviewer"},
			launch:   []string{"/usr/bin/teamviewer", "/opt/teamviewer/tv_bin/script/teamviewer"},
			displayNames: []string{
				"TeamViewer", "TeamViewer *",
			},
			bundleIDs: []string{"com.teamviewer.TeamViewer*"},
			procs:     []string{"teamviewerd", "TeamViewer_Service", "TeamViewer", "TeamViewer_Desktop"},
		},
		{
			name: nameAnyDesk, kind: KindRemoteHelp,
			packages:     []string{"anydesk"},
			flatpaks:     []string{"com.anydesk.Anydesk"},
			launch:       []string{"/usr/bin/anydesk"},
			displayNames: []string{"AnyDesk", "AnyDesk *"},
			bundleIDs:    []string{"com.philandro.anydesk"},
			procs:        []string{"anydesk"},
		},
		{
			// On Linux "Remote Desktop" is xrdp; on Windows the built-in
			// Remote Desktop, detected from the registry instead.
			name: nameRDP, kind: KindRemoteHelp,
			packages: []string{"xrdp"},
			procs:    []string{"xrdp"},
		},
		{
			name: nameBitdefender, kind: KindSecurity,
			packages:     []string{"bitdefender-security-tools"},
			dirs:         []string{"/opt/bitdefender-security-tools"},
			displayNames: []string{"Bitdefender Endpoint Security Tools*", "Bitdefender Total Security*", "Bitdefender Antivirus*", "Bitdefender Internet Security*"},
			bundleIDs:    []string{"com.bitdefender.*"},
			procs:        []string{"bdsecd", "EPSecurityService", "bdservicehost", "BDLDaemon"},
		},
		{
			name: nameSophos, kind: KindSecurity,
			dirs:         []string{"/opt/sophos-spl", "/opt/sophos-av"},
			displayNames: []string{"Sophos Endpoint Agent*", "Sophos Home*", "Sophos Anti-Virus*", "Sophos Intercept X*"},
			bundleIDs:    []string{"com.sophos.*"},
			procs:        []string{"sophos_watchdog", "savd", "SophosHealth", "SEDService", "SophosScanD"},
		},
		{
			name: nameForti, kind: KindSecurity,
			packages:     []string{"forticlient"},
			dirs:         []string{"/opt/forticlient"},
			launch:       []string{"/usr/bin/forticlient", "/opt/forticlient/gui/FortiClient-linux-x64/FortiClient"},
			displayNames: []string{"FortiClient*"},
			bundleIDs:    []string{"com.fortinet.FortiClient*"},
			procs:        []string{"fctsched", "FortiTray", "FCDBLog", "FortiClient"},
		},
		{
			name: nameClamAV, kind: KindSecurity,
			packages:     []string{"clamav-daemon", "clamav", "clamav-freshclam"},
			displayNames: []string{"ClamAV*", "ClamWin*"},
			procs:        []string{"clamd", "freshclam", "ClamTray"},
		},
		{
			// Defender for Endpoint on Linux and macOS; on Windows the
			// built-in antivirus, detected separately.
			name: nameDefender, kind: KindSecurity,
			packages:  []string{"mdatp"},
			bundleIDs: []string{"com.microsoft.wdav"},
			procs:     []string{"wdavdaemon", "MsMpEng"},
		},
		{
			name: nameVeeam, kind: KindBackup,
			packages:     []string{"veeam", "veeam-nosnap"},
			displayNames: []string{"Veeam Agent for Microsoft Windows*"},
			bundleIDs:    []string{"com.veeam.*"},
			procs:        []string{"veeamservice", "Veeam.EndPoint.Service"},
		},
		{
			name: nameAcronis, kind: KindBackup,
			dirs:         []string{"/usr/lib/Acronis", "/opt/acronis"},
			displayNames: []string{"Acronis Cyber Protect*", "Acronis True Image*", "Acronis Backup*", "Acronis Cyber Backup*"},
			bundleIDs:    []string{"com.acronis.*"},
			procs:        []string{"acronis_mms", "mms", "acrocmd", "AcrSch2Svc", "TrueImageMonitor"},
		},
		{
			name: nameM365, kind: KindApp,
			displayNames: []string{"Microsoft 365 *", "Microsoft Office 365 *", "Microsoft Office Professional*", "Microsoft Office Standard*", "Microsoft Office Home and Business*"},
			bundleIDs:    []string{"com.microsoft.Word", "com.microsoft.Excel", "com.microsoft.Powerpoint"},
		},
		{
			name: nameTeams, kind: KindApp,
			packages:     []string{"teams", "teams-for-linux"},
			snaps:        []string{"teams-for-linux"},
			flatpaks:     []string{"com.github.IsmaelMartinez.teams_for_linux"},
			launch:       []string{"/usr/bin/teams-for-linux", "/usr/bin/teams"},
			displayNames: []string{"Microsoft Teams", "Microsoft Teams classic"},
			bundleIDs:    []string{"com.microsoft.teams2", "com.microsoft.teams"},
			procs:        []string{"teams-for-linux", "teams", "ms-teams", "MSTeams", "Microsoft Teams"},
		},
		{
			name: nameOutlook, kind: KindApp,
			bundleIDs: []string{"com.microsoft.Outlook"},
			procs:     []string{"OUTLOOK", "olk", "Microsoft Outlook"},
		},
		{
			name: nameZoom, kind: KindApp,
			packages:     []string{"zoom"},
			snaps:        []string{"zoom-client"},
			flatpaks:     []string{"us.zoom.Zoom"},
			launch:       []string{"/usr/bin/zoom", "/opt/zoom/zoom"},
			displayNames: []string{"Zoom", "Zoom (*", "Zoom Workplace*"},
			bundleIDs:    []string{"us.zoom.xos"},
			procs:        []string{"zoom", "Zoom", "zoom.us"},
		},
		{
			name: nameSlack, kind: KindApp,
			packages:     []string{"slack-desktop", "slack"},
			snaps:        []string{"slack"},
			flatpaks:     []string{"com.slack.Slack"},
			launch:       []string{"/usr/bin/slack"},
			displayNames: []string{"Slack", "Slack (*"},
			bundleIDs:    []string{"com.tinyspeck.slackmacgap"},
			procs:        []string{"slack", "Slack"},
		},
		{
			name: nameGoogleDrive, kind: KindApp,
			displayNames: []string{"Google Drive"},
			bundleIDs:    []string{"com.google.drivefs"},
			procs:        []string{"GoogleDriveFS", "Google Drive"},
		},
	}
}

// matchName matches a name against catalog patterns, ignoring case: a
// pattern ending in "*" matches a prefix, any other must match whole.
// Plug-ins of other products ("Zoom Outlook Plugin", "Microsoft Teams
// Meeting Add-in") are not the product and never match.
func matchName(patterns []string, name string) bool {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" || isAddOn(name) {
		return false
	}
	for _, p := range patterns {
		p = strings.ToLower(p)
		if prefix, ok := strings.CutSuffix(p, "*"); ok {
			if strings.HasPrefix(name, prefix) {
				return true
			}
		} else if name == p {
			return true
		}
	}
	return false
}

// matchBundleID matches a macOS bundle identifier against catalog
// patterns, ignoring case; a trailing "*" matches a prefix.
func matchBundleID(patterns []string, id string) bool {
	id = strings.ToLower(strings.TrimSpace(id))
	if id == "" {
		return false
	}
	for _, p := range patterns {
		p = strings.ToLower(p)
		if prefix, ok := strings.CutSuffix(p, "*"); ok {
			if strings.HasPrefix(id, prefix) {
				return true
			}
		} else if id == p {
			return true
		}
	}
	return false
}

func isAddOn(lowerName string) bool {
	for _, w := range []string{"add-in", "addin", "plugin", "plug-in", "machine-wide installer"} {
		if strings.Contains(lowerName, w) {
			return true
		}
	}
	return false
}

// procSet is the set of running process names, lower case without ".exe".
type procSet map[string]bool

func newProcSet(names []string) procSet {
	s := make(procSet, len(names))
	for _, n := range names {
		s[normProc(n)] = true
	}
	return s
}

func normProc(n string) string {
	n = strings.ToLower(strings.TrimSpace(n))
	return strings.TrimSuffix(n, ".exe")
}

// hasAny reports whether one of names runs. Kernels truncate process
// names (Linux to 15 bytes, macOS to 16), so a long name also matches its
// truncated form.
func (s procSet) hasAny(names []string) bool {
	for _, n := range names {
		n = normProc(n)
		if s[n] || (len(n) > 15 && s[n[:15]]) || (len(n) > 16 && s[n[:16]]) {
			return true
		}
	}
	return false
}
