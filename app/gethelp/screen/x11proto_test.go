package screen

import (
	"bytes"
	"errors"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestParseSetupFromXvfb reads what a real Xvfb (-screen 0 800x600x24,
// -screen 1 640x480x24, +xinerama) said at connection time. Xvfb stacks
// its XINERAMA screens at the origin of the first one's root window.
func TestParseSetupFromXvfb(t *testing.T) {
	s, err := parseSetup(readFixture(t, "xvfb97-setup.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if s.imageMSBFirst {
		t.Error("Xvfb on x86 sends images LSB first")
	}
	if len(s.screens) != 1 {
		t.Fatalf("with XINERAMA the server shows one screen, got %d", len(s.screens))
	}
	scr := s.screens[0]
	if scr.width != 800 || scr.height != 600 {
		t.Errorf("root is %d×%d, want 800×600", scr.width, scr.height)
	}
	f, ok := s.format(24)
	if !ok || f.bitsPerPixel != 32 || f.scanlinePad != 32 {
		t.Errorf("depth 24 format: %+v %v", f, ok)
	}
	v, ok := scr.visuals[scr.rootVisual]
	if !ok || v.class != visualTrueColor || v.redMask != 0xff0000 || v.greenMask != 0xff00 || v.blueMask != 0xff {
		t.Errorf("root visual: %+v %v", v, ok)
	}
}

func TestParseSetupRefusals(t *testing.T) {
	good := readFixture(t, "xvfb98-setup.bin")
	refused := append([]byte{0, 18, 11, 0, 0, 0, 5, 0}, []byte("No protocol auth\x00\x00\x00\x00")...)
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"header only", good[:8], "truncated"},
		{"cut in the formats", good[:48], "truncated"},
		{"cut in the screens", good[:len(good)/2], "truncated"},
		{"refused with a reason", refused, "refused the connection: No protocol auth"},
		{"wants more authentication", []byte{2, 0, 0, 0, 0, 0, 0, 0}, "another kind of authorisation"},
		{"unknown status", []byte{7, 0, 0, 0, 0, 0, 0, 0}, "unknown status 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseSetup(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

func TestXineramaScreensFromXvfb(t *testing.T) {
	major, ok, err := parseQueryExtension(readFixture(t, "xvfb97-queryextension-xinerama.bin"))
	if err != nil || !ok || major < 128 {
		t.Fatalf("XINERAMA: major %d present %v err %v", major, ok, err)
	}
	active, err := parseXineramaActive(readFixture(t, "xvfb97-xinerama-isactive.bin"))
	if err != nil || !active {
		t.Fatalf("IsActive: %v %v", active, err)
	}
	rects, err := parseXineramaScreens(readFixture(t, "xvfb97-xinerama-queryscreens.bin"))
	if err != nil {
		t.Fatal(err)
	}
	// The second screen (640×480 at the origin) shows part of the first:
	// one picture is enough.
	if len(rects) != 1 || rects[0] != image.Rect(0, 0, 800, 600) {
		t.Errorf("monitors %v, want the 800×600 one only", rects)
	}
}

func TestXineramaScreensSkipsMirrorsAndEmpty(t *testing.T) {
	reply := make([]byte, 32+8*4)
	reply[0] = 1
	le.PutUint32(reply[8:], 4)
	put := func(i int, x, y int16, w, h uint16) {
		o := 32 + 8*i
		le.PutUint16(reply[o:], uint16(x))
		le.PutUint16(reply[o+2:], uint16(y))
		le.PutUint16(reply[o+4:], w)
		le.PutUint16(reply[o+6:], h)
	}
	put(0, -1920, 0, 1920, 1080) // left of the primary
	put(1, -1920, 0, 1920, 1080) // a mirror of it
	put(2, 0, 0, 0, 1080)        // switched off
	put(3, 0, 0, 2560, 1440)     // right of it
	rects, err := parseXineramaScreens(reply)
	if err != nil {
		t.Fatal(err)
	}
	want := []image.Rectangle{image.Rect(-1920, 0, 0, 1080), image.Rect(0, 0, 2560, 1440)}
	if len(rects) != 2 || rects[0] != want[0] || rects[1] != want[1] {
		t.Errorf("got %v, want %v", rects, want)
	}
	le.PutUint32(reply[8:], 5) // claims more than it carries
	if _, err := parseXineramaScreens(reply); err == nil {
		t.Error("a short list was accepted")
	}
}

// TestGetImageFromXvfb converts the pixels Xvfb sent for an 8×4 area of
// its (black) root window.
func TestGetImageFromXvfb(t *testing.T) {
	s, err := parseSetup(readFixture(t, "xvfb98-setup.bin"))
	if err != nil {
		t.Fatal(err)
	}
	im, err := parseGetImage(readFixture(t, "xvfb98-getimage-8x4.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if im.depth != 24 {
		t.Fatalf("depth %d", im.depth)
	}
	f, _ := s.format(im.depth)
	v := s.screens[0].visuals[im.visual]
	img, err := toRGBA(im, 8, 4, f, v, s.imageMSBFirst)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds() != image.Rect(0, 0, 8, 4) {
		t.Errorf("bounds %v", img.Bounds())
	}
	for i := 3; i < len(img.Pix); i += 4 {
		if img.Pix[i] != 0xff {
			t.Fatalf("pixel %d is not opaque", i/4)
		}
	}
}

func TestToRGBALayouts(t *testing.T) {
	trueColor := x11Visual{class: visualTrueColor, redMask: 0xff0000, greenMask: 0xff00, blueMask: 0xff}
	rgb565 := x11Visual{class: visualTrueColor, redMask: 0xf800, greenMask: 0x07e0, blueMask: 0x001f}
	tests := []struct {
		name     string
		data     []byte
		w        int
		f        x11Format
		v        x11Visual
		msbFirst bool
		want     []byte // RGBA of the pixels
	}{
		{"32 bpp LSB first", []byte{0x30, 0x20, 0x10, 0, 0xff, 0xff, 0xff, 0}, 2,
			x11Format{24, 32, 32}, trueColor, false, []byte{0x10, 0x20, 0x30, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{"32 bpp MSB first", []byte{0, 0x10, 0x20, 0x30}, 1,
			x11Format{24, 32, 32}, trueColor, true, []byte{0x10, 0x20, 0x30, 0xff}},
		{"24 bpp packed, row padded to 32 bits", []byte{0x03, 0x02, 0x01, 0x06, 0x05, 0x04, 0, 0}, 2,
			x11Format{24, 24, 32}, trueColor, false, []byte{1, 2, 3, 0xff, 4, 5, 6, 0xff}},
		{"16 bpp 565, full white and pure red", []byte{0xff, 0xff, 0x00, 0xf8}, 2,
			x11Format{16, 16, 32}, rgb565, false, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0xff}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := toRGBA(x11Image{data: tt.data}, tt.w, 1, tt.f, tt.v, tt.msbFirst)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(img.Pix, tt.want) {
				t.Errorf("got % x, want % x", img.Pix, tt.want)
			}
		})
	}
}

func TestToRGBARefuses(t *testing.T) {
	tc := x11Visual{class: visualTrueColor, redMask: 0xff0000, greenMask: 0xff00, blueMask: 0xff}
	tests := []struct {
		name string
		im   x11Image
		w, h int
		f    x11Format
		v    x11Visual
	}{
		{"palette screen", x11Image{data: make([]byte, 4)}, 1, 1, x11Format{8, 8, 32}, x11Visual{class: 3}},
		{"8 bits per pixel", x11Image{data: make([]byte, 4)}, 1, 1, x11Format{8, 8, 32}, tc},
		{"too few bytes", x11Image{data: make([]byte, 7)}, 2, 1, x11Format{24, 32, 32}, tc},
		{"absurd size", x11Image{}, 1 << 15, 1 << 15, x11Format{24, 32, 32}, tc},
		{"bad pad", x11Image{data: make([]byte, 4)}, 1, 1, x11Format{24, 32, 7}, tc},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := toRGBA(tt.im, tt.w, tt.h, tt.f, tt.v, false); err == nil {
				t.Error("accepted")
			}
		})
	}
}

func TestRequests(t *testing.T) {
	if got := setupRequest("MIT-MAGIC-COOKIE-1", make([]byte, 16)); len(got) != 12+20+16 || got[0] != 'l' || le.Uint16(got[2:]) != 11 || le.Uint16(got[6:]) != 18 {
		t.Errorf("setup request % x", got)
	}
	q := queryExtensionRequest("XINERAMA")
	if q[0] != opQueryExtension || int(le.Uint16(q[2:]))*4 != len(q) || string(q[8:16]) != "XINERAMA" {
		t.Errorf("QueryExtension % x", q)
	}
	g := getImageRequest(0x1234, image.Rect(-100, 5, 1820, 1085))
	if g[0] != opGetImage || g[1] != zPixmap || le.Uint32(g[4:]) != 0x1234 || int16(le.Uint16(g[8:])) != -100 ||
		le.Uint16(g[12:]) != 1920 || le.Uint16(g[14:]) != 1080 {
		t.Errorf("GetImage % x", g)
	}
}

func TestParseDisplay(t *testing.T) {
	tests := []struct {
		in                     string
		network, address, host string
		number                 string
		screen                 int
	}{
		{":0", "unix", "/tmp/.X11-unix/X0", "", "0", 0},
		{":1.2", "unix", "/tmp/.X11-unix/X1", "", "1", 2},
		{"unix:98", "unix", "/tmp/.X11-unix/X98", "", "98", 0},
		{"localhost:10.0", "tcp", "localhost:6010", "localhost", "10", 0},
		{"tcp/example.com:1", "tcp", "example.com:6001", "example.com", "1", 0},
		{"[::1]:0", "tcp", "[::1]:6000", "::1", "0", 0},
		{"/private/tmp/com.apple.launchd.x/org.xquartz:0", "unix", "/private/tmp/com.apple.launchd.x/org.xquartz:0", "", "0", 0},
	}
	for _, tt := range tests {
		d, err := parseDisplay(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if d.network != tt.network || d.address != tt.address || d.host != tt.host || d.number != tt.number || d.screen != tt.screen {
			t.Errorf("%q: got %+v", tt.in, d)
		}
	}
	for _, bad := range []string{"", "0", ":", ":x", ":0.x", ":-1", "udp/host:0", "host:99999"} {
		if _, err := parseDisplay(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestXauthority(t *testing.T) {
	entries, err := parseXauth(readFixture(t, "Xauthority"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Fatalf("%d entries", len(entries))
	}
	tests := []struct {
		host, number string
		want         byte // first byte of the cookie; 0 for none
	}{
		{"workstation", "0", 0x00},
		{"workstation", "10", 0xff},
		{"workstation", "3", 0},
		{"laptop", "0", 0},
	}
	for _, tt := range tests {
		cookie, ok := cookieFor(entries, tt.host, tt.number)
		switch {
		case tt.want == 0 && tt.number == "0" && tt.host == "workstation":
			if !ok || cookie[0] != 0x00 || cookie[15] != 0xff {
				t.Errorf("%s:%s: %x %v", tt.host, tt.number, cookie, ok)
			}
		case tt.want == 0:
			if ok {
				t.Errorf("%s:%s: found %x", tt.host, tt.number, cookie)
			}
		default:
			if !ok || cookie[0] != tt.want {
				t.Errorf("%s:%s: %x %v", tt.host, tt.number, cookie, ok)
			}
		}
	}
	// A file cut short keeps the entries before the cut.
	cut := readFixture(t, "Xauthority")
	entries, err = parseXauth(cut[:len(cut)-5])
	if !errors.Is(err, errShort) || len(entries) != 2 {
		t.Errorf("cut file: %d entries, %v", len(entries), err)
	}
}

// TestFastPathMatchesTheGeneralOne: the shortcut for the usual layout
// must give the very pixels the general conversion gives.
func TestFastPathMatchesTheGeneralOne(t *testing.T) {
	const w, h, stride = 13, 7, 13 * 4
	data := make([]byte, stride*h)
	for i := range data {
		data[i] = byte(i*131 + 7)
	}
	v := x11Visual{class: visualTrueColor, redMask: 0xff0000, greenMask: 0xff00, blueMask: 0xff}
	fast, err := toRGBA(x11Image{data: data}, w, h, x11Format{24, 32, 32}, v, false)
	if err != nil {
		t.Fatal(err)
	}
	general := image.NewRGBA(image.Rect(0, 0, w, h))
	convert(general, data, stride, 4, v, false)
	if !bytes.Equal(fast.Pix, general.Pix) {
		t.Error("the fast path differs from the general one")
	}
}
