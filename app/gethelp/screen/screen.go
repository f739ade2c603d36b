// Package screen takes pictures of the employee's screens for a report and
// blacks out what they do not want IT to see.
//
// Capture talks to the desktop directly: a small X11 client on Linux and the
// BSDs (no cgo, honouring the context through socket deadlines), the
// desktop portal on Wayland, GDI on Windows and the system's screencapture
// tool on macOS. The image operations (BlackOut, Redact, Thumbnail) are
// pure, so the redaction an employee relies on is tested pixel by pixel.
package screen

import (
	"context"
	"errors"
	"image"
	"strconv"
)

// Shot is the picture of one monitor.
type Shot struct {
	// Name tells monitors apart for the employee: "Screen 1".
	Name string
	// Image is the picture, its bounds starting at (0, 0).
	Image *image.RGBA
}

// ErrUnsupported is wrapped when this desktop offers no way to take a
// screenshot without the employee's own tools.
var ErrUnsupported = errors.New("screenshots are not available on this desktop")

// maxPixels caps one monitor's picture (8K is 33 million): a confused
// server must not make the app allocate gigabytes.
const maxPixels = 64 << 20

// maxShots caps how many monitors are captured.
const maxShots = 8

// Capture takes one picture per monitor, primary first. It fails with an
// error wrapping ErrUnsupported when the desktop has no way to do it.
func Capture(ctx context.Context) ([]Shot, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return capture(ctx)
}

// screenName is the name of the i-th monitor (from 0).
func screenName(i int) string {
	return "Screen " + strconv.Itoa(i+1)
}
