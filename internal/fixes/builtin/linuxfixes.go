package builtin

import (
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
)

// Linux executables. Debian and Fedora both merged /bin into /usr/bin, so
// one path serves both.
const (
	resolvectl        = "/usr/bin/resolvectl"
	nscd              = "/usr/sbin/nscd"
	nmcli             = "/usr/bin/nmcli"
	timedatectl       = "/usr/bin/timedatectl"
	chronyc           = "/usr/bin/chronyc"
	chronyd           = "/usr/sbin/chronyd"
	timesyncd         = "/lib/systemd/systemd-timesyncd"
	cupsCancel        = "/usr/bin/cancel"
	aptGet            = "/usr/bin/apt-get"
	unattendedUpgrade = "/usr/bin/unattended-upgrade"
	dnf               = "/usr/bin/dnf"
	journalctl        = "/usr/bin/journalctl"
	systemctl         = "/usr/bin/systemctl"
	freshclam         = "/usr/bin/freshclam"
	veeamconfig       = "/usr/bin/veeamconfig"
)

// tmpExclude are what must survive in /tmp however old: the private temp
// folders of running services and the sockets of the desktop session
// (systemd-tmpfiles spares them too).
func tmpExclude() []string {
	return []string{"systemd-private-*", ".X*-unix", ".ICE-unix", ".font-unix", "snap-private-tmp", "*.lock"}
}

func linuxFixes() []fixes.Fix {
	linux := []string{fixes.Linux}
	return []fixes.Fix{
		{
			ID: FlushDNS, Title: "Flush the DNS cache", Group: fixes.GroupInternet, OS: linux, RunsAs: fixes.RunsAsSystem,
			Description: "Forgets the addresses this computer remembered for web sites, so it looks them up afresh. " +
				"Helps when one site will not load but others do. Takes a second and interrupts nothing.",
			Timeout: time.Minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: resolvectl, Args: []string{"flush-caches"}, SkipIfMissing: true},
				fixes.Exec{Path: nscd, Args: []string{"--invalidate", "hosts"}, SkipIfMissing: true},
			},
			// Without either there is no DNS cache on this machine to flush.
			RequiresAny: []string{resolvectl, nscd},
			NextSteps:   netNext,
		},
		{
			ID: RenewNetwork, Title: "Restart the network connection", Group: fixes.GroupInternet, OS: linux, RunsAs: fixes.RunsAsSystem,
			Description: "Turns networking off and on again, which asks for a new address. " +
				"Your network will drop for about 10 seconds: calls and downloads in progress stop.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: nmcli, Args: []string{"networking", "off"}},
				fixes.Exec{Path: nmcli, Args: []string{"networking", "on"}},
				fixes.WaitFor{Condition: fixes.Condition{Kind: fixes.CondNetworkUp}, Timeout: 45 * time.Second},
			},
			Requires:  []string{nmcli},
			NextSteps: netNext,
		},
		{
			ID: ResyncClock, Title: "Set the clock right", Group: fixes.GroupInternet, OS: linux, RunsAs: fixes.RunsAsSystem,
			Description: "Turns on network time and sets the clock from it at once. A wrong clock breaks sign-in " +
				"and secure web sites. Takes a few seconds and interrupts nothing.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: timedatectl, Args: []string{"set-ntp", "true"}},
				fixes.Exec{Path: chronyc, Args: []string{"-a", "makestep"}, SkipIfMissing: true},
			},
			// set-ntp needs a time service to turn on.
			Requires:    []string{timedatectl},
			RequiresAny: []string{timesyncd, chronyd},
		},
		{
			ID: ClearPrintQueue, Title: "Clear stuck print jobs", Group: fixes.GroupPrinting, OS: linux, RunsAs: fixes.RunsAsSystem,
			Description: "Cancels every waiting print job and restarts the printing service. " +
				"Anything still queued is lost, so print it again afterwards. Takes about 10 seconds.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: cupsCancel, Args: []string{"-a"}},
				fixes.ServiceAction{Name: "cups", Action: fixes.ServiceRestart},
				fixes.WaitFor{Condition: fixes.Condition{Kind: fixes.CondServiceActive, Arg: "cups"}, Timeout: 30 * time.Second},
				fixes.Check{Condition: fixes.Condition{Kind: fixes.CondPrintQueueEmpty},
					Message: "Some print jobs could not be removed."},
			},
			Requires:  []string{cupsCancel},
			NextSteps: "Turn the printer off and on, check it has paper and no error light, then print again. If it still does not print, choose \"Get help\".",
		},
		{
			ID: FreeDiskSpace, Title: "Free disk space", Group: fixes.GroupSlow, OS: linux, RunsAs: fixes.RunsAsSystem,
			Description: "Deletes downloaded update packages, old system logs and old temporary files, and tells you " +
				"how much space came free. Your own documents are not touched. Takes up to a few minutes.",
			Timeout: 15 * minute,
			Params: []fixes.Param{
				daysParam(),
				{Name: "keep_logs", Label: "Keep system logs of the last", Kind: fixes.ParamEnum,
					Enum: []string{"2d", "7d", "14d", "30d"}, Default: "14d"},
			},
			Steps: []fixes.Step{
				fixes.Exec{Path: aptGet, Args: []string{"clean"}, SkipIfMissing: true},
				fixes.Exec{Path: dnf, Args: []string{"clean", "packages"}, SkipIfMissing: true},
				fixes.Exec{Path: journalctl, Args: []string{"--vacuum-time", "{{keep_logs}}"}, SkipIfMissing: true},
				fixes.RemoveOld{Root: "temp", OlderThanParam: "days", Exclude: tmpExclude()},
				fixes.RemoveOld{Root: "var-tmp", OlderThanParam: "days", Exclude: tmpExclude()},
			},
			NextSteps: "Empty your Downloads folder and the trash. If the disk is still full, choose \"Get help\".",
		},
		{
			ID: SecurityUpdates, Title: "Install security updates", Group: fixes.GroupSecurity, OS: linux, RunsAs: fixes.RunsAsSystem,
			Description: "Checks for security updates and installs them. You can keep working; some apps may ask " +
				"to be restarted afterwards. Takes from a minute to half an hour.",
			Timeout: time.Hour,
			Steps: []fixes.Step{
				fixes.Exec{Path: aptGet, Args: []string{"update", "-q"}, SkipIfMissing: true},
				fixes.Exec{Path: aptGet, Args: []string{"-s", "-q", "upgrade"}, SkipIfMissing: true},
				fixes.Exec{Path: unattendedUpgrade, Args: []string{"-v"}, SkipIfMissing: true,
					Env: []string{"DEBIAN_FRONTEND=noninteractive"}},
				fixes.Exec{Path: dnf, Args: []string{"-y", "upgrade", "--security"}, SkipIfMissing: true},
			},
		},
		{
			ID: RestartAudio, Title: "Restart sound", Group: fixes.GroupMeetings, OS: linux, RunsAs: fixes.RunsAsUser,
			Description: "Restarts the sound system of your session. Helps when you hear nothing or your microphone " +
				"is not found. Sound stops for a second; rejoin a call if you are in one.",
			Timeout: minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: systemctl, Args: []string{"--user", "restart", "pipewire", "pipewire-pulse", "wireplumber"}},
			},
		},
		{
			ID: ClearTeamsCache, Title: "Clear the Microsoft Teams cache", Group: fixes.GroupMeetings, OS: linux, RunsAs: fixes.RunsAsUser,
			Description: "Quits Teams, deletes its cached files and starts it again. Helps when Teams is slow, shows old " +
				"messages or will not load. Your chats are kept. Takes about half a minute.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.QuitApp{Name: "teams-for-linux"},
				fixes.QuitApp{Name: "teams"},
				fixes.RemoveOld{Root: "user-data", Paths: append(electronCache("teams-for-linux"),
					electronCache("Microsoft/Microsoft Teams")...)},
				fixes.RelaunchApp{Name: "teams-for-linux"},
				fixes.RelaunchApp{Name: "teams"},
			},
			NextSteps: cacheNext,
		},
		{
			ID: ClearSlackCache, Title: "Clear the Slack cache", Group: fixes.GroupMeetings, OS: linux, RunsAs: fixes.RunsAsUser,
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
			ID: ClearZoomCache, Title: "Clear the Zoom cache", Group: fixes.GroupMeetings, OS: linux, RunsAs: fixes.RunsAsUser,
			Description: "Quits Zoom, deletes its logs and cached files and starts it again. Your settings and sign-in " +
				"are kept. Takes about half a minute; leave a meeting first.",
			Timeout: 2 * minute,
			Steps: []fixes.Step{
				fixes.QuitApp{Name: "zoom"},
				fixes.RemoveOld{Root: "user-home", Paths: []string{".zoom/logs"}},
				fixes.RemoveOld{Root: "user-cache", Paths: []string{"zoom"}},
				fixes.RelaunchApp{Name: "zoom"},
			},
			NextSteps: cacheNext,
		},
		{
			ID: BackupNow, Title: "Back up now", Group: fixes.GroupSecurity, OS: linux, RunsAs: fixes.RunsAsSystem,
			Description: "Starts your Veeam backup job now instead of waiting for its schedule. You can keep working; " +
				"the backup runs in the background.",
			Timeout: 2 * minute,
			Params: []fixes.Param{{Name: "job", Label: "Backup job", Kind: fixes.ParamEnum,
				Enum: []string{"BackupJob1"}, Default: "BackupJob1"}},
			Steps: []fixes.Step{
				fixes.Exec{Path: veeamconfig, Args: []string{"job", "start", "--name", "{{job}}"}},
			},
			Requires: []string{veeamconfig},
		},
		{
			ID: UpdateAntivirus, Title: "Update virus definitions", Group: fixes.GroupSecurity, OS: linux, RunsAs: fixes.RunsAsSystem,
			Description: "Downloads the newest virus definitions for ClamAV. Takes a minute and interrupts nothing.",
			Timeout:     10 * minute,
			Steps: []fixes.Step{
				fixes.Exec{Path: freshclam, Args: []string{"--stdout"}},
			},
			Requires: []string{freshclam},
		},
	}
}
