package metrics

import (
	"bytes"
	"testing"
)

// FuzzProcParsers feeds arbitrary text to every /proc parser: none may
// panic, and whatever they accept must be self-consistent.
func FuzzProcParsers(f *testing.F) {
	for _, p := range []string{"proc/stat", "proc/meminfo", "proc/diskstats", "proc/net/dev", "proc/1/stat", "proc/42/stat"} {
		f.Add(readTestdata(f, p))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if busy, total, err := parseProcStat(b); err == nil && busy > total {
			t.Errorf("parseProcStat: busy %d > total %d", busy, total)
		}
		if total, used, err := parseMeminfo(b); err == nil && (used > total || total == 0) {
			t.Errorf("parseMeminfo: used %d, total %d", used, total)
		}
		all := func([]byte) bool { return true }
		if r, w, _, err := parseDiskstats(b, all); err == nil && (r%512 != 0 || w%512 != 0) {
			t.Errorf("parseDiskstats: %d, %d are not whole sectors", r, w)
		}
		parseNetDev(b, func(n []byte) ifClass { return ifClass(len(n) % 3) })
		if comm, _, _, err := parsePidStat(b); err == nil && !bytes.Contains(b, comm) {
			t.Errorf("parsePidStat: name %q not in the input", comm)
		}
		parseDirents(b, func(pid int) {
			if pid <= 0 {
				t.Errorf("parseDirents: pid %d", pid)
			}
		})
	})
}

// FuzzWalkProcessInfo: a corrupt SystemProcessInformation buffer must be
// refused or walked, never read out of bounds.
func FuzzWalkProcessInfo(f *testing.F) {
	f.Add(readTestdata(f, "windows-spi-amd64.bin"))
	f.Add(buildSPI(spiFixture[2:3]))
	f.Fuzz(func(t *testing.T, b []byte) {
		walkProcessInfo(b, spiBase, spiLayout64, func(e spiEntry) {
			appendUTF16LE(nil, e.name)
		})
	})
}

// FuzzWalkIfList2: the same for the macOS interface list.
func FuzzWalkIfList2(f *testing.F) {
	f.Add(readTestdata(f, "darwin-iflist2.bin"))
	f.Add(buildIfList2(ifFixture[:1]))
	f.Fuzz(func(t *testing.T, b []byte) {
		walkIfList2(b, func(name []byte, flags uint32, rx, tx uint64) {
			darwinIfClass(name, flags)
		})
	})
}
