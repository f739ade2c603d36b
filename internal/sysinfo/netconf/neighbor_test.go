package netconf

import (
	"net/netip"
	"testing"
)

func TestParseNeighborTables(t *testing.T) {
	procARP := "IP address       HW type     Flags       HW address            Mask     Device\n" +
		"192.168.1.1      0x1         0x2         a4:b1:c1:11:22:33     *        wlan0\n" +
		"192.168.1.7      0x1         0x0         00:00:00:00:00:00     *        wlan0\n" +
		"192.168.1.8      0x1         0x6         00:00:00:00:00:00     *        wlan0\n" +
		"192.168.1.9      0x1         0x6         ff:ff:ff:ff:ff:ff     *        wlan0\n" +
		"10.0.0.1         0x1         zz          a4:b1:c1:11:22:34     *        eth0\n"
	arpN := "? (192.168.1.1) at a4:b1:c1:11:22:33 on en0 ifscope [ethernet]\n" +
		"? (192.168.1.7) at (incomplete) on en0 ifscope [ethernet]\n"
	arpA := "\nInterface: 192.168.1.23 --- 0xc\n  Internet Address      Physical Address      Type\n" +
		"  192.168.1.1           a4-b1-c1-11-22-33     dynamic\n" +
		"  192.168.1.7           00-00-00-00-00-00     invalid\n" +
		"  192.168.1.255         ff-ff-ff-ff-ff-ff     static\n"
	parsers := map[string]struct {
		parse func([]byte, netip.Addr) string
		data  string
		hw    string
	}{
		"proc/net/arp": {parseProcARP, procARP, "a4:b1:c1:11:22:33"},
		"arp -n":       {parseArpN, arpN, "a4:b1:c1:11:22:33"},
		"arp -a":       {parseArpA, arpA, "a4-b1-c1-11-22-33"},
	}
	for name, p := range parsers {
		t.Run(name, func(t *testing.T) {
			cases := map[string]string{
				"192.168.1.1":   p.hw,
				"192.168.1.7":   "", // incomplete
				"192.168.1.8":   "", // flagged complete, but no address
				"192.168.1.9":   "",
				"192.168.1.255": "",
				"10.0.0.1":      "", // unreadable flags
				"192.168.1.2":   "", // absent
			}
			for addr, want := range cases {
				if got := p.parse([]byte(p.data), netip.MustParseAddr(addr)); got != want {
					t.Errorf("%s: got %q, want %q", addr, got, want)
				}
			}
		})
	}
}
