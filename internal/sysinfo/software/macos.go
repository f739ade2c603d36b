package software

import (
	"errors"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// This file holds the macOS detection's pure parts and the app scan (file
// reads only), so they are tested on every OS; detect_darwin.go runs the
// commands.

// macApps finds the catalog products among the app bundles in dir
// (/Applications). The first bundle matching a product wins, in name
// order. Launch is the bundle, which the caller opens with /usr/bin/open.
func (s *scan) macApps(dir string) (map[string]Item, error) {
	entries, err := s.fs.readDir(dir)
	if err != nil {
		return nil, err
	}
	products := catalog()
	found := map[string]Item{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".app") {
			continue
		}
		bundle := path.Join(dir, e.Name())
		data, err := s.fs.readFile(bundle+"/Contents/Info.plist", maxConfigFile)
		if err != nil {
			continue
		}
		info, err := parseInfoPlist(data)
		if err != nil {
			// A binary Info.plist still names the app by its bundle
			// name; it is reported without a version.
			if errors.Is(err, errBinaryPlist) {
				s.macAppByName(products, found, e.Name(), bundle)
			}
			continue
		}
		for _, p := range products {
			if _, done := found[p.name]; done || !matchBundleID(p.bundleIDs, info.ID) {
				continue
			}
			found[p.name] = Item{Name: p.name, Kind: p.kind, Installed: true, Version: info.Version, Launch: bundle}
			break
		}
	}
	return found, nil
}

// macAppByName matches a bundle whose Info.plist could not be read by its
// folder name ("TeamViewer.app").
func (s *scan) macAppByName(products []product, found map[string]Item, folder, bundle string) {
	name := strings.TrimSuffix(folder, ".app")
	for _, p := range products {
		if _, done := found[p.name]; done || len(p.bundleIDs) == 0 {
			continue
		}
		if strings.EqualFold(name, p.name) {
			found[p.name] = Item{Name: p.name, Kind: p.kind, Installed: true, Launch: bundle}
			return
		}
	}
}

// parseFdesetup reads `fdesetup status`: "FileVault is On.", "FileVault
// is Off.", or while converting "Encryption in progress: Percent completed
// = 42.5" (the decimal may be a comma in some locales).
func parseFdesetup(out []byte) (*bool, string) {
	text := string(out)
	lower := strings.ToLower(text)
	switch {
	case strings.Contains(lower, "encryption in progress"):
		d := "encryption in progress"
		if pct, ok := percentAfter(text, "="); ok {
			d += " (" + strconv.FormatFloat(pct, 'f', -1, 64) + "%)"
		}
		return ptr(false), d
	case strings.Contains(lower, "decryption in progress"):
		return ptr(false), "decryption in progress"
	case strings.Contains(lower, "filevault is on"):
		return ptr(true), ""
	case strings.Contains(lower, "filevault is off"):
		return ptr(false), ""
	}
	return nil, ""
}

// percentAfter reads the number after sep on the line holding it,
// accepting a decimal comma.
func percentAfter(text, sep string) (float64, bool) {
	for line := range strings.Lines(text) {
		_, v, ok := strings.Cut(line, sep)
		if !ok {
			continue
		}
		v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "%"))
		f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if err == nil && f >= 0 && f <= 100 {
			return f, true
		}
	}
	return 0, false
}

// parseSocketFilterFW reads `socketfilterfw --getglobalstate`: "Firewall
// is enabled. (State = 1)", "Firewall is disabled. (State = 0)", and
// "(State = 2)" for block-all.
func parseSocketFilterFW(out []byte) (*bool, string) {
	text := string(out)
	if i := strings.Index(text, "State = "); i >= 0 {
		rest := text[i+len("State = "):]
		end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
		if end < 0 {
			end = len(rest)
		}
		if n, err := strconv.Atoi(rest[:end]); err == nil {
			switch n {
			case 0:
				return ptr(false), ""
			case 2:
				return ptr(true), "blocking all incoming connections"
			default:
				return ptr(true), ""
			}
		}
	}
	switch lower := strings.ToLower(text); {
	case strings.Contains(lower, "firewall is enabled"):
		return ptr(true), ""
	case strings.Contains(lower, "firewall is disabled"):
		return ptr(false), ""
	}
	return nil, ""
}

// tmutilStamp is the name Time Machine gives each backup.
var tmutilStamp = regexp.MustCompile(`(\d{4}-\d{2}-\d{2}-\d{6})(?:\.backup|\.inprogress)?/?$`)

// parseTmutilLatest reads the path `tmutil latestbackup` prints, whose
// last element is the backup's local time: ".../2024-05-02-101530" or,
// on APFS destinations, ".../2024-05-02-101530.backup".
func parseTmutilLatest(out []byte, loc *time.Location) (time.Time, bool) {
	for line := range strings.Lines(string(out)) {
		m := tmutilStamp.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		if t, err := time.ParseInLocation("2006-01-02-150405", m[1], loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
