//go:build linux

package netconf

import (
	"context"
	"errors"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

func TestDefaultGatewaysLinux(t *testing.T) {
	tests := map[string][]Gateway{
		"debian": {{"10.20.0.1", "eno1"}, {"fe80::211:22ff:fe33:4455%eno1", "eno1"}},
		// Wired (metric 100) before Wi-Fi (600); docker's and the
		// link-local routes are no defaults.
		"ubuntu":   {{"10.20.0.1", "enp0s31f6"}, {"192.168.1.1", "wlp2s0"}, {"fe80::1%wlp2s0", "wlp2s0"}},
		"fedora":   {{"192.168.178.1", "wlan0"}, {"fe80::3a10:d5ff:fe12:3456%wlan0", "wlan0"}},
		"isolated": {},
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := DefaultGateways(context.Background(), Env{Root: root(name)})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
	t.Run("no routing table", func(t *testing.T) {
		_, err := DefaultGateways(context.Background(), Env{Root: root("stubonly")})
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("err = %v, want a wrapped fs.ErrNotExist", err)
		}
	})
}

func TestDNSConfigLinux(t *testing.T) {
	tests := map[string]DNS{
		"debian": {
			Servers: []string{"10.20.0.53", "10.20.0.54", "2001:db8:20::53"},
			Search:  []string{"corp.example.com", "example.com"},
			Source:  "/etc/resolv.conf",
		},
		"ubuntu": {
			Servers: []string{"192.168.1.1", "fe80::1%3", "10.20.0.53"},
			Search:  []string{"home.arpa", "corp.example.com"},
			Source:  "/run/systemd/resolve/resolv.conf",
			Manager: "systemd-resolved",
			Note:    "/etc/resolv.conf points at the local systemd-resolved stub 127.0.0.53; these are the servers it forwards to",
		},
		"fedora": {
			Servers: []string{"192.168.178.1", "fe80::3a10:d5ff:fe12:3456%wlan0", "2001:db8:178::1"},
			Search:  []string{"lan"},
			Source:  "/etc/resolv.conf",
			Manager: "NetworkManager",
		},
		"stubonly": {
			Servers: []string{"127.0.0.53"},
			Source:  "/etc/resolv.conf",
			Manager: "systemd-resolved",
			Note:    "127.0.0.53 is the local systemd-resolved stub; /run/systemd/resolve/resolv.conf is missing, so its upstream servers are unknown",
		},
		"quirky": {
			Servers: []string{"10.1.1.1", "10.1.1.2", "fe80::1%eth0"},
			Search:  []string{"last.example"},
			Source:  "/etc/resolv.conf",
		},
		"isolated": {Source: "/etc/resolv.conf"},
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := DNSConfig(context.Background(), Env{Root: root(name)})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
			servers, search, err := DNSServers(context.Background(), Env{Root: root(name)})
			if err != nil || !slices.Equal(servers, want.Servers) || !slices.Equal(search, want.Search) {
				t.Errorf("DNSServers = %q, %q, %v", servers, search, err)
			}
		})
	}
	t.Run("no resolv.conf", func(t *testing.T) {
		if _, err := DNSConfig(context.Background(), Env{Root: t.TempDir()}); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("err = %v, want a wrapped fs.ErrNotExist", err)
		}
	})
}

func TestWiFiStatusLinux(t *testing.T) {
	tests := map[string]struct {
		root    string
		outputs map[string]string
		want    []WiFi
		wantErr bool
	}{
		"iw, signal from the driver": {
			root:    "ubuntu",
			outputs: map[string]string{"iw dev wlp2s0 link": "iw-link-connected.txt"},
			want: []WiFi{{
				Interface: "wlp2s0", Connected: true, SSID: "Corp WiFi 5G", BSSID: "00:11:22:33:44:55",
				SignalPercent: 77, SignalDBm: -56, FrequencyMHz: 5180, Channel: 36, TxRateMbps: 780, Source: "iw",
			}},
		},
		"iw, not connected": {
			root:    "fedora",
			outputs: map[string]string{"iw dev wlan0 link": "iw-link-disconnected.txt"},
			want:    []WiFi{{Interface: "wlan0", Source: "iw"}},
		},
		"no iw: nmcli": {
			root:    "fedora",
			outputs: map[string]string{"nmcli -t -f ACTIVE,SSID,SIGNAL,CHAN,SECURITY,DEVICE dev wifi list --rescan no": "nmcli-wifi.txt"},
			want: []WiFi{{
				Interface: "wlan0", Connected: true, SSID: "FRITZ!Box 7590 XY", SignalPercent: 74, SignalDBm: -63,
				Channel: 44, Security: "WPA2 WPA3", Source: "nmcli",
			}},
		},
		"no tools: the driver's signal and an error": {
			root: "ubuntu",
			want: []WiFi{{
				Interface: "wlp2s0", Connected: true, SignalPercent: 77, SignalDBm: -56, Source: "proc/net/wireless",
			}},
			wantErr: true,
		},
		"no Wi-Fi": {root: "debian", want: []WiFi{}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFakeRun(t, tt.outputs)
			got, err := WiFiStatus(context.Background(), f.env(root(tt.root)))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestNeighborLinux(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "proc", "net"), 0o755); err != nil {
		t.Fatal(err)
	}
	arp := "IP address       HW type     Flags       HW address            Mask     Device\n" +
		"192.168.1.1      0x1         0x2         a4:b1:c1:11:22:33     *        wlan0\n"
	if err := os.WriteFile(filepath.Join(dir, "proc", "net", "arp"), []byte(arp), 0o644); err != nil {
		t.Fatal(err)
	}
	env := Env{Root: dir}
	if hw, err := Neighbor(context.Background(), env, netip.MustParseAddr("192.168.1.1")); hw != "a4:b1:c1:11:22:33" || err != nil {
		t.Errorf("known router: %q, %v", hw, err)
	}
	if hw, err := Neighbor(context.Background(), env, netip.MustParseAddr("192.168.1.2")); hw != "" || err != nil {
		t.Errorf("unknown address: %q, %v", hw, err)
	}
	if _, err := Neighbor(context.Background(), Env{Root: t.TempDir()}, netip.MustParseAddr("192.168.1.1")); err == nil {
		t.Error("no error without an ARP table")
	}
}
