package builtin

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/firstline-it/firstline/internal/fixes"
)

var update = flag.Bool("update", false, "rewrite the golden dry-run files")

// platforms are the three OSes as the tests see them; Windows with its
// default folders.
func platforms() []fixes.Platform {
	none := func(string) string { return "" }
	return []fixes.Platform{
		fixes.PlatformFor(fixes.Linux, none),
		fixes.PlatformFor(fixes.Windows, none),
		fixes.PlatformFor(fixes.Darwin, none),
	}
}

func TestBuiltinsAreValid(t *testing.T) {
	for _, p := range platforms() {
		t.Run(p.GOOS, func(t *testing.T) {
			list := For(p)
			if len(list) < 8 {
				t.Errorf("%d fixes, want at least 8", len(list))
			}
			seen := map[string]bool{}
			groups := map[fixes.Group]bool{}
			for _, f := range list {
				if err := f.Validate(); err != nil {
					t.Error(err)
				}
				if !f.AppliesTo(p.GOOS) || len(f.OS) != 1 {
					t.Errorf("%s: OS %v, want exactly %s", f.ID, f.OS, p.GOOS)
				}
				if seen[f.ID] {
					t.Errorf("%s defined twice", f.ID)
				}
				seen[f.ID] = true
				groups[f.Group] = true
			}
			for _, g := range fixes.Groups() {
				if !groups[g] {
					t.Errorf("no fix in group %q", g)
				}
			}
			for _, id := range []string{FlushDNS, RenewNetwork, ResyncClock, ClearPrintQueue, FreeDiskSpace,
				SecurityUpdates, RestartAudio, ClearTeamsCache, ClearSlackCache, ClearZoomCache, BackupNow, UpdateAntivirus} {
				if !seen[id] {
					t.Errorf("missing %s", id)
				}
			}
		})
	}
}

func TestCurrentMatchesRunningOS(t *testing.T) {
	for _, f := range Current() {
		if !f.AppliesTo(goos) {
			t.Errorf("%s does not apply to %s", f.ID, goos)
		}
	}
}

// TestKeyCommands pins, element by element, the commands the product
// promises per OS. The golden files below cover everything; this table is
// the part a reviewer checks against the OS vendors' documentation.
func TestKeyCommands(t *testing.T) {
	sys32 := `C:\Windows\System32\`
	tests := []struct {
		goos, id string
		want     [][]string
	}{
		{"linux", FlushDNS, [][]string{{"/usr/bin/resolvectl", "flush-caches"}, {"/usr/sbin/nscd", "--invalidate", "hosts"}}},
		{"linux", RenewNetwork, [][]string{{"/usr/bin/nmcli", "networking", "off"}, {"/usr/bin/nmcli", "networking", "on"}}},
		{"linux", ResyncClock, [][]string{{"/usr/bin/timedatectl", "set-ntp", "true"}, {"/usr/bin/chronyc", "-a", "makestep"}}},
		{"linux", ClearPrintQueue, [][]string{{"/usr/bin/cancel", "-a"}, {"/usr/bin/systemctl", "restart", "cups"}}},
		{"linux", FreeDiskSpace, [][]string{{"/usr/bin/apt-get", "clean"}, {"/usr/bin/dnf", "clean", "packages"},
			{"/usr/bin/journalctl", "--vacuum-time", "14d"}}},
		{"linux", SecurityUpdates, [][]string{{"/usr/bin/apt-get", "update", "-q"}, {"/usr/bin/apt-get", "-s", "-q", "upgrade"},
			{"/usr/bin/unattended-upgrade", "-v"}, {"/usr/bin/dnf", "-y", "upgrade", "--security"}}},
		{"linux", RestartAudio, [][]string{{"/usr/bin/systemctl", "--user", "restart", "pipewire", "pipewire-pulse", "wireplumber"}}},
		{"linux", BackupNow, [][]string{{"/usr/bin/veeamconfig", "job", "start", "--name", "BackupJob1"}}},
		{"linux", UpdateAntivirus, [][]string{{"/usr/bin/freshclam", "--stdout"}}},
		{"windows", FlushDNS, [][]string{{sys32 + "ipconfig.exe", "/flushdns"}}},
		{"windows", RenewNetwork, [][]string{{sys32 + "ipconfig.exe", "/release"}, {sys32 + "ipconfig.exe", "/renew"}}},
		{"windows", ResyncClock, [][]string{{sys32 + "net.exe", "start", "W32Time"}, {sys32 + "w32tm.exe", "/resync", "/force"}}},
		{"windows", ClearPrintQueue, [][]string{{sys32 + "net.exe", "stop", "Spooler", "/y"}, {sys32 + "net.exe", "start", "Spooler"}}},
		{"windows", FreeDiskSpace, [][]string{{sys32 + "cleanmgr.exe", "/autoclean"}}},
		{"windows", SecurityUpdates, [][]string{{sys32 + "UsoClient.exe", "StartScan"}, {sys32 + "UsoClient.exe", "StartDownload"},
			{sys32 + "UsoClient.exe", "StartInstall"}}},
		{"windows", RestartAudio, [][]string{{sys32 + "net.exe", "stop", "Audiosrv", "/y"}, {sys32 + "net.exe", "start", "Audiosrv"}}},
		{"windows", BackupNow, [][]string{{`C:\Program Files\Veeam\Endpoint Backup\Veeam.EndPoint.Manager.exe`, "/backup"}}},
		{"windows", UpdateAntivirus, [][]string{{`C:\Program Files\Windows Defender\MpCmdRun.exe`, "-SignatureUpdate"}}},
		{"darwin", FlushDNS, [][]string{{"/usr/bin/dscacheutil", "-flushcache"}, {"/usr/bin/killall", "-HUP", "mDNSResponder"}}},
		{"darwin", RenewNetwork, [][]string{{"/usr/sbin/ipconfig", "set", "en0", "DHCP"}}},
		{"darwin", ResyncClock, [][]string{{"/usr/bin/sntp", "-sS", "time.apple.com"}}},
		{"darwin", ClearPrintQueue, [][]string{{"/usr/bin/cancel", "-a"}, {"/bin/launchctl", "kickstart", "-k", "system/org.cups.cupsd"}}},
		{"darwin", FreeDiskSpace, [][]string{{"/usr/bin/tmutil", "thinlocalsnapshots", "/", "10000000000", "4"}}},
		{"darwin", SecurityUpdates, [][]string{{"/usr/sbin/softwareupdate", "-i", "-a"}}},
		{"darwin", RestartAudio, [][]string{{"/usr/bin/killall", "coreaudiod"}}},
		{"darwin", BackupNow, [][]string{{"/usr/bin/tmutil", "startbackup", "--auto"}}},
		{"darwin", UpdateAntivirus, [][]string{{"/usr/local/bin/mdatp", "definitions", "update"}}},
	}
	for _, tc := range tests {
		t.Run(tc.goos+"/"+tc.id, func(t *testing.T) {
			plan := planOf(t, tc.goos, tc.id)
			var got [][]string
			for _, s := range plan.Steps {
				for _, c := range s.Commands {
					got = append(got, c.Argv)
				}
			}
			if !slices.EqualFunc(got, tc.want, slices.Equal) {
				t.Errorf("commands:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func planOf(t *testing.T, goos, id string) *fixes.Plan {
	t.Helper()
	for _, p := range platforms() {
		if p.GOOS != goos {
			continue
		}
		for _, f := range For(p) {
			if f.ID != id {
				continue
			}
			v, err := f.Values(nil)
			if err != nil {
				t.Fatal(err)
			}
			plan, err := f.Plan(v, fixes.Target{Platform: p, UID: "501", Roots: testRoots(p, f.RunsAs)})
			if err != nil {
				t.Fatal(err)
			}
			return plan
		}
	}
	t.Fatalf("no fix %s for %s", id, goos)
	return nil
}

func testRoots(p fixes.Platform, as fixes.RunsAs) map[string]string {
	env := map[string]string{
		"APPDATA": `C:\Users\ann\AppData\Roaming`, "LOCALAPPDATA": `C:\Users\ann\AppData\Local`,
		"TEMP": `C:\Users\ann\AppData\Local\Temp`, "TMPDIR": "/var/folders/ab/T/",
	}
	home := "/home/ann"
	switch p.GOOS {
	case fixes.Windows:
		home = `C:\Users\ann`
	case fixes.Darwin:
		home = "/Users/ann"
	}
	return fixes.DefaultRoots(p, as, fixes.UserDirs{Home: home, Env: func(k string) string { return env[k] }})
}

// TestGoldenDryRuns renders the dry run of every built-in fix of every OS
// and compares it with testdata/dryrun_GOOS.golden. Run with -update after
// a deliberate change, and read the diff: it is the exact list of what
// each fix would run.
func TestGoldenDryRuns(t *testing.T) {
	for _, p := range platforms() {
		t.Run(p.GOOS, func(t *testing.T) {
			var b strings.Builder
			for _, f := range For(p) {
				plan := planOf(t, p.GOOS, f.ID)
				fmt.Fprintf(&b, "== %s (%s, %s, timeout %s)\n", f.ID, f.RunsAs, f.Group, plan.Timeout)
				if len(f.Requires) > 0 {
					fmt.Fprintf(&b, "   requires %s\n", strings.Join(f.Requires, ", "))
				}
				if len(f.RequiresAny) > 0 {
					fmt.Fprintf(&b, "   requires one of %s\n", strings.Join(f.RequiresAny, ", "))
				}
				for _, s := range plan.Steps {
					fmt.Fprintf(&b, "%2d. %s\n", s.N, s.Summary)
					for _, c := range s.Commands {
						fmt.Fprintf(&b, "      argv %q", c.Argv)
						if len(c.AllowExit) > 0 {
							fmt.Fprintf(&b, " allow-exit %v", c.AllowExit)
						}
						if len(c.Env) > 0 {
							fmt.Fprintf(&b, " env %q", c.Env)
						}
						b.WriteString("\n")
					}
				}
			}
			golden := filepath.Join("testdata", "dryrun_"+p.GOOS+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != string(want) {
				t.Errorf("dry runs differ from %s (run with -update and review the diff):\n%s", golden, b.String())
			}
		})
	}
}
