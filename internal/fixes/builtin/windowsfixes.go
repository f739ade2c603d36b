package builtin

import (
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
)

// windowsFixes builds the Windows list. Executables are named from
// %SystemRoot% and %ProgramFiles% (in p) rather than assumed on C:.
func windowsFixes(p fixes.Platform) []fixes.Fix {
	win := []string{fixes.Windows}
	ipconfig := p.System32("ipconfig.exe")
	uso := p.System32("UsoClient.exe")
	veeam := p.ProgramFiles + `\Veeam\Endpoint Backup\Veeam.EndPoint.Manager.exe`
	mpcmdrun := p.ProgramFiles + `\Windows Defender\MpCmdRun.exe`
	return []fixes.Fix{
		{
			ID: FlushDNS, Title: "Flush the DNS cache", Group: fixes.GroupInternet, OS: win, RunsAs: fixes.RunsAsSystem,
			Description: "Forgets the addresses this computer remembered for web sites, so it looks them up afresh. " +
				"Helps when one site will not load but others do. Takes a second and interrupts nothing.",
			Timeout: time.Minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: ipconfig, Args: []string{"/flushdns"}},
			},
			NextSteps: netNext,
		},
		{
			ID: RenewNetwork, Title: "Renew the network address", Group: fixes.GroupInternet, OS: win, RunsAs: fixes.RunsAsSystem,
			Description: "Gives back this computer's network address and asks for a new one. " +
				"Your network will drop for about 10 seconds: calls and downloads in progress stop.",
			Timeout: 3 * minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: ipconfig, Args: []string{"/release"}},
				fixes.Exec{Path: ipconfig, Args: []string{"/renew"}},
				fixes.WaitFor{Condition: fixes.Condition{Kind: fixes.CondNetworkUp}, Timeout: 45 * time.Second},
			},
			NextSteps: netNext,
		},
		{
			ID: ResyncClock, Title: "Set the clock right", Group: fixes.GroupInternet, OS: win, RunsAs: fixes.RunsAsSystem,
			Description: "Starts Windows Time if it is stopped and sets the clock from the time server. A wrong clock " +
				"breaks sign-in and secure web sites. Takes a few seconds and interrupts nothing.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.ServiceAction{Name: "W32Time", Action: fixes.ServiceStart},
				fixes.Exec{Path: p.System32("w32tm.exe"), Args: []string{"/resync", "/force"}},
			},
		},
		{
			ID: ClearPrintQueue, Title: "Clear stuck print jobs", Group: fixes.GroupPrinting, OS: win, RunsAs: fixes.RunsAsSystem,
			Description: "Stops the print spooler, deletes every waiting print job and starts the spooler again. " +
				"Anything still queued is lost, so print it again afterwards. Takes about 10 seconds.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.ServiceAction{Name: "Spooler", Action: fixes.ServiceStop},
				fixes.RemoveOld{Root: "print-spool"},
				fixes.ServiceAction{Name: "Spooler", Action: fixes.ServiceStart},
				fixes.WaitFor{Condition: fixes.Condition{Kind: fixes.CondServiceActive, Arg: "Spooler"}, Timeout: 30 * time.Second},
			},
			NextSteps: "Turn the printer off and on, check it has paper and no error light, then print again. If it still does not print, choose \"Get help\".",
		},
		{
			ID: FreeDiskSpace, Title: "Free disk space", Group: fixes.GroupSlow, OS: win, RunsAs: fixes.RunsAsSystem,
			Description: "Deletes old temporary files of Windows and runs Disk Cleanup's automatic clean-up, then tells " +
				"you how much space came free. Your own documents are not touched. Takes up to several minutes.",
			Timeout: 30 * minute,
			Params:  []fixes.Param{daysParam()},
			Steps: []fixes.Step{
				fixes.RemoveOld{Root: "temp", OlderThanParam: "days"},
				fixes.Exec{Path: p.System32("cleanmgr.exe"), Args: []string{"/autoclean"}},
			},
			NextSteps: "Empty your Downloads folder and the Recycle Bin. If the disk is still full, choose \"Get help\".",
		},
		{
			ID: SecurityUpdates, Title: "Install security updates", Group: fixes.GroupSecurity, OS: win, RunsAs: fixes.RunsAsSystem,
			Description: "Asks Windows Update to look for updates, download and install them now. You can keep working; " +
				"Windows tells you if it needs a restart. Takes from minutes to an hour in the background.",
			Timeout: 10 * minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: uso, Args: []string{"StartScan"}},
				fixes.Exec{Path: uso, Args: []string{"StartDownload"}},
				fixes.Exec{Path: uso, Args: []string{"StartInstall"}},
			},
		},
		{
			ID: RestartAudio, Title: "Restart sound", Group: fixes.GroupMeetings, OS: win, RunsAs: fixes.RunsAsSystem,
			Description: "Restarts the Windows Audio service. Helps when you hear nothing or your microphone is not " +
				"found. Sound stops for a few seconds; rejoin a call if you are in one.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.ServiceAction{Name: "Audiosrv", Action: fixes.ServiceRestart},
				fixes.WaitFor{Condition: fixes.Condition{Kind: fixes.CondServiceActive, Arg: "Audiosrv"}, Timeout: 30 * time.Second},
			},
		},
		{
			ID: ClearTeamsCache, Title: "Clear the Microsoft Teams cache", Group: fixes.GroupMeetings, OS: win, RunsAs: fixes.RunsAsUser,
			Description: "Quits Teams, deletes its cached files and starts it again. Helps when Teams is slow, shows old " +
				"messages or will not load. Your chats are kept. Takes about half a minute.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.QuitApp{Name: "ms-teams"},
				fixes.QuitApp{Name: "Teams"},
				fixes.RemoveOld{Root: "user-local-data", Paths: []string{"Packages/MSTeams_8wekyb3d8bbwe/LocalCache/Microsoft/MSTeams"}},
				fixes.RemoveOld{Root: "user-data", Paths: append(electronCache("Microsoft/Teams"), "Microsoft/Teams/tmp")},
				fixes.RelaunchApp{Name: "ms-teams"},
				fixes.RelaunchApp{Name: "Teams"},
			},
			NextSteps: cacheNext,
		},
		{
			ID: ClearSlackCache, Title: "Clear the Slack cache", Group: fixes.GroupMeetings, OS: win, RunsAs: fixes.RunsAsUser,
			Description: "Quits Slack, deletes its cached files and starts it again. Your messages and sign-in are kept. " +
				"Takes about half a minute.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.QuitApp{Name: "slack"},
				fixes.RemoveOld{Root: "user-data", Paths: electronCache("Slack")},
				fixes.RelaunchApp{Name: "slack"},
			},
			NextSteps: cacheNext,
		},
		{
			ID: ClearZoomCache, Title: "Clear the Zoom cache", Group: fixes.GroupMeetings, OS: win, RunsAs: fixes.RunsAsUser,
			Description: "Quits Zoom, deletes its logs and cached files and starts it again. Your settings and sign-in " +
				"are kept. Takes about half a minute; leave a meeting first.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.QuitApp{Name: "Zoom"},
				fixes.RemoveOld{Root: "user-data", Paths: []string{"Zoom/logs"}},
				fixes.RelaunchApp{Name: "Zoom"},
			},
			NextSteps: cacheNext,
		},
		{
			ID: RestartOneDrive, Title: "Restart OneDrive", Group: fixes.GroupSlow, OS: win, RunsAs: fixes.RunsAsUser,
			Description: "Quits OneDrive and starts it again, which restarts syncing. Files that were uploading " +
				"continue afterwards. Takes about half a minute.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.QuitApp{Name: "OneDrive"},
				fixes.RelaunchApp{Name: "OneDrive", Root: "user-local-data", Path: "Microsoft/OneDrive/OneDrive.exe"},
				fixes.WaitFor{Condition: fixes.Condition{Kind: fixes.CondProcessRunning, Arg: "OneDrive"}, Timeout: 30 * time.Second},
			},
		},
		{
			ID: RestartGoogleDrv, Title: "Restart Google Drive", Group: fixes.GroupSlow, OS: win, RunsAs: fixes.RunsAsUser,
			Description: "Quits Google Drive and starts it again, which restarts syncing. Files that were uploading " +
				"continue afterwards. Takes about half a minute.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.QuitApp{Name: "GoogleDriveFS"},
				fixes.RelaunchApp{Name: "GoogleDriveFS"},
			},
		},
		{
			ID: BackupNow, Title: "Back up now", Group: fixes.GroupSecurity, OS: win, RunsAs: fixes.RunsAsSystem,
			Description: "Starts your Veeam backup now instead of waiting for its schedule. You can keep working; the " +
				"backup runs in the background.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: veeam, Args: []string{"/backup"}},
			},
			Requires: []string{veeam},
		},
		{
			ID: UpdateAntivirus, Title: "Update virus definitions", Group: fixes.GroupSecurity, OS: win, RunsAs: fixes.RunsAsSystem,
			Description: "Downloads the newest virus definitions for Microsoft Defender. Takes a minute and interrupts nothing.",
			Timeout:     10 * minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: mpcmdrun, Args: []string{"-SignatureUpdate"}},
			},
			Requires: []string{mpcmdrun},
		},
	}
}
