package netconf

import (
	"context"
	"reflect"
	"slices"
	"testing"
)

func TestMacGateways(t *testing.T) {
	const (
		get4 = "route -n get default"
		get6 = "route -n get -inet6 default"
		ns   = "netstat -rn"
	)
	notInTable := "!exit status 1: route: writing to routing socket: not in table"
	tests := map[string]struct {
		outputs   map[string]string
		want      []Gateway
		wantCalls []string
	}{
		"route get, both families": {
			outputs:   map[string]string{get4: "route-get-default.txt", get6: "route-get-default-inet6.txt"},
			want:      []Gateway{{"192.168.1.1", "en0"}, {"fe80::1a2b:3cff:fe4d:5e6f%en0", "en0"}},
			wantCalls: []string{get4, get6},
		},
		"IPv4 only": {
			outputs:   map[string]string{get4: "route-get-default.txt", get6: notInTable},
			want:      []Gateway{{"192.168.1.1", "en0"}},
			wantCalls: []string{get4, get6},
		},
		"a VPN's interface route has no router: netstat": {
			outputs:   map[string]string{get4: "route-get-default-vpn.txt", get6: notInTable, ns: "netstat-rn.txt"},
			want:      []Gateway{{"192.168.1.1", "en0"}, {"fe80::1a2b:3cff:fe4d:5e6f%en0", "en0"}},
			wantCalls: []string{get4, get6, ns},
		},
		"no default route at all": {
			outputs:   map[string]string{get4: notInTable, get6: notInTable, ns: "netstat-rn-old.txt"},
			want:      []Gateway{{"10.0.1.1", "en1"}},
			wantCalls: []string{get4, get6, ns},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFakeRun(t, tt.outputs)
			got, err := macGateways(context.Background(), f.env(""))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if calls := f.called(); !slices.Equal(calls, tt.wantCalls) {
				t.Errorf("ran %q, want %q", calls, tt.wantCalls)
			}
		})
	}
	t.Run("nothing works", func(t *testing.T) {
		f := newFakeRun(t, nil)
		if got, err := macGateways(context.Background(), f.env("")); err == nil {
			t.Errorf("got %+v and no error", got)
		}
	})
}

func TestParseNetstatRnIgnoresScopedAndLinkRoutes(t *testing.T) {
	got := parseNetstatRn(readCommand(t, "netstat-rn.txt"))
	// The utun rows are scoped to their tunnel (flag I); link#19 is no
	// address either.
	want := []route{
		{gw: Gateway{"192.168.1.1", "en0"}, metric: 0},
		{gw: Gateway{"fe80::1a2b:3cff:fe4d:5e6f%en0", "en0"}, metric: 1, v6: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestMacDNS(t *testing.T) {
	tests := map[string]struct {
		outputs map[string]string
		want    DNS
	}{
		"default resolvers only, in order, without duplicates": {
			outputs: map[string]string{"scutil --dns": "scutil-dns.txt"},
			want: DNS{
				Servers: []string{"10.0.0.53", "fe80::1%en0", "192.168.1.1"},
				Search:  []string{"corp.example.com", "example.com"},
				Source:  "scutil --dns",
			},
		},
		"only mDNS": {
			outputs: map[string]string{"scutil --dns": "scutil-dns-none.txt"},
			want:    DNS{Source: "scutil --dns"},
		},
		"scutil fails: resolv.conf": {
			outputs: map[string]string{"scutil --dns": "!signal: killed"},
			want: DNS{
				Servers: []string{"10.20.0.53", "10.20.0.54", "2001:db8:20::53"},
				Search:  []string{"corp.example.com", "example.com"},
				Source:  "/etc/resolv.conf",
				Note:    "scutil failed, so this is /etc/resolv.conf, which may lag behind: running scutil: signal: killed",
			},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := macDNS(context.Background(), newFakeRun(t, tt.outputs).env(root("debian")))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestMacWiFi(t *testing.T) {
	const (
		wd = "wdutil info"
		ap = "airport -I"
		sp = "system_profiler SPAirPortDataType"
	)
	tests := map[string]struct {
		outputs map[string]string
		want    []WiFi
	}{
		"wdutil as root": {
			outputs: map[string]string{wd: "wdutil-info.txt"},
			want: []WiFi{{
				Interface: "en0", Connected: true, SSID: "Corp WiFi", BSSID: "00:11:22:33:44:55",
				SignalPercent: 96, SignalDBm: -52, NoiseDBm: -94, Channel: 36, TxRateMbps: 866,
				Security: "WPA2 Enterprise", Source: "wdutil",
			}},
		},
		"wdutil, Wi-Fi off": {
			outputs: map[string]string{wd: "wdutil-info-off.txt"},
			want:    []WiFi{{Interface: "en0", Source: "wdutil"}},
		},
		"not root: airport": {
			outputs: map[string]string{wd: "!exit status 1: wdutil: must be run as root", ap: "airport-I.txt"},
			want: []WiFi{{
				Connected: true, SSID: "home: upstairs", BSSID: "0:11:22:33:44:55", SignalPercent: 78,
				SignalDBm: -61, NoiseDBm: -92, Channel: 44, TxRateMbps: 405, Security: "wpa2-psk", Source: "airport",
			}},
		},
		"airport deprecated: system_profiler, name hidden": {
			outputs: map[string]string{ap: "airport-deprecated.txt", sp: "system-profiler-airport.txt"},
			want: []WiFi{{
				Interface: "en0", Connected: true, SignalPercent: 84, SignalDBm: -58, NoiseDBm: -93,
				Channel: 36, TxRateMbps: 780, Security: "WPA2 Personal", Source: "system_profiler",
			}},
		},
		"system_profiler, two cards, a colon in the name": {
			outputs: map[string]string{sp: "system-profiler-airport-ssid.txt"},
			want: []WiFi{
				{
					Interface: "en0", Connected: true, SSID: "Office: 2nd floor", SignalPercent: 66, SignalDBm: -67,
					NoiseDBm: -90, Channel: 6, TxRateMbps: 144, Security: "WPA2 Enterprise", Source: "system_profiler",
				},
				{Interface: "en1", Source: "system_profiler"},
			},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := macWiFi(context.Background(), newFakeRun(t, tt.outputs).env(""))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
