//go:build !linux

package trayhost

import "context"

// Windows and macOS always have a notification area / menu bar.
func available(context.Context) (bool, error) { return true, nil }
