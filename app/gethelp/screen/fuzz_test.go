package screen

import (
	"image"
	"testing"
)

// The X server and the Xauthority file are not ours: their bytes must
// never crash the app or make it allocate without bound.

func FuzzParseSetup(f *testing.F) {
	f.Add(readFixture(f, "xvfb97-setup.bin"))
	f.Add(readFixture(f, "xvfb98-setup.bin"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseSetup(b)
		if err == nil && len(s.screens) == 0 {
			t.Fatal("a setup without screens was accepted")
		}
	})
}

func FuzzParseXauth(f *testing.F) {
	f.Add(readFixture(f, "Xauthority"))
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, _ := parseXauth(b)
		if len(entries) > maxXauthEntries {
			t.Fatal("too many entries")
		}
		if cookie, ok := cookieFor(entries, "workstation", "0"); ok && len(cookie) != 16 {
			t.Fatalf("cookie of %d bytes", len(cookie))
		}
	})
}

func FuzzXinerama(f *testing.F) {
	f.Add(readFixture(f, "xvfb97-xinerama-queryscreens.bin"))
	f.Add(readFixture(f, "xvfb98-xinerama-queryscreens.bin"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rects, err := parseXineramaScreens(b)
		if err == nil && len(rects) > (len(b)-32)/8 {
			t.Fatalf("%d monitors from %d bytes", len(rects), len(b))
		}
	})
}

func FuzzGetImage(f *testing.F) {
	f.Add(readFixture(f, "xvfb98-getimage-8x4.bin"), uint8(8), uint8(4), uint8(32), false)
	f.Add(readFixture(f, "xvfb98-getimage-8x4.bin"), uint8(3), uint8(5), uint8(16), true)
	f.Fuzz(func(t *testing.T, reply []byte, w, h, bpp uint8, msb bool) {
		im, err := parseGetImage(reply)
		if err != nil {
			return
		}
		v := x11Visual{class: visualTrueColor, redMask: 0xf800, greenMask: 0x07e0, blueMask: 0x1f}
		img, err := toRGBA(im, int(w), int(h), x11Format{24, int(bpp), 32}, v, msb)
		if err == nil && img.Bounds() != image.Rect(0, 0, int(w), int(h)) {
			t.Fatalf("bounds %v for %d×%d", img.Bounds(), w, h)
		}
	})
}

func FuzzParseDisplay(f *testing.F) {
	for _, s := range []string{":0", ":1.2", "localhost:10.0", "tcp/host:1", "/tmp/launch/org.xquartz:0", "[::1]:0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDisplay(s)
		if err == nil && (d.network != "unix" && d.network != "tcp" || d.address == "") {
			t.Fatalf("%q gave %+v", s, d)
		}
	})
}
