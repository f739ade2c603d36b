package netconf

import "context"

// WiFiStatus returns the state of the wireless interfaces. macOS: `wdutil
// info`, the airport tool or `system_profiler SPAirPortDataType`, whichever
// answers first. A Mac without Wi-Fi returns an empty list.
func WiFiStatus(ctx context.Context, env Env) ([]WiFi, error) {
	return macWiFi(ctx, env)
}
