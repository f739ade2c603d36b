package sysinfo

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/shirou/gopsutil/v4/host"
)

func collectHost(ctx context.Context, o *Options, s *Snapshot) error {
	var errs errorList
	h := &Host{Family: runtime.GOOS, User: o.Requester.Name, UserID: o.Requester.ID}
	var err error
	h.Hostname, err = os.Hostname()
	errs.add("hostname", err)
	boot, err := host.BootTimeWithContext(ctx)
	errs.add("boot time", err)
	if boot > 0 {
		h.BootTime = time.Unix(int64(boot), 0).UTC()
		h.UptimeSeconds = uint64(max(0, o.Now().Unix()-int64(boot)))
	}
	h.Kernel, err = host.KernelVersionWithContext(ctx)
	errs.add("kernel", err)
	h.Arch, _ = host.KernelArch()
	if sys, role, err := host.VirtualizationWithContext(ctx); err == nil && role == "guest" && sys != "" {
		h.Virtualization = sys + " guest"
	}
	rel, err := osRelease(ctx, o)
	errs.add("os name", err)
	h.OS, h.Platform, h.Version = rel.name, rel.platform, rel.version
	m, err := machine(ctx, o)
	errs.add("machine model", err)
	h.Manufacturer, h.Model, h.SerialNumber = m.manufacturer, m.model, m.serial
	h.Timezone = timezone(o.Root)
	if users, err := host.UsersWithContext(ctx); err == nil {
		h.LoggedInUsers = uniqueUsers(users)
	}
	s.Host = h
	return errs.err()
}

// release names the operating system: the name people use ("Debian
// GNU/Linux 12 (bookworm)"), the platform id and its version.
type release struct{ name, platform, version string }

// machineInfo is what the firmware says the computer is.
type machineInfo struct{ manufacturer, model, serial string }

// placeholderDMI are the values vendors leave in firmware fields they did
// not fill; showing them would mislead.
func placeholderDMI(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "to be filled by o.e.m.", "default string", "system serial number", "not specified",
		"none", "0", "system product name", "system manufacturer", "0123456789", "n/a":
		return true
	}
	return false
}

func cleanDMI(v string) string {
	if placeholderDMI(v) {
		return ""
	}
	return strings.TrimSpace(v)
}

func uniqueUsers(users []host.UserStat) []string {
	var out []string
	seen := map[string]bool{}
	for _, u := range users {
		if u.User != "" && !seen[u.User] {
			seen[u.User] = true
			out = append(out, u.User)
		}
	}
	return out
}

// timezone names the configured zone ("Europe/Berlin") from the
// /etc/localtime link where there is one, else the zone abbreviation and
// offset of the process.
func timezone(root string) string {
	if target, err := filepath.EvalSymlinks(joinRoot(root, "etc", "localtime")); err == nil {
		if i := strings.Index(target, "zoneinfo/"); i >= 0 {
			return target[i+len("zoneinfo/"):]
		}
	}
	if b := readTrimmed(root, "etc", "timezone"); b != "" {
		return b
	}
	name, off := time.Now().Zone()
	return fmt.Sprintf("%s (UTC%+03d:%02d)", name, off/3600, abs(off%3600)/60)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// parseOSRelease reads the os-release format (systemd's KEY="value"
// lines) into a map. Quotes and backslash escapes are undone; malformed
// lines are skipped, as the spec says readers should.
func parseOSRelease(b []byte) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			continue
		}
		out[k] = unquoteShell(v)
	}
	return out
}

func unquoteShell(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		if v[0] == '"' {
			if u, err := strconv.Unquote(v); err == nil {
				return u
			}
		}
		return v[1 : len(v)-1]
	}
	return v
}

// osReleaseName picks the most readable name an os-release file offers.
func osReleaseName(m map[string]string) string {
	if v := m["PRETTY_NAME"]; v != "" {
		return v
	}
	return strings.TrimSpace(m["NAME"] + " " + m["VERSION"])
}
