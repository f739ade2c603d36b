package software

import (
	"strings"
)

// maxDMDepth bounds the walk down stacked device-mapper devices (LVM on
// LUKS on RAID…); real stacks are two or three deep.
const maxDMDepth = 8

// linuxEncryption reports whether / and (when mounted separately) /home
// sit on dm-crypt: the mount's device, or every device below it in the
// device-mapper stack (LVM on LUKS), has a "CRYPT-" uuid in /sys.
func (s *scan) linuxEncryption(inv *linuxInventory) Item {
	it := Item{Name: "LUKS", Kind: KindEncryption, Installed: inv.hasPackage("cryptsetup", "cryptsetup-bin")}
	data, err := s.fs.readFile(mountsPath, maxConfigFile)
	if err != nil {
		it.addError(err)
		return it
	}
	mounts := parseMounts(data)
	names := s.dmNames()
	var encrypted, plain, unknown []string
	kinds := map[string]bool{}
	for _, target := range []string{"/", "/home"} {
		m, ok := mountOf(mounts, target)
		if !ok {
			continue
		}
		state, kind := s.mountEncryption(m, names)
		switch state {
		case encYes:
			encrypted = append(encrypted, target)
			kinds[kind] = true
		case encNo:
			plain = append(plain, target)
		default:
			unknown = append(unknown, target+" ("+m.FSType+")")
		}
	}
	switch {
	case len(plain) > 0:
		it.Enabled = ptr(false)
	case len(encrypted) > 0:
		it.Enabled = ptr(true)
	}
	if len(encrypted) > 0 {
		it.Installed = true
	}
	it.Detail = encryptionDetail(encrypted, plain, unknown, kinds)
	return it
}

// encState is what is known about one mount.
type encState int

const (
	encUnknown encState = iota // not a block device: overlay, ZFS, network
	encNo
	encYes
)

// mountEncryption classifies the device a mount is on; kind is the
// dm-crypt type ("LUKS2", "PLAIN", …) when encrypted.
func (s *scan) mountEncryption(m mount, names map[string]string) (encState, string) {
	src := m.Source
	var dm string
	switch {
	case strings.HasPrefix(src, "/dev/mapper/"):
		dm = names[strings.TrimPrefix(src, "/dev/mapper/")]
	case strings.HasPrefix(src, "/dev/dm-"):
		dm = strings.TrimPrefix(src, "/dev/")
	case strings.HasPrefix(src, "/dev/"):
		return encNo, ""
	default:
		return encUnknown, ""
	}
	if dm == "" {
		return encUnknown, ""
	}
	return s.dmEncryption(dm, 0)
}

// dmEncryption: a device is encrypted when it is a dm-crypt target, or it
// has lower devices and all of them are encrypted.
func (s *scan) dmEncryption(dm string, depth int) (encState, string) {
	if depth > maxDMDepth {
		return encUnknown, ""
	}
	base := "/sys/block/" + dm
	uuid, err := s.fs.readFile(base+"/dm/uuid", 4096)
	if err == nil {
		if kind, ok := cryptKind(strings.TrimSpace(string(uuid))); ok {
			return encYes, kind
		}
	}
	slaves, err := s.fs.readDir(base + "/slaves")
	if err != nil || len(slaves) == 0 {
		return encNo, ""
	}
	kind := ""
	for _, sl := range slaves {
		if !strings.HasPrefix(sl.Name(), "dm-") {
			return encNo, "" // a raw partition under the stack
		}
		st, k := s.dmEncryption(sl.Name(), depth+1)
		if st != encYes {
			return st, ""
		}
		kind = k
	}
	return encYes, kind
}

// cryptKind reads a device-mapper uuid such as "CRYPT-LUKS2-<uuid>-name".
func cryptKind(uuid string) (string, bool) {
	rest, ok := strings.CutPrefix(uuid, "CRYPT-")
	if !ok {
		return "", false
	}
	kind, _, _ := strings.Cut(rest, "-")
	return kind, true
}

// dmNames maps device-mapper names (as in /dev/mapper/<name>) to their
// dm-N device.
func (s *scan) dmNames() map[string]string {
	names := map[string]string{}
	entries, err := s.fs.readDir("/sys/block")
	if err != nil {
		return names
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "dm-") {
			continue
		}
		if n, err := s.fs.readFile("/sys/block/"+e.Name()+"/dm/name", 4096); err == nil {
			names[strings.TrimSpace(string(n))] = e.Name()
		}
	}
	return names
}

// encryptionDetail says it in a line: "/ and /home encrypted".
func encryptionDetail(encrypted, plain, unknown []string, kinds map[string]bool) string {
	var parts []string
	if len(encrypted) > 0 {
		p := joinAnd(encrypted) + " encrypted"
		if len(kinds) == 1 {
			for k := range kinds {
				if !strings.HasPrefix(k, "LUKS") {
					p += " (dm-crypt " + strings.ToLower(k) + ")"
				}
			}
		}
		parts = append(parts, p)
	}
	if len(plain) > 0 {
		parts = append(parts, joinAnd(plain)+" not encrypted")
	}
	if len(unknown) > 0 {
		parts = append(parts, joinAnd(unknown)+" not on a local disk, unknown")
	}
	return strings.Join(parts, "; ")
}
