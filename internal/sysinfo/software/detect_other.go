//go:build !linux && !windows && !darwin

package software

import (
	"context"
	"runtime"
)

// detect on an OS without detectors reports the firewall and encryption
// as unknown rather than leaving the section silently empty.
func detect(context.Context, *scan) ([]Item, []string) {
	msg := "not detected on " + runtime.GOOS
	return []Item{
		{Name: "Firewall", Kind: KindFirewall, Error: msg},
		{Name: "Disk encryption", Kind: KindEncryption, Error: msg},
	}, nil
}
