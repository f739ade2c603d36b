package metrics

import (
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf16"
)

var update = flag.Bool("update", false, "rewrite the binary fixtures in testdata")

// spiBase is the address the fixture buffer pretends to have had.
const spiBase = 0x7ff6_0000_0000

type spiProc struct {
	pid                uint64
	create, user, kern uint64
	name               string
	threads            int // each adds a SYSTEM_THREAD_INFORMATION (80 bytes) before the name
}

// buildSPI lays processes out the way NtQuerySystemInformation does on
// 64-bit Windows: the fixed struct, its threads, then the image name, each
// entry 8-byte aligned and linked by NextEntryOffset.
func buildSPI(procs []spiProc) []byte {
	l := spiLayout64
	var buf []byte
	for i, p := range procs {
		name := utf16.Encode([]rune(p.name))
		e := make([]byte, (l.size+80*p.threads+2*len(name)+2+7)&^7)
		binary.LittleEndian.PutUint64(e[l.createTime:], p.create)
		binary.LittleEndian.PutUint64(e[l.userTime:], p.user)
		binary.LittleEndian.PutUint64(e[l.kernelTime:], p.kern)
		binary.LittleEndian.PutUint64(e[l.pid:], p.pid)
		if len(name) > 0 {
			nameOff := l.size + 80*p.threads
			binary.LittleEndian.PutUint16(e[l.nameLength:], uint16(2*len(name)))
			binary.LittleEndian.PutUint16(e[l.nameLength+2:], uint16(2*len(name)+2))
			binary.LittleEndian.PutUint64(e[l.nameBuffer:], spiBase+uint64(len(buf)+nameOff))
			for j, u := range name {
				binary.LittleEndian.PutUint16(e[nameOff+2*j:], u)
			}
		}
		if i < len(procs)-1 {
			binary.LittleEndian.PutUint32(e[l.next:], uint32(len(e)))
		}
		buf = append(buf, e...)
	}
	return buf
}

var spiFixture = []spiProc{
	{pid: 0, user: 0, kern: 9_000_000_000, threads: 2}, // System Idle Process: no name
	{pid: 4, create: 1, kern: 50_000_000, threads: 3},  // System: no name either
	{pid: 1234, create: 133_000_000_000_000_000, user: 2_000_000, kern: 500_000, name: "firefox.exe", threads: 1},
	{pid: 5678, create: 133_000_000_100_000_000, user: 10, name: "Ünïcode 𝄞.exe"},
}

func TestWalkProcessInfoFixture(t *testing.T) {
	path := filepath.Join("testdata", "windows-spi-amd64.bin")
	if *update {
		if err := os.WriteFile(path, buildSPI(spiFixture), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	buf := readTestdata(t, "windows-spi-amd64.bin")
	var got []spiProc
	err := walkProcessInfo(buf, spiBase, spiLayout64, func(e spiEntry) {
		got = append(got, spiProc{pid: uint64(e.pid), create: e.create, user: e.cpu, name: string(appendUTF16LE(nil, e.name))})
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []spiProc
	for _, p := range spiFixture {
		want = append(want, spiProc{pid: p.pid, create: p.create, user: p.user + p.kern, name: p.name})
	}
	if !slices.Equal(got, want) {
		t.Errorf("walk:\n got %+v\nwant %+v", got, want)
	}
}

func TestWalkProcessInfoRejectsBrokenBuffers(t *testing.T) {
	good := buildSPI(spiFixture)
	l := spiLayout64
	tests := []struct {
		name   string
		break_ func(b []byte) []byte
	}{
		{"truncated", func(b []byte) []byte { return b[:len(b)-300] }},
		{"shorter than one entry", func(b []byte) []byte { return b[:100] }},
		{"next offset inside the entry", func(b []byte) []byte { binary.LittleEndian.PutUint32(b[l.next:], 8); return b }},
		{"next offset past the end", func(b []byte) []byte { binary.LittleEndian.PutUint32(b[l.next:], 1<<30); return b }},
		{"name pointer before the buffer", func(b []byte) []byte {
			off := int(binary.LittleEndian.Uint32(b)) + int(binary.LittleEndian.Uint32(b[binary.LittleEndian.Uint32(b):]))
			binary.LittleEndian.PutUint64(b[off+l.nameBuffer:], 16)
			return b
		}},
		{"name longer than the buffer", func(b []byte) []byte {
			off := int(binary.LittleEndian.Uint32(b)) + int(binary.LittleEndian.Uint32(b[binary.LittleEndian.Uint32(b):]))
			binary.LittleEndian.PutUint16(b[off+l.nameLength:], 0xfffe)
			return b
		}},
	}
	for _, tt := range tests {
		b := tt.break_(slices.Clone(good))
		if err := walkProcessInfo(b, spiBase, l, func(spiEntry) {}); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

func TestAppendUTF16LE(t *testing.T) {
	for _, s := range []string{"", "a.exe", "Ünïcode 𝄞", "日本語.exe"} {
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = binary.LittleEndian.AppendUint16(b, u)
		}
		if got := string(appendUTF16LE([]byte("x:"), b)); got != "x:"+s {
			t.Errorf("appendUTF16LE(%q) = %q", s, got)
		}
	}
	// A lone surrogate and an odd trailing byte do not panic.
	if got := string(appendUTF16LE(nil, []byte{0x00, 0xd8, 'a'})); got != "\uFFFD" {
		t.Errorf("lone surrogate = %q", got)
	}
}

func TestWindowsIfClass(t *testing.T) {
	tests := []struct {
		ifType uint32
		flags  uint8
		want   ifClass
	}{
		{6, ifFlagHardware, ifPhysical},                  // Ethernet adapter
		{71, ifFlagHardware | 1<<2, ifPhysical},          // Wi-Fi, connector present
		{6, ifFlagHardware | ifFlagFilter, ifSkip},       // a WFP/QoS filter on it
		{6, ifFlagFilter, ifSkip},                        // a lightweight filter
		{ifTypeSoftwareLoopback, 0, ifSkip},              // Loopback Pseudo-Interface
		{53, 0, ifVirtual},                               // VPN (PROP_VIRTUAL)
		{131, 0, ifVirtual},                              // tunnel
		{ifTypeSoftwareLoopback, ifFlagHardware, ifSkip}, // never count a loopback
	}
	for _, tt := range tests {
		if got := windowsIfClass(tt.ifType, tt.flags); got != tt.want {
			t.Errorf("windowsIfClass(%d, %#x) = %v, want %v", tt.ifType, tt.flags, got, tt.want)
		}
	}
}
