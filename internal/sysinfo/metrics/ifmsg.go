package metrics

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Parsing for the macOS source, kept free of Darwin imports so that the
// Linux build tests it with sample buffers.

// Layout of the routing socket messages macOS returns for the sysctl
// {CTL_NET, PF_ROUTE, 0, 0, NET_RT_IFLIST2, 0}: the same on amd64 and
// arm64 (struct if_msghdr2 with its struct if_data64, then the interface's
// struct sockaddr_dl).
const (
	rtmIfInfo2       = 0x12 // RTM_IFINFO2
	ifMsghdr2Size    = 160
	ifMsghdr2Flags   = 8
	ifMsghdr2Ibytes  = 32 + 64
	ifMsghdr2Obytes  = 32 + 72
	sockaddrDLNLen   = 5
	sockaddrDLData   = 8
	darwinIFFLoopbck = 0x8 // IFF_LOOPBACK
)

// walkIfList2 calls fn for every interface in a NET_RT_IFLIST2 buffer with
// its name, interface flags and 64-bit byte counters. Other message types
// in the buffer (the interface's addresses) are skipped.
func walkIfList2(buf []byte, fn func(name []byte, flags uint32, rx, tx uint64)) error {
	for len(buf) > 0 {
		if len(buf) < 4 {
			return fmt.Errorf("interface list: %d trailing bytes: %w", len(buf), errMalformed)
		}
		msglen := int(binary.LittleEndian.Uint16(buf))
		if msglen < 4 || msglen > len(buf) {
			return fmt.Errorf("interface list: message length %d of %d bytes left: %w", msglen, len(buf), errMalformed)
		}
		msg := buf[:msglen]
		buf = buf[msglen:]
		if msg[3] != rtmIfInfo2 {
			continue
		}
		if msglen < ifMsghdr2Size+sockaddrDLData {
			return fmt.Errorf("interface list: RTM_IFINFO2 message of %d bytes: %w", msglen, errMalformed)
		}
		sdl := msg[ifMsghdr2Size:]
		nlen := int(sdl[sockaddrDLNLen])
		if sockaddrDLData+nlen > len(sdl) {
			return fmt.Errorf("interface list: name of %d bytes overruns its message: %w", nlen, errMalformed)
		}
		fn(sdl[sockaddrDLData:sockaddrDLData+nlen],
			binary.LittleEndian.Uint32(msg[ifMsghdr2Flags:]),
			binary.LittleEndian.Uint64(msg[ifMsghdr2Ibytes:]),
			binary.LittleEndian.Uint64(msg[ifMsghdr2Obytes:]))
	}
	return nil
}

// darwinIfClass classifies a macOS interface. Ethernet, Wi-Fi, Thunderbolt
// and USB tethering are all en<N>; everything else (utun VPNs, bridge0
// over the Thunderbolt ports, awdl0 AirDrop, llw0, anpi, ap, gif, stf) is
// virtual or carries traffic an en<N> also counts.
func darwinIfClass(name []byte, flags uint32) ifClass {
	switch {
	case flags&darwinIFFLoopbck != 0:
		return ifSkip
	case len(name) > 2 && bytes.HasPrefix(name, []byte("en")) && name[2] >= '0' && name[2] <= '9':
		return ifPhysical
	}
	return ifVirtual
}
