package metrics

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

type ifRow struct {
	name   string
	flags  uint32
	rx, tx uint64
}

// buildIfList2 lays out RTM_IFINFO2 messages as macOS returns them, each
// followed by an address message (RTM_NEWMADDR2) the walk must skip.
func buildIfList2(rows []ifRow) []byte {
	var buf []byte
	for i, r := range rows {
		m := make([]byte, (ifMsghdr2Size+sockaddrDLData+len(r.name)+6+3)&^3)
		binary.LittleEndian.PutUint16(m, uint16(len(m)))
		m[2], m[3] = 5, rtmIfInfo2
		binary.LittleEndian.PutUint32(m[ifMsghdr2Flags:], r.flags)
		binary.LittleEndian.PutUint16(m[12:], uint16(i+1))
		binary.LittleEndian.PutUint64(m[ifMsghdr2Ibytes:], r.rx)
		binary.LittleEndian.PutUint64(m[ifMsghdr2Obytes:], r.tx)
		sdl := m[ifMsghdr2Size:]
		sdl[0], sdl[1], sdl[sockaddrDLNLen], sdl[6] = byte(len(sdl)), 18, byte(len(r.name)), 6
		copy(sdl[sockaddrDLData:], r.name)
		buf = append(buf, m...)
		addr := make([]byte, 32)
		binary.LittleEndian.PutUint16(addr, uint16(len(addr)))
		addr[2], addr[3] = 5, 0x13 // RTM_NEWMADDR2
		buf = append(buf, addr...)
	}
	return buf
}

var ifFixture = []ifRow{
	{"lo0", 0x8049, 1 << 40, 1 << 40},
	{"en0", 0x8863, 5_000_000_000, 700_000_000},
	{"en5", 0x8863, 12345, 678},
	{"awdl0", 0x8943, 100, 200},
	{"utun3", 0x8051, 4_000_000_000, 600_000_000},
	{"bridge0", 0x8863, 99, 99},
}

func TestWalkIfList2Fixture(t *testing.T) {
	path := filepath.Join("testdata", "darwin-iflist2.bin")
	if *update {
		if err := os.WriteFile(path, buildIfList2(ifFixture), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var got []ifRow
	err := walkIfList2(readTestdata(t, "darwin-iflist2.bin"), func(name []byte, flags uint32, rx, tx uint64) {
		got = append(got, ifRow{string(name), flags, rx, tx})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, ifFixture) {
		t.Errorf("walk:\n got %+v\nwant %+v", got, ifFixture)
	}
}

func TestWalkIfList2RejectsBrokenBuffers(t *testing.T) {
	good := buildIfList2(ifFixture)
	tests := map[string]func([]byte) []byte{
		"truncated message":   func(b []byte) []byte { return b[:100] },
		"trailing bytes":      func(b []byte) []byte { return append(b, 1, 2) },
		"zero length":         func(b []byte) []byte { binary.LittleEndian.PutUint16(b, 0); return b },
		"length past the end": func(b []byte) []byte { binary.LittleEndian.PutUint16(b, 0xffff); return b },
		"name past its message": func(b []byte) []byte {
			b[ifMsghdr2Size+sockaddrDLNLen] = 200
			return b
		},
		"info message too short": func(b []byte) []byte {
			binary.LittleEndian.PutUint16(b, 40)
			return b[:40]
		},
	}
	for name, breakIt := range tests {
		if err := walkIfList2(breakIt(slices.Clone(good)), func([]byte, uint32, uint64, uint64) {}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestDarwinIfClass(t *testing.T) {
	for _, r := range ifFixture {
		want := map[string]ifClass{"lo0": ifSkip, "en0": ifPhysical, "en5": ifPhysical}[r.name]
		if want == ifSkip && r.name != "lo0" {
			want = ifVirtual
		}
		if got := darwinIfClass([]byte(r.name), r.flags); got != want {
			t.Errorf("darwinIfClass(%q) = %v, want %v", r.name, got, want)
		}
	}
	if got := darwinIfClass([]byte("enx"), 0); got != ifVirtual {
		t.Errorf(`"enx" = %v, want virtual`, got)
	}
	if got := darwinIfClass([]byte("en0"), darwinIFFLoopbck); got != ifSkip {
		t.Errorf("a loopback-flagged en0 = %v, want skipped", got)
	}
}
