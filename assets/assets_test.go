package assets

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Sizes packed into the ICO files; keep in sync with generate.sh.
var (
	wantAppICOSizes  = []int{16, 24, 32, 48, 64, 256}
	wantTrayICOSizes = []int{16, 24, 32, 48}
)

// decodePNG decodes b as a PNG and checks that it is px x px and that enough
// of it is opaque to be a solid mark (minOpaque is a fraction of the area).
func decodePNG(t *testing.T, name string, b []byte, px int, minOpaque float64) image.Image {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("%s: no PNG signature", name)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: decode: %v", name, err)
	}
	if got := img.Bounds(); got.Dx() != px || got.Dy() != px {
		t.Fatalf("%s: size %dx%d, want %dx%d", name, got.Dx(), got.Dy(), px, px)
	}
	opaque := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a >= 0x8000 {
				opaque++
			}
		}
	}
	if opaque == 0 {
		t.Fatalf("%s: fully transparent", name)
	}
	if f := float64(opaque) / float64(px*px); f < minOpaque {
		t.Errorf("%s: only %.0f%% of pixels opaque, want at least %.0f%%", name, 100*f, 100*minOpaque)
	}
	return img
}

// meanColour is the average 8-bit colour of img's mostly opaque pixels.
func meanColour(img image.Image) (r, g, b float64) {
	n := 0.0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			cr, cg, cb, a := img.At(x, y).RGBA()
			if a < 0xf000 {
				continue
			}
			r += float64(cr >> 8)
			g += float64(cg >> 8)
			b += float64(cb >> 8)
			n++
		}
	}
	return r / n, g / n, b / n
}

// hasBadgeColour reports whether img has opaque orange-red pixels.
func hasBadgeColour(img image.Image) bool {
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, a := img.At(x, y).RGBA()
			if a >= 0xf000 && r>>8 > 200 && g>>8 < 120 && b>>8 < 80 {
				return true
			}
		}
	}
	return false
}

func TestTrayVariantString(t *testing.T) {
	for v, want := range map[TrayVariant]string{
		TrayNormal:       "normal",
		TrayAttention:    "attention",
		TrayOffline:      "offline",
		TrayVariant(-1):  "TrayVariant(-1)",
		TrayVariant(100): "TrayVariant(100)",
	} {
		if got := v.String(); got != want {
			t.Errorf("TrayVariant(%d).String() = %q, want %q", int(v), got, want)
		}
	}
	if got := TrayVariants(); !slices.Equal(got, []TrayVariant{TrayNormal, TrayAttention, TrayOffline}) {
		t.Errorf("TrayVariants() = %v", got)
	}
}

func TestTrayPNGSizes(t *testing.T) {
	for _, v := range TrayVariants() {
		for _, px := range TraySizes() {
			name := fmt.Sprintf("tray %s %d px", v, px)
			b, err := TrayPNGSize(v, px)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			img := decodePNG(t, name, b, px, 0.4)
			r, g, bl := meanColour(img)
			switch v {
			case TrayNormal:
				if bl < r+80 || bl < g+40 {
					t.Errorf("%s: mean colour %.0f,%.0f,%.0f is not blue", name, r, g, bl)
				}
			case TrayOffline:
				if max(r, g, bl)-min(r, g, bl) > 40 {
					t.Errorf("%s: mean colour %.0f,%.0f,%.0f is not grey", name, r, g, bl)
				}
			case TrayAttention:
				if !hasBadgeColour(img) {
					t.Errorf("%s: no orange-red badge pixels", name)
				}
			}
			if v != TrayAttention && hasBadgeColour(img) {
				t.Errorf("%s: has orange-red badge pixels", name)
			}
		}
	}
}

func TestTrayVariantsDiffer(t *testing.T) {
	for _, px := range TraySizes() {
		seen := map[string]TrayVariant{}
		for _, v := range TrayVariants() {
			b, _ := TrayPNGSize(v, px)
			if w, ok := seen[string(b)]; ok {
				t.Errorf("%d px: %s and %s are the same file", px, w, v)
			}
			seen[string(b)] = v
		}
	}
}

func TestTrayPNG(t *testing.T) {
	for _, v := range TrayVariants() {
		want, err := TrayPNGSize(v, 64)
		if err != nil {
			t.Fatal(err)
		}
		got := TrayPNG(v)
		if !bytes.Equal(got, want) {
			t.Errorf("TrayPNG(%s) is not the 64 px icon", v)
		}
		decodePNG(t, "TrayPNG("+v.String()+")", got, 64, 0.4)
	}
	if !bytes.Equal(TrayPNG(TrayVariant(42)), TrayPNG(TrayNormal)) {
		t.Error("TrayPNG(undeclared) is not the normal icon")
	}
}

func TestAppPNG(t *testing.T) {
	for _, px := range AppSizes() {
		b, err := AppPNGSize(px)
		if err != nil {
			t.Fatalf("app %d px: %v", px, err)
		}
		decodePNG(t, fmt.Sprintf("app %d px", px), b, px, 0.9)
	}
	decodePNG(t, "AppPNG()", AppPNG(), 512, 0.9)

	// FyneApp.toml points at assets/Icon.png, which generate.sh copies from
	// the 512 px PNG.
	icon, err := os.ReadFile("Icon.png")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(icon, AppPNG()) {
		t.Error("Icon.png differs from png/app-512.png; run generate.sh")
	}
}

func TestUnknownSize(t *testing.T) {
	for _, px := range []int{-16, 0, 1, 15, 17, 20, 128, 1024} {
		if _, err := TrayPNGSize(TrayNormal, px); err == nil {
			t.Errorf("TrayPNGSize(normal, %d): no error", px)
		} else if se := (*SizeError)(nil); !errors.As(err, &se) || se.Px != px {
			t.Errorf("TrayPNGSize(normal, %d): error %v is not a *SizeError for %d px", px, err, px)
		}
	}
	for _, v := range []TrayVariant{-1, 3, 100} {
		if _, err := TrayPNGSize(v, 16); err == nil {
			t.Errorf("TrayPNGSize(%s, 16): no error", v)
		}
	}
	for _, px := range []int{-1, 0, 15, 22, 100, 2048} {
		if b, err := AppPNGSize(px); err == nil || b != nil {
			t.Errorf("AppPNGSize(%d) = %d bytes, %v; want nil, error", px, len(b), err)
		} else if !strings.Contains(err.Error(), strconv.Itoa(px)) {
			t.Errorf("AppPNGSize(%d): error %q does not name the size", px, err)
		}
	}
}

// TestFreshCopies checks that callers cannot change what others get.
func TestFreshCopies(t *testing.T) {
	getters := map[string]func() []byte{
		"AppPNG":  AppPNG,
		"AppICO":  AppICO,
		"TrayICO": TrayICO,
		"TrayPNG": func() []byte { return TrayPNG(TrayAttention) },
		"TrayPNGSize": func() []byte {
			b, _ := TrayPNGSize(TrayOffline, 16)
			return b
		},
		"AppPNGSize": func() []byte {
			b, _ := AppPNGSize(16)
			return b
		},
		"TrayICOVariant": func() []byte { return TrayICOVariant(TrayOffline) },
	}
	for name, get := range getters {
		a := get()
		orig := bytes.Clone(a)
		for i := range a {
			a[i] = 0
		}
		if b := get(); !bytes.Equal(b, orig) {
			t.Errorf("%s: modifying a result changed the next one", name)
		}
	}
}

// checkICO parses an ICO file and checks that it holds exactly the wanted
// sizes, each a 32-bit image (BMP or PNG) of that size with visible pixels.
func checkICO(t *testing.T, name string, b []byte, want []int) {
	t.Helper()
	if len(b) < 6 || !bytes.Equal(b[:4], []byte{0, 0, 1, 0}) {
		t.Fatalf("%s: no ICO header", name)
	}
	n := int(binary.LittleEndian.Uint16(b[4:]))
	if n != len(want) || len(b) < 6+16*n {
		t.Fatalf("%s: %d images (file %d bytes), want %d", name, n, len(b), len(want))
	}
	var got []int
	for i := range n {
		e := b[6+16*i : 6+16*(i+1)]
		w, h := int(e[0]), int(e[1])
		if w == 0 {
			w = 256
		}
		if h == 0 {
			h = 256
		}
		if w != h {
			t.Errorf("%s: entry %d is %dx%d", name, i, w, h)
		}
		got = append(got, w)
		size := int(binary.LittleEndian.Uint32(e[8:]))
		off := int(binary.LittleEndian.Uint32(e[12:]))
		if off < 6+16*n || size <= 0 || off+size > len(b) {
			t.Fatalf("%s: entry %d (%d px) data %d+%d outside the file (%d bytes)", name, i, w, off, size, len(b))
		}
		data := b[off : off+size]
		entry := fmt.Sprintf("%s entry %d px", name, w)
		if bytes.HasPrefix(data, []byte("\x89PNG")) {
			decodePNG(t, entry, data, w, 0.3)
			continue
		}
		// BMP without file header: BITMAPINFOHEADER, height doubled for
		// the AND mask, then bottom-up BGRA rows.
		if len(data) < 40 || binary.LittleEndian.Uint32(data) != 40 {
			t.Fatalf("%s: neither PNG nor BITMAPINFOHEADER", entry)
		}
		bw := int(int32(binary.LittleEndian.Uint32(data[4:])))
		bh := int(int32(binary.LittleEndian.Uint32(data[8:])))
		bpp := int(binary.LittleEndian.Uint16(data[14:]))
		if bw != w || bh != 2*w || bpp != 32 {
			t.Errorf("%s: bitmap %dx%d/2 at %d bpp, want %dx%d at 32 bpp", entry, bw, bh, bpp, w, w)
		}
		pix := data[40:]
		if len(pix) < 4*w*w {
			t.Fatalf("%s: %d bytes of pixels, want %d", entry, len(pix), 4*w*w)
		}
		visible := false
		for p := 3; p < 4*w*w; p += 4 {
			if pix[p] != 0 {
				visible = true
				break
			}
		}
		if !visible {
			t.Errorf("%s: fully transparent", entry)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("%s: sizes %v, want %v", name, got, want)
	}
}

func TestICO(t *testing.T) {
	checkICO(t, "app.ico", AppICO(), wantAppICOSizes)
	checkICO(t, "tray.ico", TrayICO(), wantTrayICOSizes)
	for _, v := range TrayVariants() {
		checkICO(t, v.base()+".ico", TrayICOVariant(v), wantTrayICOSizes)
	}
	if !bytes.Equal(TrayICOVariant(TrayVariant(9)), TrayICO()) {
		t.Error("TrayICOVariant(undeclared) is not the normal icon")
	}
	if bytes.Equal(TrayICOVariant(TrayAttention), TrayICO()) || bytes.Equal(TrayICOVariant(TrayOffline), TrayICO()) {
		t.Error("tray ICO variants are identical")
	}
}

// TestEmbeddedFilesDeclared checks that png/ holds exactly the declared
// files, so generate.sh and this package cannot drift apart silently.
func TestEmbeddedFilesDeclared(t *testing.T) {
	want := map[string]bool{}
	for _, v := range TrayVariants() {
		for _, px := range TraySizes() {
			want[fmt.Sprintf("%s-%d.png", v.base(), px)] = true
		}
	}
	for _, px := range AppSizes() {
		want[fmt.Sprintf("app-%d.png", px)] = true
	}
	entries, err := files.ReadDir("png")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("png/%s is embedded but not declared", e.Name())
		}
		delete(want, e.Name())
	}
	for name := range want {
		t.Errorf("png/%s is declared but missing", name)
	}
}

// TestGenerateScriptInSync compares the size lists in generate.sh with the
// ones declared here.
func TestGenerateScriptInSync(t *testing.T) {
	script, err := os.ReadFile("generate.sh")
	if err != nil {
		t.Fatal(err)
	}
	for list, want := range map[string][]int{
		"tray_sizes":     TraySizes(),
		"app_sizes":      AppSizes(),
		"app_ico_sizes":  wantAppICOSizes,
		"tray_ico_sizes": wantTrayICOSizes,
	} {
		m := regexp.MustCompile(`(?m)^` + list + `=\(([0-9 ]*)\)$`).FindSubmatch(script)
		if m == nil {
			t.Errorf("generate.sh: no %s=(...) line", list)
			continue
		}
		var got []int
		for _, f := range strings.Fields(string(m[1])) {
			n, _ := strconv.Atoi(f)
			got = append(got, n)
		}
		if !slices.Equal(got, want) {
			t.Errorf("generate.sh: %s = %v, want %v", list, got, want)
		}
	}
}
