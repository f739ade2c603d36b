package screen

// The few parts of the X11 protocol a screenshot needs: the connection
// setup, QueryExtension, XINERAMA's screen list and GetImage. Everything
// here is pure, so it is tested and fuzzed with recorded server bytes; the
// socket lives in x11conn.go. Requests are sent little-endian (we say so in
// the setup); replies come in that order too, but images come in the
// server's own image byte order.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"math/bits"
)

var le = binary.LittleEndian

// x11Setup is what the server tells a client at connection time, as far as
// a screenshot needs it.
type x11Setup struct {
	imageMSBFirst bool
	formats       []x11Format
	screens       []x11Screen
}

// x11Format is how the server lays out the pixels of images of one depth.
type x11Format struct {
	depth, bitsPerPixel, scanlinePad int
}

type x11Screen struct {
	root          uint32
	width, height int
	rootVisual    uint32
	visuals       map[uint32]x11Visual
}

// x11Visual says where red, green and blue sit in a pixel value.
type x11Visual struct {
	class                        int
	redMask, greenMask, blueMask uint32
}

// Visual classes that store colours directly in the pixel value.
const (
	visualTrueColor   = 4
	visualDirectColor = 5
)

// errShort is the cause of every parse error about missing bytes.
var errShort = errors.New("truncated")

// setupRequest is the first message a client sends: byte order, protocol
// 11.0 and an authorisation (an empty one when the display needs none).
func setupRequest(authName string, authData []byte) []byte {
	b := make([]byte, 12+pad4(len(authName))+pad4(len(authData)))
	b[0] = 'l' // little-endian
	le.PutUint16(b[2:], 11)
	le.PutUint16(b[6:], uint16(len(authName)))
	le.PutUint16(b[8:], uint16(len(authData)))
	copy(b[12:], authName)
	copy(b[12+pad4(len(authName)):], authData)
	return b
}

// setupHeaderLen is the fixed part of the server's answer; its bytes 6-7
// give the length of the rest in 4-byte units.
const setupHeaderLen = 8

// setupRestLen is how many bytes follow the 8-byte header.
func setupRestLen(head []byte) int { return int(le.Uint16(head[6:])) * 4 }

// parseSetup reads the server's whole answer to setupRequest (header and
// rest). A refusal becomes an error with the server's reason.
func parseSetup(b []byte) (*x11Setup, error) {
	if len(b) < setupHeaderLen {
		return nil, fmt.Errorf("X11 setup: %w", errShort)
	}
	switch b[0] {
	case 1: // success
	case 0, 2:
		n := int(b[1])
		reason := ""
		if b[0] == 0 && len(b) >= setupHeaderLen+n {
			reason = printable(b[setupHeaderLen : setupHeaderLen+n])
		}
		if b[0] == 2 {
			reason = "the display wants another kind of authorisation"
		}
		return nil, fmt.Errorf("the X server refused the connection: %s", reason)
	default:
		return nil, fmt.Errorf("X11 setup: unknown status %d", b[0])
	}
	if len(b) < 40 {
		return nil, fmt.Errorf("X11 setup: %w", errShort)
	}
	vendorLen := int(le.Uint16(b[24:]))
	nScreens, nFormats := int(b[28]), int(b[29])
	s := &x11Setup{imageMSBFirst: b[30] == 1}
	off := 40 + pad4(vendorLen)
	for range nFormats {
		if off+8 > len(b) {
			return nil, fmt.Errorf("X11 setup formats: %w", errShort)
		}
		s.formats = append(s.formats, x11Format{depth: int(b[off]), bitsPerPixel: int(b[off+1]), scanlinePad: int(b[off+2])})
		off += 8
	}
	for range nScreens {
		scr, next, err := parseScreen(b, off)
		if err != nil {
			return nil, err
		}
		s.screens = append(s.screens, scr)
		off = next
	}
	if len(s.screens) == 0 {
		return nil, errors.New("X11 setup: the server has no screens")
	}
	return s, nil
}

// parseScreen reads one SCREEN at off and returns where the next starts.
func parseScreen(b []byte, off int) (x11Screen, int, error) {
	if off+40 > len(b) {
		return x11Screen{}, 0, fmt.Errorf("X11 setup screen: %w", errShort)
	}
	scr := x11Screen{
		root:       le.Uint32(b[off:]),
		width:      int(le.Uint16(b[off+20:])),
		height:     int(le.Uint16(b[off+22:])),
		rootVisual: le.Uint32(b[off+32:]),
		visuals:    map[uint32]x11Visual{},
	}
	nDepths := int(b[off+39])
	off += 40
	for range nDepths {
		if off+8 > len(b) {
			return x11Screen{}, 0, fmt.Errorf("X11 setup depth: %w", errShort)
		}
		nVisuals := int(le.Uint16(b[off+2:]))
		off += 8
		if off+24*nVisuals > len(b) {
			return x11Screen{}, 0, fmt.Errorf("X11 setup visuals: %w", errShort)
		}
		for range nVisuals {
			scr.visuals[le.Uint32(b[off:])] = x11Visual{
				class:     int(b[off+4]),
				redMask:   le.Uint32(b[off+8:]),
				greenMask: le.Uint32(b[off+12:]),
				blueMask:  le.Uint32(b[off+16:]),
			}
			off += 24
		}
	}
	return scr, off, nil
}

// format returns the pixel layout for depth.
func (s *x11Setup) format(depth int) (x11Format, bool) {
	for _, f := range s.formats {
		if f.depth == depth {
			return f, true
		}
	}
	return x11Format{}, false
}

// X11 request opcodes.
const (
	opGetImage       = 73
	opQueryExtension = 98
	zPixmap          = 2
)

// queryExtensionRequest asks whether the server has the extension name.
func queryExtensionRequest(name string) []byte {
	b := make([]byte, 8+pad4(len(name)))
	b[0] = opQueryExtension
	le.PutUint16(b[2:], uint16(len(b)/4))
	le.PutUint16(b[4:], uint16(len(name)))
	copy(b[8:], name)
	return b
}

// parseQueryExtension returns the extension's major opcode, or false when
// the server lacks it.
func parseQueryExtension(reply []byte) (byte, bool, error) {
	if len(reply) < 32 {
		return 0, false, fmt.Errorf("QueryExtension reply: %w", errShort)
	}
	return reply[9], reply[8] != 0, nil
}

// XINERAMA minor opcodes.
const (
	xineramaIsActive     = 4
	xineramaQueryScreens = 5
)

// extensionRequest is a request of an extension without arguments.
func extensionRequest(major, minor byte) []byte {
	b := make([]byte, 4)
	b[0], b[1] = major, minor
	le.PutUint16(b[2:], 1)
	return b
}

// parseXineramaActive reads IsActive's answer.
func parseXineramaActive(reply []byte) (bool, error) {
	if len(reply) < 32 {
		return false, fmt.Errorf("XINERAMA IsActive reply: %w", errShort)
	}
	return le.Uint32(reply[8:]) != 0, nil
}

// parseXineramaScreens reads QueryScreens' answer: one rectangle per
// monitor, in root window coordinates, the primary first. A monitor that
// shows part of what an earlier one shows (mirrored, perhaps at a lower
// resolution) is left out: its picture would be a copy.
func parseXineramaScreens(reply []byte) ([]image.Rectangle, error) {
	if len(reply) < 32 {
		return nil, fmt.Errorf("XINERAMA QueryScreens reply: %w", errShort)
	}
	n := int(le.Uint32(reply[8:]))
	if n > (len(reply)-32)/8 {
		return nil, fmt.Errorf("XINERAMA QueryScreens reply: %d screens: %w", n, errShort)
	}
	var out []image.Rectangle
	for i := range n {
		o := 32 + 8*i
		x, y := int(int16(le.Uint16(reply[o:]))), int(int16(le.Uint16(reply[o+2:])))
		w, h := int(le.Uint16(reply[o+4:])), int(le.Uint16(reply[o+6:]))
		r := image.Rect(x, y, x+w, y+h)
		if r.Empty() || within(out, r) {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

// within reports whether r lies inside one of list.
func within(list []image.Rectangle, r image.Rectangle) bool {
	for _, have := range list {
		if r.In(have) {
			return true
		}
	}
	return false
}

// getImageRequest asks for the pixels of r of drawable, as a ZPixmap.
func getImageRequest(drawable uint32, r image.Rectangle) []byte {
	b := make([]byte, 20)
	b[0], b[1] = opGetImage, zPixmap
	le.PutUint16(b[2:], 5)
	le.PutUint32(b[4:], drawable)
	le.PutUint16(b[8:], uint16(int16(r.Min.X)))
	le.PutUint16(b[10:], uint16(int16(r.Min.Y)))
	le.PutUint16(b[12:], uint16(r.Dx()))
	le.PutUint16(b[14:], uint16(r.Dy()))
	le.PutUint32(b[16:], 0xffffffff)
	return b
}

// x11Image is a GetImage reply: depth and visual from its header, the
// pixel rows after it.
type x11Image struct {
	depth  int
	visual uint32
	data   []byte
}

func parseGetImage(reply []byte) (x11Image, error) {
	if len(reply) < 32 {
		return x11Image{}, fmt.Errorf("GetImage reply: %w", errShort)
	}
	return x11Image{depth: int(reply[1]), visual: le.Uint32(reply[8:]), data: reply[32:]}, nil
}

// toRGBA converts a w×h ZPixmap into RGBA. It handles the layouts X
// servers use for colour screens: 16, 24 or 32 bits per pixel, either byte
// order, any TrueColor or DirectColor channel masks.
func toRGBA(im x11Image, w, h int, f x11Format, v x11Visual, msbFirst bool) (*image.RGBA, error) {
	if v.class != visualTrueColor && v.class != visualDirectColor {
		return nil, fmt.Errorf("the screen uses X visual class %d; only true-colour screens can be captured", v.class)
	}
	bpp := f.bitsPerPixel
	if bpp != 16 && bpp != 24 && bpp != 32 {
		return nil, fmt.Errorf("the screen uses %d bits per pixel; 16, 24 or 32 can be captured", bpp)
	}
	if w <= 0 || h <= 0 || w*h > maxPixels {
		return nil, fmt.Errorf("a %d×%d picture is not plausible", w, h)
	}
	if f.scanlinePad != 8 && f.scanlinePad != 16 && f.scanlinePad != 32 {
		return nil, fmt.Errorf("scanline pad %d is not valid", f.scanlinePad)
	}
	stride := (w*bpp + f.scanlinePad - 1) / f.scanlinePad * f.scanlinePad / 8
	if len(im.data) < stride*h {
		return nil, fmt.Errorf("GetImage reply: %d bytes for a %d×%d picture: %w", len(im.data), w, h, errShort)
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	if bpp == 32 && !msbFirst && v.redMask == 0xff0000 && v.greenMask == 0xff00 && v.blueMask == 0xff {
		bgrxToRGBA(out, im.data, stride)
		return out, nil
	}
	convert(out, im.data, stride, bpp/8, v, msbFirst)
	return out, nil
}

// convert is the general path of toRGBA: any depth, order and masks.
func convert(out *image.RGBA, data []byte, stride, step int, v x11Visual, msbFirst bool) {
	w, h := out.Rect.Dx(), out.Rect.Dy()
	r, g, b := channel(v.redMask), channel(v.greenMask), channel(v.blueMask)
	for y := range h {
		row := data[y*stride : y*stride+w*step]
		dst := out.Pix[y*out.Stride : y*out.Stride+w*4]
		for x := range w {
			px := pixelAt(row[x*step:x*step+step], msbFirst)
			dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = r.of(px), g.of(px), b.of(px), 0xff
		}
	}
}

// bgrxToRGBA converts the layout nearly every X server uses today (32
// bits, blue first in memory) without the general path's per-pixel work.
func bgrxToRGBA(out *image.RGBA, data []byte, stride int) {
	w, h := out.Rect.Dx(), out.Rect.Dy()
	for y := range h {
		src := data[y*stride : y*stride+4*w]
		dst := out.Pix[y*out.Stride : y*out.Stride+4*w]
		for i := 0; i < len(src); i += 4 {
			dst[i], dst[i+1], dst[i+2], dst[i+3] = src[i+2], src[i+1], src[i], 0xff
		}
	}
}

// pixelAt reads one pixel value of 2, 3 or 4 bytes in the image byte order.
func pixelAt(p []byte, msbFirst bool) uint32 {
	var v uint32
	if msbFirst {
		for _, c := range p {
			v = v<<8 | uint32(c)
		}
		return v
	}
	for i := len(p) - 1; i >= 0; i-- {
		v = v<<8 | uint32(p[i])
	}
	return v
}

// channelMask extracts one colour channel from a pixel value and widens it
// to 8 bits.
type channelMask struct {
	mask  uint32
	shift int
	width int
}

func channel(mask uint32) channelMask {
	if mask == 0 {
		return channelMask{}
	}
	shift := bits.TrailingZeros32(mask)
	return channelMask{mask: mask, shift: shift, width: bits.OnesCount32(mask >> shift)}
}

func (c channelMask) of(px uint32) uint8 {
	if c.width == 0 {
		return 0
	}
	v := (px & c.mask) >> c.shift
	switch {
	case c.width == 8:
		return uint8(v)
	case c.width > 8:
		return uint8(v >> (c.width - 8))
	}
	// Scale up so that full intensity stays full: 5 bits of 31 become 255.
	return uint8(v * 255 / (1<<c.width - 1))
}

// replyHeaderLen is the fixed size of every reply, error and event.
const replyHeaderLen = 32

// replyExtraLen is how many bytes follow a reply's 32-byte header.
func replyExtraLen(head []byte) int { return int(le.Uint32(head[4:])) * 4 }

// x11Error is an error the server sent for a request.
type x11Error struct {
	code  byte
	major byte
}

func (e *x11Error) Error() string {
	names := map[byte]string{1: "Request", 2: "Value", 3: "Window", 4: "Pixmap", 8: "Match", 9: "Drawable", 10: "Access", 11: "Alloc", 16: "Length", 17: "Implementation"}
	name := names[e.code]
	if name == "" {
		name = fmt.Sprintf("error %d", e.code)
	}
	return fmt.Sprintf("the X server answered request %d with %s", e.major, name)
}

func pad4(n int) int { return (n + 3) &^ 3 }

// printable keeps a server's message to plain ASCII for a log line.
func printable(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c >= 0x20 && c < 0x7f {
			out = append(out, c)
		}
	}
	return string(out)
}
