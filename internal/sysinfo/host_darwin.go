package sysinfo

import (
	"context"
	"fmt"
)

// osName asks sw_vers, the documented source of the macOS name and version.
func osRelease(ctx context.Context, o *Options) (release, error) {
	out, err := o.Run(ctx, "/usr/bin/sw_vers")
	if err != nil {
		return release{platform: "darwin"}, fmt.Errorf("sw_vers: %w", err)
	}
	name := parseSwVers(out)
	return release{name: name, platform: "macos", version: swVersVersion(out)}, nil
}

// machine reads the model and serial number from the I/O Registry.
func machine(ctx context.Context, o *Options) (machineInfo, error) {
	out, err := o.Run(ctx, "/usr/sbin/ioreg", "-rd1", "-c", "IOPlatformExpertDevice")
	if err != nil {
		return machineInfo{}, fmt.Errorf("ioreg: %w", err)
	}
	return parseIOReg(out), nil
}
