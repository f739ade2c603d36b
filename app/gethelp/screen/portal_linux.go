package screen

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"
	"net/url"
	"os"

	"github.com/godbus/dbus/v5"
)

// The desktop portal's screenshot interface (xdg-desktop-portal): the one
// way an unprivileged app may see the whole screen on Wayland. The desktop
// may ask the employee for permission the first time.
const (
	portalBus       = "org.freedesktop.portal.Desktop"
	portalPath      = "/org/freedesktop/portal/desktop"
	portalMethod    = "org.freedesktop.portal.Screenshot.Screenshot"
	portalRequest   = "org.freedesktop.portal.Request"
	portalResponse  = "Response"
	maxPortalFile   = 256 << 20
	portalSignalBuf = 4
)

// portalCapture asks the portal for a picture of the whole desktop; it
// comes as one image covering every monitor.
func portalCapture(ctx context.Context) ([]Shot, error) {
	conn, err := dbus.ConnectSessionBus(dbus.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("%w: no session bus to reach the desktop portal: %w", ErrUnsupported, err)
	}
	defer conn.Close()
	err = conn.AddMatchSignalContext(ctx, dbus.WithMatchInterface(portalRequest), dbus.WithMatchMember(portalResponse))
	if err != nil {
		return nil, fmt.Errorf("listening to the desktop portal: %w", err)
	}
	signals := make(chan *dbus.Signal, portalSignalBuf)
	conn.Signal(signals)
	defer conn.RemoveSignal(signals)

	var handle dbus.ObjectPath
	opts := map[string]dbus.Variant{
		"handle_token": dbus.MakeVariant(token()),
		"interactive":  dbus.MakeVariant(false),
	}
	call := conn.Object(portalBus, portalPath).CallWithContext(ctx, portalMethod, 0, "", opts)
	if err := call.Store(&handle); err != nil {
		return nil, fmt.Errorf("%w: the desktop portal cannot take screenshots: %w", ErrUnsupported, err)
	}
	for {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for the desktop portal: %w", ctx.Err())
		case sig, ok := <-signals:
			if !ok {
				return nil, errors.New("the session bus closed while waiting for the desktop portal")
			}
			if sig.Path != handle {
				continue
			}
			uri, err := portalURI(sig.Body)
			if err != nil {
				return nil, err
			}
			img, err := readPortalFile(uri)
			if err != nil {
				return nil, err
			}
			return []Shot{{Name: "All screens", Image: img}}, nil
		}
	}
}

// portalURI reads the Response signal's body: a code (0 success, 1
// cancelled by the employee, 2 other) and the results, whose "uri" names
// the picture.
func portalURI(body []any) (string, error) {
	if len(body) != 2 {
		return "", fmt.Errorf("the desktop portal answered with %d values", len(body))
	}
	code, ok := body[0].(uint32)
	if !ok {
		return "", errors.New("the desktop portal answered without a response code")
	}
	switch code {
	case 0:
	case 1:
		return "", errors.New("the screenshot was not allowed")
	default:
		return "", fmt.Errorf("the desktop portal could not take a screenshot (code %d)", code)
	}
	results, ok := body[1].(map[string]dbus.Variant)
	if !ok {
		return "", errors.New("the desktop portal answered without results")
	}
	uri, ok := results["uri"].Value().(string)
	if !ok || uri == "" {
		return "", errors.New("the desktop portal did not say where the screenshot is")
	}
	return uri, nil
}

// readPortalFile reads and then deletes the picture the portal saved: it
// was taken for the report, not for the employee's picture folder.
func readPortalFile(uri string) (*image.RGBA, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return nil, fmt.Errorf("the desktop portal gave %q, not a file", uri)
	}
	f, err := os.Open(u.Path)
	if err != nil {
		return nil, fmt.Errorf("reading the screenshot: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxPortalFile))
	f.Close()
	os.Remove(u.Path)
	if err != nil {
		return nil, fmt.Errorf("reading the screenshot: %w", err)
	}
	return decodePNG(data)
}

// token names one portal request.
func token() string {
	var b [8]byte
	rand.Read(b[:])
	return "firstline_" + hex.EncodeToString(b[:])
}
