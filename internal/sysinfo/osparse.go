package sysinfo

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
)

// swVersVersion is the ProductVersion line of sw_vers.
func swVersVersion(b []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "ProductVersion" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// parseSwVers turns sw_vers output ("ProductName:\tmacOS" ...) into
// "macOS 14.5 (23F79)".
func parseSwVers(b []byte) string {
	kv := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok {
			kv[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	name := strings.TrimSpace(kv["ProductName"] + " " + kv["ProductVersion"])
	if build := kv["BuildVersion"]; build != "" && name != "" {
		name += " (" + build + ")"
	}
	return name
}

// parseIOReg picks the manufacturer, model and serial number out of
// `ioreg -rd1 -c IOPlatformExpertDevice`, whose lines look like
//
//	"IOPlatformSerialNumber" = "C02XXXXXXXXX"
//	"model" = <"MacBookPro18,3">
func parseIOReg(b []byte) machineInfo {
	var m machineInfo
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok {
			continue
		}
		k = strings.Trim(strings.TrimSpace(k), `"`)
		v = strings.Trim(strings.TrimSpace(v), `<>"`)
		v = strings.TrimRight(v, "\x00")
		switch k {
		case "IOPlatformSerialNumber":
			m.serial = cleanDMI(v)
		case "model":
			m.model = cleanDMI(v)
		case "manufacturer":
			m.manufacturer = cleanDMI(v)
		}
	}
	return m
}

// windowsName names the edition the way Windows shows it. Windows 11
// still writes "Windows 10" into ProductName; the build number tells them
// apart (22000 and later is 11).
func windowsName(product, display, build string) string {
	if n, err := strconv.Atoi(build); err == nil && n >= 22000 {
		product = strings.Replace(product, "Windows 10", "Windows 11", 1)
	}
	return strings.TrimSpace(product + " " + display)
}
