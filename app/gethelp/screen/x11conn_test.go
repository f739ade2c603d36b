//go:build !windows && !darwin

package screen

import (
	"context"
	"errors"
	"image"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeX is an X server that answers like the recorded Xvfb, drawing a
// pattern for GetImage: red is x, green is y, blue is 0x7f (mod 256, in
// root coordinates).
type fakeX struct {
	setup    []byte
	monitors []image.Rectangle // nil: no XINERAMA
	// eventFirst sends an event before every reply, as a server may.
	eventFirst bool
	// failImage answers GetImage with a Match error.
	failImage bool
	// hang stops answering after the setup.
	hang bool
}

const fakeXinerama = 150

func (f *fakeX) serve(t *testing.T, ln net.Listener) {
	c, err := ln.Accept()
	if err != nil {
		return
	}
	defer c.Close()
	head := make([]byte, 12)
	if _, err := io.ReadFull(c, head); err != nil {
		return
	}
	n := pad4(int(le.Uint16(head[6:]))) + pad4(int(le.Uint16(head[8:])))
	io.CopyN(io.Discard, c, int64(n))
	c.Write(f.setup)
	if f.hang {
		io.Copy(io.Discard, c)
		return
	}
	s, _ := parseSetup(f.setup)
	seq := uint16(0)
	for {
		req := make([]byte, 4)
		if _, err := io.ReadFull(c, req); err != nil {
			return
		}
		body := make([]byte, int(le.Uint16(req[2:]))*4-4)
		io.ReadFull(c, body)
		seq++
		reply := make([]byte, 32)
		reply[0] = 1
		switch {
		case req[0] == opQueryExtension:
			reply[8] = boolByte(f.monitors != nil)
			reply[9] = fakeXinerama
		case req[0] == fakeXinerama && req[1] == xineramaIsActive:
			le.PutUint32(reply[8:], 1)
		case req[0] == fakeXinerama && req[1] == xineramaQueryScreens:
			le.PutUint32(reply[8:], uint32(len(f.monitors)))
			for _, m := range f.monitors {
				b := make([]byte, 8)
				le.PutUint16(b, uint16(m.Min.X))
				le.PutUint16(b[2:], uint16(m.Min.Y))
				le.PutUint16(b[4:], uint16(m.Dx()))
				le.PutUint16(b[6:], uint16(m.Dy()))
				reply = append(reply, b...)
			}
		case req[0] == opGetImage && f.failImage:
			reply = make([]byte, 32)
			reply[1], reply[10] = 8, opGetImage
		case req[0] == opGetImage:
			x0, y0 := int(int16(le.Uint16(body[4:]))), int(int16(le.Uint16(body[6:])))
			w, h := int(le.Uint16(body[8:])), int(le.Uint16(body[10:]))
			reply[1] = 24
			le.PutUint32(reply[8:], s.screens[0].rootVisual)
			data := make([]byte, w*h*4)
			for y := range h {
				for x := range w {
					o := 4 * (y*w + x)
					data[o], data[o+1], data[o+2] = 0x7f, byte(y0+y), byte(x0+x)
				}
			}
			reply = append(reply, data...)
		default:
			t.Errorf("fake X server: unexpected request %d.%d", req[0], req[1])
			return
		}
		le.PutUint16(reply[2:], seq)
		le.PutUint32(reply[4:], uint32((len(reply)-32)/4))
		if f.eventFirst {
			ev := make([]byte, 32)
			ev[0] = 12 // Expose
			c.Write(ev)
		}
		c.Write(reply)
	}
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// startFakeX serves f on a socket named like a display, and points
// DISPLAY at it.
func startFakeX(t *testing.T, f *fakeX) {
	t.Helper()
	dir := t.TempDir()
	sock := filepath.Join(dir, "x:0")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.serve(t, ln)
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	t.Setenv("DISPLAY", sock)
	t.Setenv("XAUTHORITY", filepath.Join(dir, "none"))
}

func TestX11CaptureEachMonitor(t *testing.T) {
	f := &fakeX{
		setup:      withRootSize(readFixture(t, "xvfb98-setup.bin"), 960, 300),
		monitors:   []image.Rectangle{image.Rect(0, 0, 640, 300), image.Rect(640, 100, 960, 300)},
		eventFirst: true,
	}
	startFakeX(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	shots, err := x11Capture(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(shots) != 2 || shots[0].Name != "Screen 1" || shots[1].Name != "Screen 2" {
		t.Fatalf("shots: %d %v", len(shots), shots)
	}
	if b := shots[1].Image.Bounds(); b != image.Rect(0, 0, 320, 200) {
		t.Errorf("second monitor is %v", b)
	}
	// Pixel (5, 7) of the second monitor is root pixel (645, 107).
	if got := shots[1].Image.RGBAAt(5, 7); got.R != 645%256 || got.G != 107 || got.B != 0x7f || got.A != 0xff {
		t.Errorf("pixel %v", got)
	}
}

func TestX11CaptureWholeScreenWithoutXinerama(t *testing.T) {
	startFakeX(t, &fakeX{setup: withRootSize(readFixture(t, "xvfb98-setup.bin"), 320, 200)})
	shots, err := x11Capture(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(shots) != 1 || shots[0].Image.Bounds() != image.Rect(0, 0, 320, 200) {
		t.Fatalf("shots %v", shots)
	}
}

// withRootSize returns a copy of a recorded setup whose first screen is
// w×h, to keep the pictures of a test small.
func withRootSize(setup []byte, w, h uint16) []byte {
	out := append([]byte(nil), setup...)
	off := 40 + pad4(int(le.Uint16(out[24:]))) + 8*int(out[29])
	le.PutUint16(out[off+20:], w)
	le.PutUint16(out[off+22:], h)
	return out
}

func TestX11CaptureServerError(t *testing.T) {
	startFakeX(t, &fakeX{setup: readFixture(t, "xvfb98-setup.bin"), failImage: true})
	_, err := x11Capture(context.Background())
	var xe *x11Error
	if !errors.As(err, &xe) || !strings.Contains(err.Error(), "Match") {
		t.Errorf("got %v", err)
	}
}

// TestX11CaptureHonoursContext: a server that stops answering costs the
// context's time, not the app.
func TestX11CaptureHonoursContext(t *testing.T) {
	startFakeX(t, &fakeX{setup: readFixture(t, "xvfb98-setup.bin"), hang: true})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := x11Capture(ctx)
	if err == nil {
		t.Fatal("no error from a silent server")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestX11CaptureWithoutDisplay(t *testing.T) {
	t.Setenv("DISPLAY", "")
	if _, err := x11Capture(context.Background()); !errors.Is(err, ErrUnsupported) {
		t.Errorf("got %v", err)
	}
}
