// Package assets holds Firstline's icons and embeds them into the binaries.
//
// The hand-written SVG sources are in src/:
//
//	src/app.svg             application icon (window, .desktop entry, installers)
//	src/tray.svg            tray icon, normal state
//	src/tray-attention.svg  tray icon with an orange-red badge: notices or a
//	                        report need attention
//	src/tray-offline.svg    tray icon, greyed: the background service is not
//	                        reachable
//
// Everything else is generated from them by generate.sh and committed:
//
//	png/tray-{16,22,24,32,48,64}.png, png/tray-attention-*.png,
//	png/tray-offline-*.png          tray PNGs
//	png/app-{16,...,1024}.png       application PNGs
//	app.ico                         Windows application icon (16-256 px)
//	tray.ico, tray-attention.ico,
//	tray-offline.ico                Windows tray icons (16-48 px)
//	Icon.png                        512 px copy for FyneApp.toml
//	app.icns                        macOS application icon
//	preview.png                     contact sheet for reviewers
//
// To regenerate after editing an SVG (needs rsvg-convert from librsvg2-bin
// and convert from imagemagick; png2icns from icnsutils for app.icns):
//
//	./assets/generate.sh
//
// then run go test ./assets/ and commit the results. The size lists in
// generate.sh and in this file must agree; the tests check that they do.
//
// Every function returns a fresh copy of the embedded bytes, so callers may
// modify what they get without affecting anyone else.
package assets

import (
	"embed"
	"fmt"
	"slices"
	"strconv"
)

//go:embed png/*.png app.ico tray.ico tray-attention.ico tray-offline.ico
var files embed.FS

// TrayVariant selects one of the tray icon states.
type TrayVariant int

const (
	// TrayNormal is the blue mark: everything is fine.
	TrayNormal TrayVariant = iota
	// TrayAttention adds an orange-red badge dot: there are unread notices
	// or a report needing attention.
	TrayAttention
	// TrayOffline is the greyed mark: the background service is not
	// reachable.
	TrayOffline
)

// String returns "normal", "attention" or "offline", or "TrayVariant(N)" for
// an undeclared value.
func (v TrayVariant) String() string {
	switch v {
	case TrayNormal:
		return "normal"
	case TrayAttention:
		return "attention"
	case TrayOffline:
		return "offline"
	}
	return "TrayVariant(" + strconv.Itoa(int(v)) + ")"
}

// valid reports whether v is a declared variant.
func (v TrayVariant) valid() bool {
	return v >= TrayNormal && v <= TrayOffline
}

// base is the file name stem of v's files, e.g. "tray-attention".
func (v TrayVariant) base() string {
	if v == TrayNormal {
		return "tray"
	}
	return "tray-" + v.String()
}

// TrayVariants returns all declared tray variants.
func TrayVariants() []TrayVariant {
	return []TrayVariant{TrayNormal, TrayAttention, TrayOffline}
}

// TraySizes returns the pixel sizes (width = height) available from
// TrayPNGSize, smallest first.
func TraySizes() []int {
	return []int{16, 22, 24, 32, 48, 64}
}

// AppSizes returns the pixel sizes (width = height) available from
// AppPNGSize, smallest first.
func AppSizes() []int {
	return []int{16, 24, 32, 48, 64, 128, 256, 512, 1024}
}

// SizeError is returned when an icon is requested in a size (or, for tray
// icons, a variant) that is not generated.
type SizeError struct {
	Icon string // "app" or the tray variant, e.g. "tray attention"
	Px   int
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("assets: no %d px %s icon", e.Px, e.Icon)
}

// TrayPNG returns the 64 px tray PNG for v, for Linux and macOS, where the
// tray host scales the image to the panel size. An undeclared variant gets
// the TrayNormal icon.
func TrayPNG(v TrayVariant) []byte {
	if !v.valid() {
		v = TrayNormal
	}
	b, err := TrayPNGSize(v, 64)
	if err != nil {
		panic(err)
	}
	return b
}

// TrayPNGSize returns the tray PNG for v at px x px pixels. px must be one
// of TraySizes; otherwise, or for an undeclared variant, it returns a
// *SizeError.
func TrayPNGSize(v TrayVariant, px int) ([]byte, error) {
	if !v.valid() || !slices.Contains(TraySizes(), px) {
		return nil, &SizeError{Icon: "tray " + v.String(), Px: px}
	}
	return read(fmt.Sprintf("png/%s-%d.png", v.base(), px)), nil
}

// AppPNG returns the 512 px application icon PNG (the same image as
// assets/Icon.png).
func AppPNG() []byte {
	return read("png/app-512.png")
}

// AppPNGSize returns the application icon PNG at px x px pixels. px must be
// one of AppSizes; otherwise it returns a *SizeError.
func AppPNGSize(px int) ([]byte, error) {
	if !slices.Contains(AppSizes(), px) {
		return nil, &SizeError{Icon: "app", Px: px}
	}
	return read(fmt.Sprintf("png/app-%d.png", px)), nil
}

// AppICO returns the Windows application icon (16, 24, 32, 48, 64 and 256
// px images; the 256 px one is PNG-compressed).
func AppICO() []byte {
	return read("app.ico")
}

// TrayICO returns the Windows tray icon for TrayNormal (16, 24, 32 and 48 px
// images). It is TrayICOVariant(TrayNormal).
func TrayICO() []byte {
	return TrayICOVariant(TrayNormal)
}

// TrayICOVariant returns the Windows tray icon for v (16, 24, 32 and 48 px
// images). An undeclared variant gets the TrayNormal icon.
func TrayICOVariant(v TrayVariant) []byte {
	if !v.valid() {
		v = TrayNormal
	}
	return read(v.base() + ".ico")
}

// read returns a copy of an embedded file. embed.FS.ReadFile allocates a new
// slice on every call. A missing file means the embed pattern and the names
// here disagree, which the tests catch, so it panics.
func read(name string) []byte {
	b, err := files.ReadFile(name)
	if err != nil {
		panic("assets: " + err.Error())
	}
	return b
}
