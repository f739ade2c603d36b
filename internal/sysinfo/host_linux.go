package sysinfo

import (
	"context"
	"errors"
)

// osRelease reads os-release, the one file every current distribution
// has. (gopsutil's platform detection runs lsb_release, which costs 150 ms.)
func osRelease(_ context.Context, o *Options) (release, error) {
	b, err := readFile(o.Root, "etc", "os-release")
	if err != nil {
		b, err = readFile(o.Root, "usr", "lib", "os-release")
	}
	if err != nil {
		return release{}, err
	}
	m := parseOSRelease(b)
	r := release{name: osReleaseName(m), platform: m["ID"], version: m["VERSION_ID"]}
	if r.name == "" {
		return r, errors.New("os-release names no OS")
	}
	return r, nil
}

// machine reads the DMI fields the kernel exports. The serial number is
// readable by root only, which the service is.
func machine(_ context.Context, o *Options) (machineInfo, error) {
	dmi := func(f string) string { return cleanDMI(readTrimmed(o.Root, "sys", "class", "dmi", "id", f)) }
	m := machineInfo{manufacturer: dmi("sys_vendor"), model: dmi("product_name"), serial: dmi("product_serial")}
	if v := dmi("product_version"); v != "" && m.model != "" && !placeholderDMI(v) && len(v) < 40 && v != m.model {
		m.model += " (" + v + ")"
	}
	return m, nil
}
