package software

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
)

// Linux paths read. Each goes through the scan's root.
const (
	dpkgStatusPath        = "/var/lib/dpkg/status"
	rpmPath               = "/usr/bin/rpm"
	teamViewerConfPath    = "/etc/teamviewer/global.conf"
	teamViewerConfOldPath = "/opt/teamviewer/config/global.conf"
	teamViewerScript      = "/opt/teamviewer/tv_bin/script/tvw_config"
	anyDeskConfLinux      = "/etc/anydesk/system.conf"
	clamavDBDir           = "/var/lib/clamav"
	sophosVersionINI      = "/opt/sophos-spl/base/VERSION.ini"
	veeamconfigPath       = "/usr/bin/veeamconfig"
	ufwConf               = "/etc/ufw/ufw.conf"
	mountsPath            = "/proc/mounts"
)

// detect is the Linux detection: an inventory of packages and processes
// first (files only), then the products, the firewall and disk encryption
// side by side, since the firewall and Veeam may each wait on a command.
func detect(ctx context.Context, s *scan) ([]Item, []string) {
	inv, problems := s.linuxInventory(ctx)
	items, more := gather(ctx,
		func(ctx context.Context) ([]Item, []string) { return s.linuxProducts(ctx, inv), nil },
		func(ctx context.Context) ([]Item, []string) { return []Item{s.linuxFirewall(ctx, inv)}, nil },
		func(context.Context) ([]Item, []string) { return []Item{s.linuxEncryption(inv)}, nil },
	)
	return items, append(problems, more...)
}

// linuxInventory is what is read once and used by every product.
type linuxInventory struct {
	packages map[string]string // installed package → version
	procs    procSet
	procsErr error
}

// hasPackage reports whether any of names is installed.
func (inv *linuxInventory) hasPackage(names ...string) bool {
	for _, n := range names {
		if _, ok := inv.packages[n]; ok {
			return true
		}
	}
	return false
}

// running is whether one of names runs, nil when the process list was
// unreadable.
func (inv *linuxInventory) running(names []string) *bool {
	if inv.procsErr != nil || len(names) == 0 {
		return nil
	}
	return ptr(inv.procs.hasAny(names))
}

func (s *scan) linuxInventory(ctx context.Context) (*linuxInventory, []string) {
	var problems []string
	wanted := map[string]bool{"ufw": true, "firewalld": true, "nftables": true, "cryptsetup": true, "cryptsetup-bin": true}
	for _, p := range catalog() {
		for _, n := range p.packages {
			wanted[n] = true
		}
	}
	inv := &linuxInventory{}
	var err error
	inv.packages, err = s.installedPackages(ctx, wanted)
	if err != nil {
		problems = append(problems, err.Error())
	}
	inv.procs, inv.procsErr = s.linuxProcesses()
	if inv.procsErr != nil {
		problems = append(problems, inv.procsErr.Error())
	}
	return inv, problems
}

// installedPackages reads dpkg's status file; on a system without dpkg it
// asks rpm about the wanted names in one call (its database is a binary
// format this package does not read).
func (s *scan) installedPackages(ctx context.Context, wanted map[string]bool) (map[string]string, error) {
	data, err := s.fs.readFile(dpkgStatusPath, maxPackageDB)
	if err == nil {
		return parseDpkgStatus(data, wanted), nil
	}
	if !notFound(err) {
		return map[string]string{}, fmt.Errorf("package database: %w", err)
	}
	if !s.fs.exists(rpmPath) {
		return map[string]string{}, nil
	}
	args := append([]string{"-q", "--queryformat", rpmQueryFormat}, slices.Sorted(maps.Keys(wanted))...)
	// rpm -q exits non-zero when any name is not installed; its output
	// still answers for every name.
	out, err := s.command(ctx, rpmPath, args...)
	found := parseRPMQuery(out)
	if err != nil && len(out) == 0 {
		return found, fmt.Errorf("package database: %w", err)
	}
	return found, nil
}

// linuxProcesses lists the command names of running processes from
// /proc/<pid>/comm: a file read per process, much cheaper than asking
// systemd about each service.
func (s *scan) linuxProcesses() (procSet, error) {
	entries, err := s.fs.readDir("/proc")
	if err != nil {
		return nil, fmt.Errorf("process list: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !isPID(e.Name()) {
			continue
		}
		// A process may exit between listing and reading: skip it.
		if comm, err := s.fs.readFile("/proc/"+e.Name()+"/comm", 256); err == nil {
			names = append(names, strings.TrimSpace(string(comm)))
		}
	}
	return newProcSet(names), nil
}

func isPID(name string) bool {
	return name != "" && strings.Trim(name, "0123456789") == ""
}

// linuxProducts detects every catalog product and adds what each tool's
// own files tell (IDs, definitions, last backup).
func (s *scan) linuxProducts(ctx context.Context, inv *linuxInventory) []Item {
	var items []Item
	for _, p := range catalog() {
		it, ok := s.linuxProduct(p, inv)
		if !ok {
			continue
		}
		switch p.name {
		case nameTeamViewer:
			s.linuxTeamViewer(&it)
		case nameAnyDesk:
			s.anyDeskID(&it, anyDeskConfLinux)
		case nameRDP:
			it.Enabled, it.Detail = it.Running, "xrdp"
		case nameClamAV:
			s.clamAVDefinitions(&it, inv)
		case nameSophos:
			s.sophosVersion(&it)
		case nameVeeam:
			s.veeamLastBackup(ctx, &it)
		}
		items = append(items, it)
	}
	return items
}

// linuxProduct finds p through its package, snap, flatpak or install
// folder; ok is false when it is not installed.
func (s *scan) linuxProduct(p product, inv *linuxInventory) (Item, bool) {
	it := Item{Name: p.name, Kind: p.kind}
	for _, n := range p.packages {
		if v, ok := inv.packages[n]; ok {
			it.Installed, it.Version = true, v
			break
		}
	}
	for _, n := range p.snaps {
		if it.Installed {
			break
		}
		if s.fs.exists("/snap/" + n + "/current") {
			it.Installed, it.Launch = true, "/snap/bin/"+n
			if data, err := s.fs.readFile("/snap/"+n+"/current/meta/snap.yaml", maxConfigFile); err == nil {
				it.Version = parseSnapVersion(data)
			}
		}
	}
	for _, id := range p.flatpaks {
		if it.Installed {
			break
		}
		if s.fs.isDir("/var/lib/flatpak/app/" + id) {
			it.Installed, it.Version = true, s.flatpakVersion(id)
			if bin := "/var/lib/flatpak/exports/bin/" + id; s.fs.exists(bin) {
				it.Launch = bin
			}
		}
	}
	for _, d := range p.dirs {
		if it.Installed {
			break
		}
		it.Installed = s.fs.isDir(d)
	}
	if !it.Installed {
		return it, false
	}
	it.Running = inv.running(p.procs)
	for _, l := range p.launch {
		if s.fs.exists(l) {
			it.Launch = l
			break
		}
	}
	return it, true
}

// flatpakVersion reads the newest release from the app's metainfo.
func (s *scan) flatpakVersion(id string) string {
	base := "/var/lib/flatpak/app/" + id + "/current/active/files/share/"
	for _, p := range []string{"metainfo/" + id + ".metainfo.xml", "metainfo/" + id + ".appdata.xml", "appdata/" + id + ".appdata.xml"} {
		if data, err := s.fs.readFile(base+p, maxConfigFile); err == nil {
			return parseMetainfoVersion(data)
		}
	}
	return ""
}

// linuxTeamViewer reads the ID from global.conf (TeamViewer 15 keeps it
// in /etc, older versions under /opt) and the version from the same file
// or the launcher script when no package told it.
func (s *scan) linuxTeamViewer(it *Item) {
	for _, p := range []string{teamViewerConfPath, teamViewerConfOldPath} {
		data, err := s.fs.readFile(p, maxConfigFile)
		if notFound(err) {
			continue
		}
		if err != nil {
			it.addError(err)
			break
		}
		c := parseTeamViewerConf(data)
		it.ID = groupDigits(c.ClientID)
		if it.Version == "" {
			it.Version = c.Version
		}
		break
	}
	if it.Version == "" {
		if data, err := s.fs.readFile(teamViewerScript, maxConfigFile); err == nil {
			it.Version, _ = shellValue(data, "TV_VERSION")
		}
	}
}

// clamAVDefinitions reads the build date of the daily database. freshclam
// keeps either daily.cvd or, after incremental updates, daily.cld; when
// both exist the newer counts. On-access scanning (clamonacc) is
// ClamAV's real-time protection.
func (s *scan) clamAVDefinitions(it *Item, inv *linuxInventory) {
	var errs []error
	for _, name := range []string{"daily.cld", "daily.cvd"} {
		p := path.Join(clamavDBDir, name)
		head, err := s.fs.readHead(p, cvdHeaderSize)
		if notFound(err) {
			continue
		}
		if err == nil {
			var h cvdHeader
			if h, err = parseCVDHeader(head); err == nil {
				if it.Definitions == nil || h.Built.After(*it.Definitions) {
					it.Definitions = ptr(h.Built)
					it.Detail = fmt.Sprintf("daily database %d", h.Version)
				}
				continue
			}
			err = fmt.Errorf("reading %s: %w", p, err)
		}
		errs = append(errs, err)
	}
	if it.Definitions == nil {
		it.addError(errors.Join(errs...))
	}
	it.Enabled = inv.running([]string{"clamonacc"})
}

// sophosVersion reads Sophos Protection for Linux's VERSION.ini.
func (s *scan) sophosVersion(it *Item) {
	data, err := s.fs.readFile(sophosVersionINI, maxConfigFile)
	if err != nil {
		if !notFound(err) {
			it.addError(err)
		}
		return
	}
	it.Version = parseProperties(data)["PRODUCT_VERSION"]
}

// veeamLastBackup asks veeamconfig for the session list; Veeam keeps it
// in a database only its own tools read.
func (s *scan) veeamLastBackup(ctx context.Context, it *Item) {
	if !s.fs.exists(veeamconfigPath) {
		return
	}
	out, err := s.command(ctx, veeamconfigPath, "session", "list")
	if err != nil {
		it.addError(err)
		return
	}
	sum := summarizeVeeam(parseVeeamSessions(out, s.loc))
	it.LastBackup = sum.LastSuccess
	switch {
	case sum.Latest == nil:
		it.Detail = "no backup has run"
	case sum.Latest.Finished.IsZero():
		it.Detail = "last session " + sum.Latest.State + ", started " + sum.Latest.Started.Format("2006-01-02 15:04")
	default:
		it.Detail = "last session " + sum.Latest.State + ", " + sum.Latest.Finished.Format("2006-01-02 15:04")
	}
}
