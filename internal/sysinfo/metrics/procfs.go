package metrics

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Parsers for the Linux /proc files the Linux source reads. They live in a
// file without an OS suffix so every build tests them, and they work on
// byte slices without allocating, because the service runs them every few
// seconds for as long as the machine is up.

// userHZ is the unit of CPU times in /proc: USER_HZ, fixed at 100 by the
// kernel's ABI on every architecture Firstline ships for.
const userHZ = 100

func ticks(n uint64) time.Duration { return time.Duration(n) * (time.Second / userHZ) }

var errMalformed = errors.New("malformed")

// parseProcStat returns busy and total CPU ticks from the aggregate "cpu"
// line of /proc/stat. Total is user+nice+system+idle+iowait+irq+softirq+
// steal; guest time is already inside user and nice, so it is not added
// again. Busy is total minus idle and iowait: waiting for a disk is not
// computing.
func parseProcStat(b []byte) (busy, total uint64, err error) {
	line, _, _ := bytes.Cut(b, []byte{'\n'})
	name, rest := nextField(line)
	if string(name) != "cpu" {
		return 0, 0, fmt.Errorf("/proc/stat: first line is not the cpu total: %w", errMalformed)
	}
	var v [8]uint64
	n := 0
	for ; n < len(v); n++ {
		var f []byte
		if f, rest = nextField(rest); f == nil {
			break
		}
		if v[n], err = parseUint(f); err != nil {
			return 0, 0, fmt.Errorf("/proc/stat: cpu field %d: %w", n+1, err)
		}
	}
	if n < 4 {
		return 0, 0, fmt.Errorf("/proc/stat: cpu line has %d fields, want at least 4: %w", n, errMalformed)
	}
	for _, x := range v[:n] {
		total += x
	}
	idle := v[3] + v[4] // v[4] (iowait) is 0 when the kernel is too old to have it
	return total - idle, total, nil
}

// parseMeminfo returns total and used memory in bytes from /proc/meminfo.
// Used is what MemAvailable does not cover, the figure "free" and desktop
// monitors show; kernels before 3.14 lack MemAvailable, and then free,
// buffers and page cache count as available.
func parseMeminfo(b []byte) (total, used uint64, err error) {
	var avail, free, buffers, cached uint64
	var haveTotal, haveAvail bool
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		key, val, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			continue
		}
		var dst *uint64
		switch string(key) {
		case "MemTotal":
			dst, haveTotal = &total, true
		case "MemAvailable":
			dst, haveAvail = &avail, true
		case "MemFree":
			dst = &free
		case "Buffers":
			dst = &buffers
		case "Cached":
			dst = &cached
		default:
			continue
		}
		num, _ := nextField(val)
		kb, err := parseUint(num)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/meminfo: %s: %w", key, err)
		}
		*dst = kb * 1024
	}
	if !haveTotal || total == 0 {
		return 0, 0, fmt.Errorf("/proc/meminfo: no MemTotal: %w", errMalformed)
	}
	if !haveAvail {
		avail = free + buffers + cached
	}
	return total, total - min(avail, total), nil
}

// parseDiskstats sums bytes read and written over the devices of
// /proc/diskstats that count says to count, and identifies that set.
// Sector counts there are always in 512-byte units, whatever the device's
// real sector size.
func parseDiskstats(b []byte, count func(name []byte) bool) (read, written uint64, set nameSet, err error) {
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		var f [10][]byte
		rest := line
		n := 0
		for ; n < len(f); n++ {
			if f[n], rest = nextField(rest); f[n] == nil {
				break
			}
		}
		if n == 0 {
			continue
		}
		if n < len(f) {
			return 0, 0, 0, fmt.Errorf("/proc/diskstats: line with %d fields: %w", n, errMalformed)
		}
		name := f[2]
		if !count(name) {
			continue
		}
		r, err1 := parseUint(f[5])
		w, err2 := parseUint(f[9])
		if err := errors.Join(err1, err2); err != nil {
			return 0, 0, 0, fmt.Errorf("/proc/diskstats: %s: %w", name, err)
		}
		read += r * 512
		written += w * 512
		set.add(name)
	}
	return read, written, set, nil
}

// ifClass is how an interface's traffic is counted.
type ifClass uint8

const (
	ifSkip     ifClass = iota // the loopback: never leaves the machine
	ifVirtual                 // bridges, VPN tunnels, container veths
	ifPhysical                // a NIC, Wi-Fi, USB tethering
)

// parseNetDev sums received and sent bytes from /proc/net/dev. Traffic to
// a container or through a VPN crosses a virtual interface and then a
// physical one, so only physical interfaces are summed; a machine that has
// none (a container, some VMs) sums its virtual ones instead.
func parseNetDev(b []byte, classify func(name []byte) ifClass) (rx, tx uint64, set nameSet, err error) {
	var phys, virt struct {
		rx, tx uint64
		set    nameSet
		n      int
	}
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		name, rest, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			continue // the two header lines
		}
		name = bytes.TrimSpace(name)
		var dst = &virt
		switch classify(name) {
		case ifSkip:
			continue
		case ifPhysical:
			dst = &phys
		}
		var f [9][]byte
		n := 0
		for ; n < len(f); n++ {
			if f[n], rest = nextField(rest); f[n] == nil {
				break
			}
		}
		if n < len(f) {
			return 0, 0, 0, fmt.Errorf("/proc/net/dev: %s: %d fields: %w", name, n, errMalformed)
		}
		r, err1 := parseUint(f[0])
		t, err2 := parseUint(f[8])
		if err := errors.Join(err1, err2); err != nil {
			return 0, 0, 0, fmt.Errorf("/proc/net/dev: %s: %w", name, err)
		}
		dst.rx += r
		dst.tx += t
		dst.set.add(name)
		dst.n++
	}
	if phys.n > 0 {
		return phys.rx, phys.tx, phys.set, nil
	}
	return virt.rx, virt.tx, virt.set, nil
}

// parsePidStat returns the command name, the CPU ticks (user + system, all
// threads) and the start time (ticks after boot) from /proc/[pid]/stat.
// The name is in parentheses and may itself contain spaces and
// parentheses, so it ends at the last ')'.
func parsePidStat(b []byte) (comm []byte, cpu, start uint64, err error) {
	open := bytes.IndexByte(b, '(')
	end := bytes.LastIndexByte(b, ')')
	if open < 0 || end < open {
		return nil, 0, 0, fmt.Errorf("/proc/[pid]/stat: no (comm): %w", errMalformed)
	}
	comm = b[open+1 : end]
	// Fields after the name, counted from 0 = state (field 3 in proc(5)):
	// utime is field 14, stime 15, starttime 22.
	const utime, stime, starttime = 14 - 3, 15 - 3, 22 - 3
	rest := b[end+1:]
	var u, s uint64
	for i := 0; i <= starttime; i++ {
		var f []byte
		if f, rest = nextField(rest); f == nil {
			return nil, 0, 0, fmt.Errorf("/proc/[pid]/stat: %d fields after the name: %w", i, errMalformed)
		}
		var err error
		switch i {
		case utime:
			u, err = parseUint(f)
		case stime:
			s, err = parseUint(f)
		case starttime:
			start, err = parseUint(f)
		}
		if err != nil {
			return nil, 0, 0, fmt.Errorf("/proc/[pid]/stat: field %d: %w", i+3, err)
		}
	}
	return comm, u + s, start, nil
}

// parseDirents calls fn with the pid of each entry of a getdents64 buffer
// whose name is a number: the process directories of /proc.
func parseDirents(buf []byte, fn func(pid int)) {
	// struct linux_dirent64 { u64 ino; s64 off; u16 reclen; u8 type; char name[]; }
	const nameOff = 19
	for len(buf) >= nameOff {
		reclen := int(binary.NativeEndian.Uint16(buf[16:18]))
		if reclen < nameOff || reclen > len(buf) {
			return
		}
		name := buf[nameOff:reclen]
		if i := bytes.IndexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		if pid, err := parseUint(name); err == nil && pid > 0 && pid <= 1<<31-1 {
			fn(int(pid))
		}
		buf = buf[reclen:]
	}
}

// nextField splits off the first space- or tab-separated field of b; field
// is nil when none is left.
func nextField(b []byte) (field, rest []byte) {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	j := i
	for j < len(b) && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' {
		j++
	}
	if i == j {
		return nil, nil
	}
	return b[i:j], b[j:]
}

// parseUint parses a decimal without allocating, unlike strconv on a
// []byte, whose error holds a copy of the input.
func parseUint(b []byte) (uint64, error) {
	if len(b) == 0 || len(b) > 20 {
		return 0, errMalformed
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, errMalformed
		}
		d := uint64(c - '0')
		if n > (1<<64-1-d)/10 {
			return 0, errMalformed
		}
		n = n*10 + d
	}
	return n, nil
}
