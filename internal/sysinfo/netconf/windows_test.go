package netconf

import (
	"context"
	"errors"
	"net/netip"
	"reflect"
	"testing"
)

func TestParseNetshWlan(t *testing.T) {
	tests := map[string][]WiFi{
		"netsh-wlan-win10.txt": {{
			Interface: "Wi-Fi", Connected: true, SSID: "CorpWiFi", BSSID: "00:11:22:33:44:55",
			SignalPercent: 92, SignalDBm: -54, Channel: 36, TxRateMbps: 1201, Security: "WPA2-Enterprise", Source: "netsh",
		}},
		"netsh-wlan-win11.txt": {
			{
				Interface: "Wi-Fi", Connected: true, SSID: "Cafe: Free Wi-Fi", BSSID: "8c:3b:ad:01:02:03",
				SignalPercent: 61, SignalDBm: -67, Channel: 149, TxRateMbps: 286.8, Security: "WPA3-Personal", Source: "netsh",
			},
			{Interface: "Wi-Fi 2", Source: "netsh"},
		},
		// German labels: the name is the block's first line, the rest
		// uses the labels known in a few languages.
		"netsh-wlan-de.txt": {{
			Interface: "WLAN", Connected: true, SSID: "Buero", BSSID: "24:a4:3c:98:76:54",
			SignalPercent: 80, SignalDBm: -60, Channel: 44, TxRateMbps: 866.7, Security: "WPA2-Personal", Source: "netsh",
		}},
	}
	for file, want := range tests {
		t.Run(file, func(t *testing.T) {
			if got := parseNetshWlan(readCommand(t, file)); !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestWinWiFiRefusals(t *testing.T) {
	const cmd = "netsh wlan show interfaces"
	t.Run("location permission", func(t *testing.T) {
		f := newFakeRun(t, map[string]string{cmd: "netsh-wlan-location.txt"})
		if _, err := winWiFi(context.Background(), f.env(""), "netsh.exe"); !errors.Is(err, errLocationPermission) {
			t.Errorf("err = %v, want errLocationPermission", err)
		}
	})
	t.Run("no WLAN service is no Wi-Fi", func(t *testing.T) {
		f := newFakeRun(t, map[string]string{cmd: "!exit status 1: The Wireless AutoConfig Service (wlansvc) is not running."})
		got, err := winWiFi(context.Background(), f.env(""), "netsh.exe")
		if err != nil || len(got) != 0 {
			t.Errorf("got %+v, %v; want nothing", got, err)
		}
	})
	t.Run("other failures are errors", func(t *testing.T) {
		f := newFakeRun(t, map[string]string{cmd: "!context deadline exceeded"})
		if _, err := winWiFi(context.Background(), f.env(""), "netsh.exe"); err == nil {
			t.Error("no error")
		}
	})
}

func TestParseRoutePrint(t *testing.T) {
	tests := map[string][]route{
		// The OpenVPN half-route (0.0.0.0/1) and the persistent routes are
		// not default routes in use.
		"route-print.txt": {
			{gw: Gateway{"192.168.1.1", "192.168.1.23"}, metric: 35},
			{gw: Gateway{"fe80::1%12", "Intel(R) Wi-Fi 6 AX201 160MHz"}, metric: 51, v6: true},
		},
		"route-print-de.txt": {
			{gw: Gateway{"10.0.0.254", "10.0.0.17"}, metric: 25},
		},
	}
	for file, want := range tests {
		t.Run(file, func(t *testing.T) {
			if got := parseRoutePrint(readCommand(t, file)); !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestIsWindowsPlaceholderDNS(t *testing.T) {
	tests := map[string]bool{
		"fec0:0:0:ffff::1": true, "fec0:0:0:ffff::3": true,
		"fec0:0:0:ffff::4": false, "fec0::1": false, "2001:db8::1": false, "10.0.0.1": false,
	}
	for s, want := range tests {
		if got := isWindowsPlaceholderDNS(netip.MustParseAddr(s)); got != want {
			t.Errorf("%s: got %v, want %v", s, got, want)
		}
	}
}
