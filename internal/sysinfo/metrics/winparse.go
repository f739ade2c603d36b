package metrics

import (
	"encoding/binary"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// Parsing for the Windows source, kept free of Windows imports so that the
// Linux build tests it with sample buffers.

// spiLayout gives the offsets of the SYSTEM_PROCESS_INFORMATION fields the
// walk needs. The Windows source fills it from the real struct with
// unsafe.Offsetof, so the walk is right on every architecture; tests use
// the 64-bit layout.
type spiLayout struct {
	next, createTime, userTime, kernelTime int
	nameLength, nameBuffer, pid            int
	ptrSize                                int
	size                                   int // the struct's size: the name follows it
}

// spiLayout64 is the layout on windows/amd64 and windows/arm64.
var spiLayout64 = spiLayout{
	next: 0, createTime: 32, userTime: 40, kernelTime: 48,
	nameLength: 56, nameBuffer: 64, pid: 80, ptrSize: 8, size: 256,
}

// spiEntry is one process in a SystemProcessInformation buffer.
type spiEntry struct {
	pid    int
	create uint64
	cpu    uint64 // user + kernel time in 100 ns units
	name   []byte // UTF-16LE, a view into the buffer
}

// walkProcessInfo calls fn for every process in a buffer filled by
// NtQuerySystemInformation(SystemProcessInformation). base is the address
// the buffer had when the kernel filled it: the image name is a pointer
// into the buffer, turned back into an offset here, and refused when it
// points anywhere else.
func walkProcessInfo(buf []byte, base uint64, l spiLayout, fn func(spiEntry)) error {
	off := 0
	for {
		if off < 0 || off+l.size > len(buf) {
			return fmt.Errorf("process information entry at %d overruns the %d-byte buffer: %w", off, len(buf), errMalformed)
		}
		e := buf[off:]
		ent := spiEntry{
			pid:    int(readPtr(e[l.pid:], l.ptrSize)),
			create: binary.LittleEndian.Uint64(e[l.createTime:]),
			cpu:    binary.LittleEndian.Uint64(e[l.userTime:]) + binary.LittleEndian.Uint64(e[l.kernelTime:]),
		}
		if n := int(binary.LittleEndian.Uint16(e[l.nameLength:])); n > 0 {
			p := readPtr(e[l.nameBuffer:], l.ptrSize)
			if p < base || p-base > uint64(len(buf)) || int(p-base)+n > len(buf) {
				return fmt.Errorf("process %d: image name outside the buffer: %w", ent.pid, errMalformed)
			}
			start := int(p - base)
			ent.name = buf[start : start+n&^1]
		}
		fn(ent)
		next := int(binary.LittleEndian.Uint32(e[l.next:]))
		if next == 0 {
			return nil
		}
		if next < l.size {
			return fmt.Errorf("process information entry at %d: next offset %d: %w", off, next, errMalformed)
		}
		off += next
	}
}

func readPtr(b []byte, size int) uint64 {
	if size == 4 {
		return uint64(binary.LittleEndian.Uint32(b))
	}
	return binary.LittleEndian.Uint64(b)
}

// appendUTF16LE appends the UTF-8 form of a little-endian UTF-16 string.
func appendUTF16LE(dst, src []byte) []byte {
	for i := 0; i+1 < len(src); i += 2 {
		r := rune(binary.LittleEndian.Uint16(src[i:]))
		if utf16.IsSurrogate(r) && i+3 < len(src) {
			r2 := rune(binary.LittleEndian.Uint16(src[i+2:]))
			if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
				r = d
				i += 2
			}
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// MIB_IF_ROW2 values the Windows source classifies interfaces by.
const (
	ifTypeSoftwareLoopback = 24
	ifFlagHardware         = 1 << 0 // InterfaceAndOperStatusFlags.HardwareInterface
	ifFlagFilter           = 1 << 1 // InterfaceAndOperStatusFlags.FilterInterface
)

// windowsIfClass classifies a row of GetIfTable2. Windows lists each
// network adapter several times: the adapter itself and the filter drivers
// stacked on it (WFP, QoS, "Npcap"), each with the adapter's byte counts.
// Counting only hardware interfaces that are not filters counts each byte
// once.
func windowsIfClass(ifType uint32, flags uint8) ifClass {
	switch {
	case ifType == ifTypeSoftwareLoopback || flags&ifFlagFilter != 0:
		return ifSkip
	case flags&ifFlagHardware != 0:
		return ifPhysical
	}
	return ifVirtual
}
