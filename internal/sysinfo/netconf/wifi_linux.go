package netconf

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
)

// WiFiStatus returns the state of the wireless interfaces. Linux: the
// interfaces are those with a wireless (or phy80211) entry under
// sys/class/net or a row in proc/net/wireless; the signal comes from
// proc/net/wireless, the network from `iw dev IFACE link`, or from nmcli
// when iw is not installed. A machine without Wi-Fi returns an empty list.
// When a tool fails, what was found comes with the error.
func WiFiStatus(ctx context.Context, env Env) ([]WiFi, error) {
	data, err := env.readFile("/proc/net/wireless")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("reading the Wi-Fi status: %w", err)
	}
	signals := parseProcWireless(data)
	names, err := wirelessInterfaces(env)
	if err != nil {
		return nil, fmt.Errorf("listing the Wi-Fi interfaces: %w", err)
	}
	for _, s := range signals {
		if !slices.Contains(names, s.iface) {
			names = append(names, s.iface)
		}
	}
	slices.Sort(names)

	list := make([]WiFi, 0, len(names))
	var toolErrs []error
	for _, name := range names {
		w := WiFi{Interface: name}
		if i := slices.IndexFunc(signals, func(s wextSignal) bool { return s.iface == name }); i >= 0 {
			w.SignalPercent, w.SignalDBm, w.NoiseDBm = signals[i].percent, signals[i].dbm, signals[i].noise
			w.Source = "proc/net/wireless"
		}
		if out, err := env.run(ctx, "iw", "dev", name, "link"); err == nil {
			parseIwLink(out, &w)
			w.Source = "iw"
		} else {
			toolErrs = append(toolErrs, err)
			w.Connected = w.SignalPercent > 0 || w.SignalDBm < 0
		}
		list = append(list, w)
	}
	if len(toolErrs) == 0 {
		return completeAll(list), nil
	}
	out, err := env.run(ctx, "nmcli", "-t", "-f", nmcliFields, "dev", "wifi", "list", "--rescan", "no")
	if err != nil {
		return completeAll(list), fmt.Errorf("reading the Wi-Fi network names: %w", errors.Join(append(toolErrs, err)...))
	}
	for _, ap := range parseNmcliWiFi(out) {
		i := slices.IndexFunc(list, func(w WiFi) bool { return w.Interface == ap.device })
		if !ap.active || i < 0 || list[i].Source == "iw" {
			continue
		}
		w := &list[i]
		w.Connected, w.SSID, w.Channel, w.Security, w.Source = true, ap.ssid, ap.channel, ap.security, "nmcli"
		// nmcli's percentage is its own scale; a dBm measured by the
		// driver is kept, and the percentage is taken from it if unknown.
		if w.SignalPercent == 0 {
			w.SignalPercent = ap.signal
		}
	}
	return completeAll(list), nil
}

// wirelessInterfaces lists the interfaces sysfs marks as wireless.
func wirelessInterfaces(env Env) ([]string, error) {
	all, err := env.readDir("/sys/class/net")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, n := range all {
		if env.exists("/sys/class/net/"+n+"/wireless") || env.exists("/sys/class/net/"+n+"/phy80211") {
			names = append(names, n)
		}
	}
	return names, nil
}

func completeAll(list []WiFi) []WiFi {
	for i := range list {
		list[i].complete()
	}
	return list
}
