package netconf

import (
	"context"
	"path/filepath"
)

// WiFiStatus returns the state of the wireless interfaces. Windows: `netsh
// wlan show interfaces`. A machine without Wi-Fi (no WLAN service) returns
// an empty list. Since Windows 11 24H2, netsh refuses without the location
// permission; the error then says so.
func WiFiStatus(ctx context.Context, env Env) ([]WiFi, error) {
	return winWiFi(ctx, env, filepath.Join(systemDir(), "netsh.exe"))
}
