package software

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// Registry keys read, all under HKEY_LOCAL_MACHINE unless noted.
const (
	uninstallKey     = `SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall`
	teamViewerKey    = `SOFTWARE\TeamViewer`
	terminalKey      = `SYSTEM\CurrentControlSet\Control\Terminal Server`
	terminalPolicy   = `SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services`
	windowsNTKey     = `SOFTWARE\Microsoft\Windows NT\CurrentVersion`
	firewallKey      = `SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy`
	firewallPolicy   = `SOFTWARE\Policies\Microsoft\WindowsFirewall`
	defenderKey      = `SOFTWARE\Microsoft\Windows Defender`
	defenderRealTime = defenderKey + `\Real-Time Protection`
	defenderSigs     = defenderKey + `\Signature Updates`
)

// detect is the Windows detection: the registry and a process snapshot
// (fast, language-neutral) for most items, and one PowerShell call, run
// alongside, for Defender's live status and BitLocker.
func detect(ctx context.Context, s *scan) ([]Item, []string) {
	procs, procsErr := windowsProcesses()
	var problems []string
	if procsErr != nil {
		problems = append(problems, procsErr.Error())
	}
	running := func(names []string) *bool {
		if procsErr != nil || len(names) == 0 {
			return nil
		}
		return ptr(procs.hasAny(names))
	}
	items, more := gather(ctx,
		func(context.Context) ([]Item, []string) { return s.windowsProducts(running), nil },
		func(context.Context) ([]Item, []string) {
			return []Item{s.windowsRDP(), s.windowsFirewall(), s.windowsFileHistory()}, nil
		},
		func(ctx context.Context) ([]Item, []string) { return s.windowsPowerShell(ctx, running), nil },
	)
	return items, append(problems, more...)
}

// windowsProducts finds the catalog products in the Uninstall keys and
// the MSIX packages, then adds TeamViewer's and AnyDesk's IDs.
func (s *scan) windowsProducts(running func([]string) *bool) []Item {
	found := productsFromUninstall(uninstallEntries())
	s.addMSIXApps(found)
	s.addClassicOutlook(found)
	byName := map[string]product{}
	for _, p := range catalog() {
		byName[p.name] = p
	}
	var items []Item
	for name, it := range found {
		it.Running = running(byName[name].procs)
		switch name {
		case nameTeamViewer:
			windowsTeamViewer(&it)
		case nameAnyDesk:
			s.anyDeskID(&it, filepath.Join(programData(), "AnyDesk", "system.conf"))
		}
		items = append(items, it)
	}
	return items
}

// uninstallEntries reads the machine-wide Uninstall keys (64- and 32-bit
// views) and those of every loaded user profile, where per-user
// installers (Zoom, Slack) register.
func uninstallEntries() []uninstallEntry {
	var entries []uninstallEntry
	for _, view := range []uint32{registry.WOW64_64KEY, registry.WOW64_32KEY} {
		entries = append(entries, readUninstall(registry.LOCAL_MACHINE, uninstallKey, view)...)
	}
	users, err := registry.OpenKey(registry.USERS, "", registry.ENUMERATE_SUB_KEYS)
	if err != nil {
		return entries
	}
	defer users.Close()
	sids, _ := users.ReadSubKeyNames(-1)
	for _, sid := range sids {
		if strings.HasPrefix(sid, "S-1-5-21-") && !strings.HasSuffix(sid, "_Classes") {
			entries = append(entries, readUninstall(registry.USERS, sid+`\`+uninstallKey, 0)...)
		}
	}
	return entries
}

func readUninstall(root registry.Key, path string, view uint32) []uninstallEntry {
	k, err := registry.OpenKey(root, path, registry.ENUMERATE_SUB_KEYS|view)
	if err != nil {
		return nil
	}
	defer k.Close()
	subs, _ := k.ReadSubKeyNames(-1)
	var entries []uninstallEntry
	for _, sub := range subs {
		sk, err := registry.OpenKey(k, sub, registry.QUERY_VALUE|view)
		if err != nil {
			continue
		}
		e := uninstallEntry{
			DisplayName:    regString(sk, "DisplayName"),
			DisplayVersion: regString(sk, "DisplayVersion"),
			DisplayIcon:    regString(sk, "DisplayIcon"),
		}
		sk.Close()
		if e.DisplayName != "" {
			entries = append(entries, e)
		}
	}
	return entries
}

// regString reads a string value, "" when absent.
func regString(k registry.Key, name string) string {
	v, _, err := k.GetStringValue(name)
	if err != nil {
		return ""
	}
	return v
}

// regDWORD reads an integer value; ok is false when absent.
func regDWORD(root registry.Key, path, name string, view uint32) (uint64, bool) {
	k, err := registry.OpenKey(root, path, registry.QUERY_VALUE|view)
	if err != nil {
		return 0, false
	}
	defer k.Close()
	v, _, err := k.GetIntegerValue(name)
	return v, err == nil
}

// addMSIXApps finds the Store-packaged new Teams and new Outlook, which
// have no Uninstall entry. Their folders are not launchable directly, so
// Launch stays empty.
func (s *scan) addMSIXApps(found map[string]Item) {
	entries, err := s.fs.readDir(filepath.Join(programFiles(), "WindowsApps"))
	if err != nil {
		return
	}
	var dirs []string
	for _, e := range entries {
		dirs = append(dirs, e.Name())
	}
	for name, pkg := range map[string]string{nameTeams: "MSTeams", nameOutlook: "Microsoft.OutlookForWindows"} {
		if _, ok := found[name]; ok {
			continue
		}
		if v, ok := msixVersion(dirs, pkg); ok {
			found[name] = Item{Name: name, Kind: KindApp, Installed: true, Version: v}
		}
	}
}

// addClassicOutlook finds Outlook from Microsoft 365 / Office, which is
// part of the Office entry rather than one of its own.
func (s *scan) addClassicOutlook(found map[string]Item) {
	if _, ok := found[nameOutlook]; ok {
		return
	}
	for _, base := range []string{programFiles(), os.Getenv("ProgramFiles(x86)")} {
		if base == "" {
			continue
		}
		exe := filepath.Join(base, `Microsoft Office\root\Office16\OUTLOOK.EXE`)
		if s.fs.exists(exe) {
			found[nameOutlook] = Item{Name: nameOutlook, Kind: KindApp, Installed: true,
				Version: found[nameM365].Version, Launch: exe}
			return
		}
	}
}

// windowsTeamViewer reads the ID (and version) TeamViewer keeps in the
// registry, in the 64-bit view or, for the 32-bit build, WOW6432Node.
func windowsTeamViewer(it *Item) {
	for _, view := range []uint32{registry.WOW64_64KEY, registry.WOW64_32KEY} {
		k, err := registry.OpenKey(registry.LOCAL_MACHINE, teamViewerKey, registry.QUERY_VALUE|view)
		if err != nil {
			continue
		}
		id, _, err := k.GetIntegerValue("ClientID")
		if v := regString(k, "Version"); v != "" && it.Version == "" {
			it.Version = v
		}
		k.Close()
		if err == nil && id != 0 {
			it.ID = groupDigits(fmt.Sprint(id))
			return
		}
	}
}

// windowsRDP: Remote Desktop accepts connections when fDenyTSConnections
// is 0, a group policy overriding the local setting. Windows Home has no
// Remote Desktop host at all.
func (s *scan) windowsRDP() Item {
	it := Item{Name: nameRDP, Kind: KindRemoteHelp, Installed: true}
	if k, err := registry.OpenKey(registry.LOCAL_MACHINE, windowsNTKey, registry.QUERY_VALUE|registry.WOW64_64KEY); err == nil {
		edition := regString(k, "EditionID")
		k.Close()
		if strings.HasPrefix(edition, "Core") {
			it.Installed, it.Enabled, it.Detail = false, ptr(false), "not available on Windows Home"
			return it
		}
	}
	deny, ok := regDWORD(registry.LOCAL_MACHINE, terminalPolicy, "fDenyTSConnections", registry.WOW64_64KEY)
	if ok {
		it.Detail = "set by group policy"
	} else if deny, ok = regDWORD(registry.LOCAL_MACHINE, terminalKey, "fDenyTSConnections", registry.WOW64_64KEY); !ok {
		it.Error = "reading fDenyTSConnections failed"
		return it
	}
	it.Enabled = ptr(deny == 0)
	return it
}

// windowsFirewall reads each profile's EnableFirewall, a group policy
// value taking precedence, and whether the firewall service runs.
func (s *scan) windowsFirewall() Item {
	it := Item{Name: "Windows Firewall", Kind: KindFirewall, Installed: true}
	var profiles []fwProfile
	for _, p := range []struct{ name, local, policy string }{
		{"domain", "DomainProfile", "DomainProfile"},
		{"private", "StandardProfile", "PrivateProfile"},
		{"public", "PublicProfile", "PublicProfile"},
	} {
		v, ok := regDWORD(registry.LOCAL_MACHINE, firewallPolicy+`\`+p.policy, "EnableFirewall", registry.WOW64_64KEY)
		if !ok {
			v, ok = regDWORD(registry.LOCAL_MACHINE, firewallKey+`\`+p.local, "EnableFirewall", registry.WOW64_64KEY)
		}
		fp := fwProfile{Name: p.name}
		if ok {
			fp.Enabled = ptr(v != 0)
		}
		profiles = append(profiles, fp)
	}
	it.Enabled, it.Detail = firewallState(profiles)
	running, err := serviceRunning("mpssvc")
	if err != nil {
		it.addError(err)
		return it
	}
	it.Running = ptr(running)
	if !running {
		it.Enabled, it.Detail = ptr(false), "firewall service stopped"
	}
	return it
}

// windowsFileHistory reports File History when a user profile has it
// configured. The catalog it rewrites after each run dates the last
// backup; the configuration itself holds no such date.
func (s *scan) windowsFileHistory() Item {
	usersDir := filepath.Join(systemDrive()+`\`, "Users")
	entries, err := s.fs.readDir(usersDir)
	if err != nil {
		return Item{} // dropped by Detect: no profiles, no File History
	}
	it := Item{Name: "File History", Kind: KindBackup}
	users := 0
	for _, e := range entries {
		conf := filepath.Join(usersDir, e.Name(), `AppData\Local\Microsoft\Windows\FileHistory\Configuration`)
		if !s.fs.exists(filepath.Join(conf, "Config1.xml")) {
			continue
		}
		users++
		if fi, err := s.fs.stat(filepath.Join(conf, "Catalog1.edb")); err == nil {
			if t := fi.ModTime(); it.LastBackup == nil || t.After(*it.LastBackup) {
				it.LastBackup = ptr(t.UTC())
			}
		}
	}
	if users == 0 {
		return Item{}
	}
	it.Installed, it.Enabled = true, ptr(true)
	it.Detail = fmt.Sprintf("configured for %d user(s)", users)
	return it
}

// windowsPowerShell runs psScript for Defender and BitLocker. Defender's
// registry keys fill in what PowerShell could not tell (it may time out
// on a slow machine); BitLocker has no such fallback.
func (s *scan) windowsPowerShell(ctx context.Context, running func([]string) *bool) []Item {
	defender := Item{Name: nameDefender, Kind: KindSecurity, Installed: true, Running: running([]string{"MsMpEng"})}
	bitlocker := Item{Name: "BitLocker", Kind: KindEncryption}
	ps := filepath.Join(systemRoot(), `System32\WindowsPowerShell\v1.0\powershell.exe`)
	out, err := s.command(ctx, ps, "-NoProfile", "-NonInteractive", "-Command", psScript)
	var st psStatus
	if err == nil {
		st, err = parsePSStatus(out)
	}
	if err != nil {
		defender.addError(err)
		bitlocker.addError(err)
	}
	if m := st.Defender; m != nil {
		defender.Version = m.AMProductVersion
		defender.Enabled = m.RealTimeProtectionEnabled
		if !m.AntivirusSignatureLastUpdated.IsZero() {
			defender.Definitions = ptr(m.AntivirusSignatureLastUpdated.Time)
		}
		if m.AMServiceEnabled != nil && !*m.AMServiceEnabled {
			defender.Detail = "antimalware service disabled (another antivirus may be active)"
		}
	} else if st.DefenderError != "" {
		defender.addError(errors.New("Get-MpComputerStatus: " + st.DefenderError))
	}
	defenderFromRegistry(&defender)

	if st.VolumesError != "" {
		bitlocker.addError(errors.New("Win32_EncryptableVolume: " + st.VolumesError))
	}
	if len(st.Volumes) > 0 {
		bitlocker.Installed = true
		bitlocker.Enabled, bitlocker.Detail = bitLockerState(st.Volumes)
	}
	return []Item{defender, bitlocker}
}

// defenderFromRegistry fills what Get-MpComputerStatus did not give.
func defenderFromRegistry(it *Item) {
	if it.Version == "" {
		if k, err := registry.OpenKey(registry.LOCAL_MACHINE, defenderKey, registry.QUERY_VALUE|registry.WOW64_64KEY); err == nil {
			it.Version = defenderPlatformVersion(regString(k, "InstallLocation"))
			k.Close()
		}
	}
	if it.Enabled == nil {
		off, ok := regDWORD(registry.LOCAL_MACHINE, defenderRealTime, "DisableRealtimeMonitoring", registry.WOW64_64KEY)
		it.Enabled = ptr(!ok || off == 0)
	}
	if it.Definitions == nil {
		if k, err := registry.OpenKey(registry.LOCAL_MACHINE, defenderSigs, registry.QUERY_VALUE|registry.WOW64_64KEY); err == nil {
			if b, _, err := k.GetBinaryValue("SignaturesLastUpdated"); err == nil {
				if t, ok := fileTime(b); ok {
					it.Definitions = ptr(t)
				}
			}
			k.Close()
		}
	}
}

// windowsProcesses lists the executable names of running processes.
func windowsProcesses() (procSet, error) {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		return nil, fmt.Errorf("process list: %w", err)
	}
	defer windows.CloseHandle(snap)
	var names []string
	var e windows.ProcessEntry32
	e.Size = uint32(unsafe.Sizeof(e))
	for err = windows.Process32First(snap, &e); err == nil; err = windows.Process32Next(snap, &e) {
		names = append(names, windows.UTF16ToString(e.ExeFile[:]))
	}
	if !errors.Is(err, windows.ERROR_NO_MORE_FILES) {
		return nil, fmt.Errorf("process list: %w", err)
	}
	return newProcSet(names), nil
}

// serviceRunning asks the service manager with the least rights needed,
// so it works for an ordinary user too.
func serviceRunning(name string) (bool, error) {
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	if err != nil {
		return false, fmt.Errorf("opening the service manager: %w", err)
	}
	defer windows.CloseServiceHandle(m)
	n, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return false, err
	}
	h, err := windows.OpenService(m, n, windows.SERVICE_QUERY_STATUS)
	if err != nil {
		return false, fmt.Errorf("opening service %s: %w", name, err)
	}
	defer windows.CloseServiceHandle(h)
	var st windows.SERVICE_STATUS
	if err := windows.QueryServiceStatus(h, &st); err != nil {
		return false, fmt.Errorf("querying service %s: %w", name, err)
	}
	return st.CurrentState == windows.SERVICE_RUNNING, nil
}

func programData() string  { return envOr("ProgramData", `C:\ProgramData`) }
func programFiles() string { return envOr("ProgramFiles", `C:\Program Files`) }
func systemRoot() string   { return envOr("SystemRoot", `C:\Windows`) }
func systemDrive() string  { return envOr("SystemDrive", `C:`) }

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
