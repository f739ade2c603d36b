package sysinfo

import (
	"context"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// systemPowerStatus mirrors SYSTEM_POWER_STATUS.
type systemPowerStatus struct {
	ACLineStatus        byte
	BatteryFlag         byte
	BatteryLifePercent  byte
	SystemStatusFlag    byte
	BatteryLifeTime     uint32
	BatteryFullLifeTime uint32
}

// batteries asks GetSystemPowerStatus, which reports the combined battery.
// Wear (full against design capacity) needs the battery IOCTLs and is left
// to a later version.
func batteries(_ context.Context, _ *Options) ([]Battery, error) {
	proc := windows.NewLazySystemDLL("kernel32.dll").NewProc("GetSystemPowerStatus")
	var st systemPowerStatus
	r, _, err := proc.Call(uintptr(unsafe.Pointer(&st)))
	if r == 0 {
		return nil, fmt.Errorf("GetSystemPowerStatus: %w", err)
	}
	return windowsBattery(st.ACLineStatus, st.BatteryFlag, st.BatteryLifePercent), nil
}
