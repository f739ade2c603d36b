package builtin

import (
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
)

// macOS executables.
const (
	dscacheutil    = "/usr/bin/dscacheutil"
	killall        = "/usr/bin/killall"
	macIPConfig    = "/usr/sbin/ipconfig"
	sntp           = "/usr/bin/sntp"
	softwareupdate = "/usr/sbin/softwareupdate"
	tmutil         = "/usr/bin/tmutil"
	mdatp          = "/usr/local/bin/mdatp"
)

func darwinFixes() []fixes.Fix {
	mac := []string{fixes.Darwin}
	return []fixes.Fix{
		{
			ID: FlushDNS, Title: "Flush the DNS cache", Group: fixes.GroupInternet, OS: mac, RunsAs: fixes.RunsAsSystem,
			Description: "Forgets the addresses this Mac remembered for web sites, so it looks them up afresh. " +
				"Helps when one site will not load but others do. Takes a second and interrupts nothing.",
			Timeout: time.Minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: dscacheutil, Args: []string{"-flushcache"}},
				fixes.Exec{Path: killall, Args: []string{"-HUP", "mDNSResponder"}},
			},
			NextSteps: netNext,
		},
		{
			ID: RenewNetwork, Title: "Renew the network address", Group: fixes.GroupInternet, OS: mac, RunsAs: fixes.RunsAsSystem,
			Description: "Asks for a new network address on the chosen connection. " +
				"Your network will drop for a few seconds: calls and downloads in progress may stop.",
			Timeout: 2 * minute,
			Params: []fixes.Param{{Name: "interface", Label: "Network connection", Kind: fixes.ParamEnum,
				Enum: []string{"en0", "en1", "en2"}, Default: "en0"}},
			Steps: []fixes.Step{
				fixes.Exec{Path: macIPConfig, Args: []string{"set", "{{interface}}", "DHCP"}},
				fixes.WaitFor{Condition: fixes.Condition{Kind: fixes.CondNetworkUp}, Timeout: 45 * time.Second},
			},
			NextSteps: netNext,
		},
		{
			ID: ResyncClock, Title: "Set the clock right", Group: fixes.GroupInternet, OS: mac, RunsAs: fixes.RunsAsSystem,
			Description: "Sets the clock from Apple's time server. A wrong clock breaks sign-in and secure web sites. " +
				"Takes a few seconds and interrupts nothing.",
			Timeout: time.Minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: sntp, Args: []string{"-sS", "time.apple.com"}},
			},
		},
		{
			ID: ClearPrintQueue, Title: "Clear stuck print jobs", Group: fixes.GroupPrinting, OS: mac, RunsAs: fixes.RunsAsSystem,
			Description: "Cancels every waiting print job and restarts the printing service. " +
				"Anything still queued is lost, so print it again afterwards. Takes about 10 seconds.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: cupsCancel, Args: []string{"-a"}},
				fixes.ServiceAction{Name: "org.cups.cupsd", Action: fixes.ServiceRestart},
				fixes.Check{Condition: fixes.Condition{Kind: fixes.CondPrintQueueEmpty},
					Message: "Some print jobs could not be removed."},
			},
			NextSteps: "Turn the printer off and on, check it has paper and no error light, then print again. If it still does not print, choose \"Get help\".",
		},
		{
			ID: FreeDiskSpace, Title: "Free disk space", Group: fixes.GroupSlow, OS: mac, RunsAs: fixes.RunsAsSystem,
			Description: "Deletes old temporary and cache files of the system and thins out local Time Machine " +
				"snapshots, then tells you how much space came free. Your own documents are not touched. " +
				"Takes up to a few minutes.",
			Timeout: 15 * minute,
			Params:  []fixes.Param{daysParam()},
			Steps: []fixes.Step{
				fixes.RemoveOld{Root: "temp", OlderThanParam: "days"},
				fixes.RemoveOld{Root: "var-tmp", OlderThanParam: "days"},
				fixes.RemoveOld{Root: "system-cache", OlderThanParam: "days"},
				// Ask for up to 10 GB from local snapshots, at urgency 4
				// (the highest), as macOS does itself when space runs out.
				fixes.Exec{Path: tmutil, Args: []string{"thinlocalsnapshots", "/", "10000000000", "4"}},
			},
			NextSteps: "Empty your Downloads folder and the Bin. If the disk is still full, choose \"Get help\".",
		},
		{
			ID: SecurityUpdates, Title: "Install security updates", Group: fixes.GroupSecurity, OS: mac, RunsAs: fixes.RunsAsSystem,
			Description: "Installs every available macOS update that does not need a restart right away. You can keep " +
				"working. Takes from minutes to an hour.",
			Timeout: time.Hour,
			Steps: []fixes.Step{
				fixes.Exec{Path: softwareupdate, Args: []string{"-i", "-a"}},
			},
		},
		{
			ID: RestartAudio, Title: "Restart sound", Group: fixes.GroupMeetings, OS: mac, RunsAs: fixes.RunsAsSystem,
			Description: "Restarts the Mac's sound service. Helps when you hear nothing or your microphone is not found. " +
				"Sound stops for a few seconds; rejoin a call if you are in one.",
			Timeout: minute,
			Steps: []fixes.Step{
				// launchd starts coreaudiod again at once.
				fixes.Exec{Path: killall, Args: []string{"coreaudiod"}},
			},
		},
		{
			ID: ClearTeamsCache, Title: "Clear the Microsoft Teams cache", Group: fixes.GroupMeetings, OS: mac, RunsAs: fixes.RunsAsUser,
			Description: "Quits Teams, deletes its cached files and starts it again. Helps when Teams is slow, shows old " +
				"messages or will not load. Your chats are kept. Takes about half a minute.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.QuitApp{Name: "MSTeams"},
				fixes.QuitApp{Name: "Microsoft Teams"},
				fixes.RemoveOld{Root: "user-home", Paths: []string{"Library/Containers/com.microsoft.teams2/Data/Library/Caches"}},
				fixes.RemoveOld{Root: "user-data", Paths: electronCache("Microsoft/Teams")},
				fixes.RelaunchApp{Name: "MSTeams"},
				fixes.RelaunchApp{Name: "Microsoft Teams"},
			},
			NextSteps: cacheNext,
		},
		{
			ID: ClearSlackCache, Title: "Clear the Slack cache", Group: fixes.GroupMeetings, OS: mac, RunsAs: fixes.RunsAsUser,
			Description: "Quits Slack, deletes its cached files and starts it again. Your messages and sign-in are kept. " +
				"Takes about half a minute.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.QuitApp{Name: "Slack"},
				fixes.RemoveOld{Root: "user-data", Paths: electronCache("Slack")},
				fixes.RemoveOld{Root: "user-home", Paths: electronCache(
					"Library/Containers/com.tinyspeck.slackmacgap/Data/Library/Application Support/Slack")},
				fixes.RelaunchApp{Name: "Slack"},
			},
			NextSteps: cacheNext,
		},
		{
			ID: ClearZoomCache, Title: "Clear the Zoom cache", Group: fixes.GroupMeetings, OS: mac, RunsAs: fixes.RunsAsUser,
			Description: "Quits Zoom, deletes its cached files and starts it again. Your settings and sign-in are kept. " +
				"Takes about half a minute; leave a meeting first.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.QuitApp{Name: "zoom.us"},
				fixes.RemoveOld{Root: "user-cache", Paths: []string{"us.zoom.xos"}},
				fixes.RelaunchApp{Name: "zoom.us"},
			},
			NextSteps: cacheNext,
		},
		{
			ID: RestartOneDrive, Title: "Restart OneDrive", Group: fixes.GroupSlow, OS: mac, RunsAs: fixes.RunsAsUser,
			Description: "Quits OneDrive and starts it again, which restarts syncing. Files that were uploading " +
				"continue afterwards. Takes about half a minute.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.QuitApp{Name: "OneDrive"},
				fixes.RelaunchApp{Name: "OneDrive", Root: "applications", Path: "OneDrive.app"},
			},
		},
		{
			ID: RestartGoogleDrv, Title: "Restart Google Drive", Group: fixes.GroupSlow, OS: mac, RunsAs: fixes.RunsAsUser,
			Description: "Quits Google Drive and starts it again, which restarts syncing. Files that were uploading " +
				"continue afterwards. Takes about half a minute.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.QuitApp{Name: "Google Drive"},
				fixes.RelaunchApp{Name: "Google Drive", Root: "applications", Path: "Google Drive.app"},
			},
		},
		{
			ID: BackupNow, Title: "Back up now", Group: fixes.GroupSecurity, OS: mac, RunsAs: fixes.RunsAsSystem,
			Description: "Starts a Time Machine backup now instead of waiting for the next hourly one. You can keep " +
				"working; the backup runs in the background.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: tmutil, Args: []string{"startbackup", "--auto"}},
			},
			NextSteps: "Check that your backup disk is connected, or that you are on the office network for a network backup. Then choose \"Get help\" if it still fails.",
		},
		{
			ID: UpdateAntivirus, Title: "Update virus definitions", Group: fixes.GroupSecurity, OS: mac, RunsAs: fixes.RunsAsSystem,
			Description: "Downloads the newest virus definitions for Microsoft Defender. Takes a minute and interrupts nothing.",
			Timeout:     10 * minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: mdatp, Args: []string{"definitions", "update"}},
			},
			Requires: []string{mdatp},
		},
	}
}
