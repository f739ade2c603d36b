package sysinfo

import (
	"context"
	"fmt"

	"github.com/shirou/gopsutil/v4/host"

	"golang.org/x/sys/windows/registry"
)

// osName reads the edition and feature update from the registry.
func osRelease(ctx context.Context, _ *Options) (release, error) {
	platform, _, version, _ := host.PlatformInformationWithContext(ctx)
	name, err := osName()
	return release{name: name, platform: platform, version: version}, err
}

func osName() (string, error) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Windows NT\CurrentVersion`, registry.QUERY_VALUE)
	if err != nil {
		return "", fmt.Errorf("opening the CurrentVersion key: %w", err)
	}
	defer k.Close()
	product, _, _ := k.GetStringValue("ProductName")
	display, _, _ := k.GetStringValue("DisplayVersion")
	build, _, _ := k.GetStringValue("CurrentBuildNumber")
	return windowsName(product, display, build), nil
}

// machine reads what the firmware reported at boot. The serial number is
// not in the registry and WMI takes a second to ask, so it is left out.
func machine(_ context.Context, _ *Options) (machineInfo, error) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `HARDWARE\DESCRIPTION\System\BIOS`, registry.QUERY_VALUE)
	if err != nil {
		return machineInfo{}, fmt.Errorf("opening the BIOS key: %w", err)
	}
	defer k.Close()
	vendor, _, _ := k.GetStringValue("SystemManufacturer")
	model, _, _ := k.GetStringValue("SystemProductName")
	return machineInfo{manufacturer: cleanDMI(vendor), model: cleanDMI(model)}, nil
}
