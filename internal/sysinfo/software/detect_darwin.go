package software

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/sys/unix"
)

// macOS paths and commands.
const (
	applicationsDir = "/Applications"
	anyDeskConfMac  = "/etc/anydesk/system.conf" // AnyDesk's documented location, for installed (not portable) clients
	xprotectPlist   = "/Library/Apple/System/Library/CoreServices/XProtect.bundle/Contents/Info.plist"
	defaultsPath    = "/usr/bin/defaults"
	teamViewerPrefs = "/Library/Preferences/com.teamviewer.teamviewer.preferences"
	fdesetupPath    = "/usr/bin/fdesetup"
	socketFilterFW  = "/usr/libexec/ApplicationFirewall/socketfilterfw"
	tmutilPath      = "/usr/bin/tmutil"
)

// detect is the macOS detection: app bundles and the process table are
// read directly; FileVault, the firewall, Time Machine and TeamViewer's
// ID need a command each, run side by side.
func detect(ctx context.Context, s *scan) ([]Item, []string) {
	var problems []string
	procs, procsErr := darwinProcesses()
	if procsErr != nil {
		problems = append(problems, procsErr.Error())
	}
	apps, err := s.macApps(applicationsDir)
	if err != nil {
		problems = append(problems, err.Error())
	}
	byName := map[string]product{}
	for _, p := range catalog() {
		byName[p.name] = p
	}
	var appItems []Item
	for name, it := range apps {
		if procsErr == nil && len(byName[name].procs) > 0 {
			it.Running = ptr(procs.hasAny(byName[name].procs))
		}
		if name == nameAnyDesk {
			s.anyDeskID(&it, anyDeskConfMac)
		}
		appItems = append(appItems, it)
	}
	items, more := gather(ctx,
		func(ctx context.Context) ([]Item, []string) { return s.macTeamViewerID(ctx, appItems), nil },
		func(ctx context.Context) ([]Item, []string) { return []Item{s.fileVault(ctx)}, nil },
		func(ctx context.Context) ([]Item, []string) { return []Item{s.macFirewall(ctx)}, nil },
		func(ctx context.Context) ([]Item, []string) { return []Item{s.timeMachine(ctx)}, nil },
		func(context.Context) ([]Item, []string) { return []Item{s.xprotect()}, nil },
	)
	return items, append(problems, more...)
}

// macTeamViewerID reads TeamViewer's ID from its preferences with
// `defaults` (the file is usually a binary plist) and returns the apps.
func (s *scan) macTeamViewerID(ctx context.Context, apps []Item) []Item {
	for i := range apps {
		if apps[i].Name != nameTeamViewer {
			continue
		}
		out, err := s.command(ctx, defaultsPath, "read", teamViewerPrefs, "ClientID")
		if err != nil {
			apps[i].addError(err)
			continue
		}
		if id, ok := parseDefaultsInt(out); ok {
			apps[i].ID = groupDigits(id)
		}
	}
	return apps
}

func (s *scan) fileVault(ctx context.Context) Item {
	it := Item{Name: "FileVault", Kind: KindEncryption, Installed: true}
	out, err := s.command(ctx, fdesetupPath, "status")
	if err != nil {
		it.addError(err)
		return it
	}
	it.Enabled, it.Detail = parseFdesetup(out)
	if it.Enabled == nil {
		it.addError(fmt.Errorf("fdesetup status not understood: %q", firstLine(string(out))))
	}
	return it
}

func (s *scan) macFirewall(ctx context.Context) Item {
	it := Item{Name: "macOS Firewall", Kind: KindFirewall, Installed: true}
	out, err := s.command(ctx, socketFilterFW, "--getglobalstate")
	if err != nil {
		it.addError(err)
		return it
	}
	it.Enabled, it.Detail = parseSocketFilterFW(out)
	if it.Enabled == nil {
		it.addError(fmt.Errorf("socketfilterfw output not understood: %q", firstLine(string(out))))
	}
	return it
}

// timeMachine reports the last backup. tmutil exits non-zero with a
// message when no destination is set up, and needs Full Disk Access to
// read a destination at all; both end up in the item, not the report.
func (s *scan) timeMachine(ctx context.Context) Item {
	it := Item{Name: "Time Machine", Kind: KindBackup, Installed: true}
	out, err := s.command(ctx, tmutilPath, "latestbackup")
	if t, ok := parseTmutilLatest(out, s.loc); ok {
		it.LastBackup = ptr(t)
		it.Enabled = ptr(true)
		return it
	}
	if err != nil {
		msg := strings.ToLower(err.Error() + " " + string(out))
		if strings.Contains(msg, "no machine directory") || strings.Contains(msg, "unable to locate machine directory") {
			it.Detail = "no backup found"
			return it
		}
		it.addError(err)
		return it
	}
	it.Detail = "no backup found"
	return it
}

// xprotect reports the version of Apple's built-in malware definitions.
func (s *scan) xprotect() Item {
	it := Item{Name: "XProtect", Kind: KindSecurity, Installed: true}
	data, err := s.fs.readFile(xprotectPlist, maxConfigFile)
	if err != nil {
		if notFound(err) {
			return Item{}
		}
		it.addError(err)
		return it
	}
	info, err := parseInfoPlist(data)
	if err != nil {
		it.addError(fmt.Errorf("reading %s: %w", xprotectPlist, err))
		return it
	}
	it.Version = info.Version
	return it
}

// darwinProcesses lists process names from the kernel's process table
// (sysctl kern.proc.all): no ps, no command.
func darwinProcesses() (procSet, error) {
	kps, err := unix.SysctlKinfoProcSlice("kern.proc.all")
	if err != nil {
		return nil, fmt.Errorf("process list: %w", err)
	}
	names := make([]string, 0, len(kps))
	for i := range kps {
		names = append(names, unix.ByteSliceToString(kps[i].Proc.P_comm[:]))
	}
	return newProcSet(names), nil
}
