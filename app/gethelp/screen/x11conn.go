//go:build !windows && !darwin

package screen

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// x11Conn is a connection to an X server that sends one request at a time
// and waits for its answer: all a screenshot needs, with no goroutines and
// every wait bounded by the context through the socket's deadline.
type x11Conn struct {
	c     net.Conn
	setup *x11Setup
	seq   uint16
	stop  func() bool
}

// Limits on what the server may send, so a confused one costs an error
// rather than the app's memory.
const (
	maxSetupBytes = 4 << 20
	maxReplyBytes = maxPixels*4 + 1<<16
	maxXauthBytes = 1 << 20
)

// x11Capture takes one picture per monitor of the display in DISPLAY.
func x11Capture(ctx context.Context) ([]Shot, error) {
	name := os.Getenv("DISPLAY")
	if name == "" {
		return nil, fmt.Errorf("%w: there is no X11 display (DISPLAY is not set)", ErrUnsupported)
	}
	d, err := parseDisplay(name)
	if err != nil {
		return nil, err
	}
	c, err := dialX11(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("connecting to the X display %s: %w", name, err)
	}
	defer c.close()
	if d.screen >= len(c.setup.screens) {
		return nil, fmt.Errorf("the X display %s has no screen %d", name, d.screen)
	}
	scr := c.setup.screens[d.screen]
	monitors, err := c.monitors(scr)
	if err != nil {
		return nil, err
	}
	var shots []Shot
	for i, m := range monitors {
		img, err := c.grab(scr, m)
		if err != nil {
			return nil, fmt.Errorf("capturing %s: %w", screenName(i), err)
		}
		shots = append(shots, Shot{Name: screenName(i), Image: img})
	}
	return shots, nil
}

// dialX11 connects and completes the setup handshake.
func dialX11(ctx context.Context, d x11Display) (*x11Conn, error) {
	var dialer net.Dialer
	nc, err := dialer.DialContext(ctx, d.network, d.address)
	if err != nil && d.network == "unix" && runtime.GOOS == "linux" {
		// Some servers listen only on the abstract socket of that name.
		if c2, err2 := dialer.DialContext(ctx, "unix", "@"+d.address); err2 == nil {
			nc, err = c2, nil
		}
	}
	if err != nil {
		return nil, err
	}
	c := &x11Conn{c: nc}
	if dl, ok := ctx.Deadline(); ok {
		nc.SetDeadline(dl)
	}
	// Cancelling the context interrupts a read or write in progress.
	c.stop = context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	if err := c.handshake(d); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *x11Conn) close() {
	c.stop()
	c.c.Close()
}

func (c *x11Conn) handshake(d x11Display) error {
	var name string
	var cookie []byte
	if data, ok := authCookie(d); ok {
		name, cookie = "MIT-MAGIC-COOKIE-1", data
	}
	if _, err := c.c.Write(setupRequest(name, cookie)); err != nil {
		return err
	}
	head := make([]byte, setupHeaderLen)
	if _, err := io.ReadFull(c.c, head); err != nil {
		return fmt.Errorf("reading the X11 setup: %w", err)
	}
	n := setupRestLen(head)
	if n > maxSetupBytes {
		return fmt.Errorf("the X11 setup is %d bytes long", n)
	}
	all := make([]byte, setupHeaderLen+n)
	copy(all, head)
	if _, err := io.ReadFull(c.c, all[setupHeaderLen:]); err != nil {
		return fmt.Errorf("reading the X11 setup: %w", err)
	}
	s, err := parseSetup(all)
	if err != nil {
		return err
	}
	c.setup = s
	return nil
}

// authCookie finds the display's cookie in the Xauthority file, if any: a
// display started with -ac, or one that trusts local users, needs none.
func authCookie(d x11Display) ([]byte, bool) {
	path := os.Getenv("XAUTHORITY")
	if path == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, false
		}
		path = filepath.Join(home, ".Xauthority")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxXauthBytes))
	if err != nil {
		return nil, false
	}
	entries, _ := parseXauth(data) // a damaged tail leaves the entries before it usable
	host := d.host
	if host == "" || host == "localhost" {
		if host, err = os.Hostname(); err != nil {
			return nil, false
		}
	}
	return cookieFor(entries, host, d.number)
}

// roundTrip sends one request and returns its reply, skipping events.
func (c *x11Conn) roundTrip(req []byte) ([]byte, error) {
	if _, err := c.c.Write(req); err != nil {
		return nil, err
	}
	c.seq++
	for {
		head := make([]byte, replyHeaderLen)
		if _, err := io.ReadFull(c.c, head); err != nil {
			return nil, err
		}
		seq := le.Uint16(head[2:])
		switch {
		case head[0] == 0 && seq == c.seq:
			return nil, &x11Error{code: head[1], major: head[10]}
		case head[0] == 1:
			n := replyExtraLen(head)
			if n > maxReplyBytes {
				return nil, fmt.Errorf("an X11 reply of %d bytes is too large", n)
			}
			reply := make([]byte, replyHeaderLen+n)
			copy(reply, head)
			if _, err := io.ReadFull(c.c, reply[replyHeaderLen:]); err != nil {
				return nil, err
			}
			if seq != c.seq {
				continue // a late reply to nothing we wait for
			}
			return reply, nil
		case head[0]&0x7f == 35: // a generic event carries more bytes
			if _, err := io.CopyN(io.Discard, c.c, int64(replyExtraLen(head))); err != nil {
				return nil, err
			}
		}
	}
}

// monitors lists the monitors' rectangles on scr, or the whole screen when
// the server does not say.
func (c *x11Conn) monitors(scr x11Screen) ([]image.Rectangle, error) {
	whole := image.Rect(0, 0, scr.width, scr.height)
	reply, err := c.roundTrip(queryExtensionRequest("XINERAMA"))
	if err != nil {
		return nil, fmt.Errorf("asking for XINERAMA: %w", err)
	}
	major, present, err := parseQueryExtension(reply)
	if err != nil || !present {
		return []image.Rectangle{whole}, err
	}
	if reply, err = c.roundTrip(extensionRequest(major, xineramaIsActive)); err != nil {
		return nil, fmt.Errorf("asking whether XINERAMA is active: %w", err)
	}
	if active, err := parseXineramaActive(reply); err != nil || !active {
		return []image.Rectangle{whole}, err
	}
	if reply, err = c.roundTrip(extensionRequest(major, xineramaQueryScreens)); err != nil {
		return nil, fmt.Errorf("listing monitors: %w", err)
	}
	rects, err := parseXineramaScreens(reply)
	if err != nil {
		return nil, err
	}
	var out []image.Rectangle
	for _, r := range rects {
		if r = r.Intersect(whole); !r.Empty() && len(out) < maxShots {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return []image.Rectangle{whole}, nil
	}
	return out, nil
}

// grab reads the pixels of r from the root window.
func (c *x11Conn) grab(scr x11Screen, r image.Rectangle) (*image.RGBA, error) {
	if r.Dx()*r.Dy() > maxPixels {
		return nil, fmt.Errorf("a %d×%d monitor is larger than a screenshot may be", r.Dx(), r.Dy())
	}
	reply, err := c.roundTrip(getImageRequest(scr.root, r))
	if err != nil {
		return nil, err
	}
	im, err := parseGetImage(reply)
	if err != nil {
		return nil, err
	}
	f, ok := c.setup.format(im.depth)
	if !ok {
		return nil, fmt.Errorf("the server did not say how it stores images of depth %d", im.depth)
	}
	v, ok := scr.visuals[im.visual]
	if !ok {
		if v, ok = scr.visuals[scr.rootVisual]; !ok {
			return nil, errors.New("the server did not describe the screen's colours")
		}
	}
	return toRGBA(im, r.Dx(), r.Dy(), f, v, c.setup.imageMSBFirst)
}
