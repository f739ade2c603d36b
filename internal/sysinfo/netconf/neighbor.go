package netconf

import (
	"bufio"
	"bytes"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// ATF_COM from linux/if_arp.h: the entry's hardware address is known.
const atfComplete = 0x2

// parseProcARP finds addr in /proc/net/arp and returns its hardware address
// if the entry is complete:
//
//	IP address       HW type     Flags       HW address            Mask     Device
//	192.168.1.1      0x1         0x2         a4:b1:c1:11:22:33     *        wlan0
//	192.168.1.7      0x1         0x0         00:00:00:00:00:00     *        wlan0
func parseProcARP(data []byte, addr netip.Addr) string {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 {
			continue
		}
		a, err := netip.ParseAddr(f[0])
		if err != nil || a != addr.WithZone("") {
			continue
		}
		flags, err := strconv.ParseUint(strings.TrimPrefix(f[2], "0x"), 16, 32)
		if err == nil && flags&atfComplete != 0 && usableMAC(f[3]) {
			return f[3]
		}
	}
	return ""
}

// parseArpN reads macOS's `arp -n ADDR`:
//
//	? (192.168.1.1) at a4:b1:c1:11:22:33 on en0 ifscope [ethernet]
//	? (192.168.1.9) at (incomplete) on en0 ifscope [ethernet]
//	192.168.1.7 (192.168.1.7) -- no entry
func parseArpN(out []byte, addr netip.Addr) string {
	want := "(" + addr.WithZone("").String() + ")"
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		for i := 0; i+2 < len(f); i++ {
			if f[i] == want && f[i+1] == "at" && usableMAC(f[i+2]) {
				return f[i+2]
			}
		}
	}
	return ""
}

// parseArpA reads Windows' `arp -a ADDR`; the column titles are translated
// but the rows are not:
//
//	Interface: 192.168.1.23 --- 0xc
//	  Internet Address      Physical Address      Type
//	  192.168.1.1           a4-b1-c1-11-22-33     dynamic
func parseArpA(out []byte, addr netip.Addr) string {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		if a, err := netip.ParseAddr(f[0]); err == nil && a == addr.WithZone("") && usableMAC(f[1]) {
			return f[1]
		}
	}
	return ""
}

// usableMAC says whether s is a hardware address other than all zeros (what
// an incomplete entry shows) or broadcast.
func usableMAC(s string) bool {
	hw, err := net.ParseMAC(s)
	if err != nil {
		return false
	}
	zero, bcast := true, true
	for _, b := range hw {
		zero = zero && b == 0
		bcast = bcast && b == 0xff
	}
	return !zero && !bcast
}
