// Package trayhost tells whether the desktop shows tray icons at all. GNOME
// without the AppIndicator extension has no StatusNotifierWatcher, so a tray
// icon silently never appears; the app must notice and open its window
// instead of leaving the employee with nothing to click.
package trayhost

import "context"

// Available reports whether a tray host is present in this session. When it
// cannot tell (no session bus, say) it reports true with the error, so the
// app keeps its normal behaviour rather than guessing.
func Available(ctx context.Context) (bool, error) {
	return available(ctx)
}
