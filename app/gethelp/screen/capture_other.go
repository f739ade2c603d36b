//go:build !linux && !windows && !darwin

package screen

import "context"

// capture uses X11, the display system of the BSDs' desktops.
func capture(ctx context.Context) ([]Shot, error) {
	return x11Capture(ctx)
}
