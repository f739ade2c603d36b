package netconf

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"
)

// Route flags from linux/route.h, shared by /proc/net/route and
// /proc/net/ipv6_route.
const (
	rtfUp      = 0x0001
	rtfGateway = 0x0002
	rtfReject  = 0x0200
)

// parseProcRoute returns the default routes of /proc/net/route:
//
//	Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask	...
//	eth0	00000000	0101A8C0	0003	0	0	100	00000000	...
//
// The kernel prints each address as the 32-bit word it holds in network
// byte order, formatted as a host-order number: 0101A8C0 is 192.168.1.1 on
// a little-endian machine. Decoding with the native byte order undoes that
// on any machine.
func parseProcRoute(data []byte) []route {
	var out []route
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 8 || f[0] == "Iface" {
			continue
		}
		dst, ok1 := hexWord(f[1])
		gw, ok2 := hexWord(f[2])
		flags, err1 := strconv.ParseUint(f[3], 16, 32)
		metric, err2 := strconv.ParseInt(f[6], 10, 64)
		mask, ok3 := hexWord(f[7])
		if !ok1 || !ok2 || !ok3 || err1 != nil || err2 != nil {
			continue
		}
		if dst != 0 || mask != 0 || flags&(rtfUp|rtfGateway) != rtfUp|rtfGateway || flags&rtfReject != 0 || gw == 0 {
			continue
		}
		var b [4]byte
		binary.NativeEndian.PutUint32(b[:], gw)
		out = append(out, route{
			gw:     Gateway{Address: gatewayAddr(netip.AddrFrom4(b), f[0]), Interface: f[0]},
			metric: metric,
		})
	}
	return out
}

func hexWord(s string) (uint32, bool) {
	if len(s) != 8 {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	return uint32(v), err == nil
}

// parseProcIPv6Route returns the default routes of /proc/net/ipv6_route:
//
//	dest(32 hex) plen src(32 hex) plen next-hop(32 hex) metric refcnt use flags iface
//
// Here the addresses are printed byte by byte, in network order. The
// kernel keeps a default "unreachable" route on lo; it has no next hop and
// the reject flag, and is skipped.
func parseProcIPv6Route(data []byte) []route {
	var out []route
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 10 {
			continue
		}
		dst, ok1 := hexAddr16(f[0])
		nh, ok2 := hexAddr16(f[4])
		plen, err1 := strconv.ParseUint(f[1], 16, 8)
		metric, err2 := strconv.ParseUint(f[5], 16, 32)
		flags, err3 := strconv.ParseUint(f[8], 16, 32)
		if !ok1 || !ok2 || err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		if !dst.IsUnspecified() || plen != 0 || nh.IsUnspecified() || flags&rtfUp == 0 || flags&rtfReject != 0 {
			continue
		}
		out = append(out, route{
			gw:     Gateway{Address: gatewayAddr(nh, f[9]), Interface: f[9]},
			metric: int64(metric),
			v6:     true,
		})
	}
	return out
}

func hexAddr16(s string) (netip.Addr, bool) {
	if len(s) != 32 {
		return netip.Addr{}, false
	}
	var b [16]byte
	if _, err := hex.Decode(b[:], []byte(s)); err != nil {
		return netip.Addr{}, false
	}
	return netip.AddrFrom16(b), true
}
