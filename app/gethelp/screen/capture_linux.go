package screen

import (
	"context"
	"os"
)

// capture uses the desktop portal on Wayland, where X11 clients see only
// their own windows, and X11 everywhere else.
func capture(ctx context.Context) ([]Shot, error) {
	if isWayland(os.Getenv) {
		return portalCapture(ctx)
	}
	return x11Capture(ctx)
}

// isWayland reports whether the session is a Wayland one.
func isWayland(getenv func(string) string) bool {
	return getenv("XDG_SESSION_TYPE") == "wayland" || getenv("WAYLAND_DISPLAY") != ""
}
