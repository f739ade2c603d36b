package netconf

import "testing"

func TestIsVPN(t *testing.T) {
	tests := []struct {
		name  string
		hints []string
		kind  string
		ok    bool
	}{
		{"tun0", nil, "TUN tunnel", true},
		{"tap3", nil, "TAP tunnel", true},
		{"wg0", nil, "WireGuard", true},
		{"wg-corp", nil, "WireGuard", true},
		{"ppp0", []string{"up", "pointtopoint", "multicast"}, "PPP", true},
		{"utun4", nil, "utun tunnel", true},
		{"ipsec0", nil, "IPsec", true},
		{"tailscale0", nil, "Tailscale", true},
		{"ztc3q5nmle", nil, "ZeroTier", true},
		{"cscotun0", nil, "Cisco AnyConnect", true},
		{"gpd0", nil, "GlobalProtect", true},
		{"wt0", nil, "NetBird", true},
		{"nordlynx", nil, "NordVPN", true},
		// Windows: friendly names say little, descriptions say the product.
		{"Ethernet 3", []string{"TAP-Windows Adapter V9"}, "OpenVPN", true},
		{"OpenVPN Data Channel Offload", []string{"ovpn-dco"}, "OpenVPN", true},
		{"Corp", []string{"WireGuard Tunnel"}, "WireGuard", true},
		{"Tailscale", []string{"Tailscale Tunnel"}, "Tailscale", true},
		{"Ethernet 4", []string{"Fortinet SSL VPN Virtual Ethernet Adapter"}, "FortiClient", true},
		{"Ethernet 5", []string{"Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter for Windows x64"}, "Cisco AnyConnect", true},
		{"Ethernet 6", []string{"PANGP Virtual Ethernet Adapter Secure"}, "GlobalProtect", true},
		{"ZeroTier One [8056c2e21c000001]", []string{"ZeroTier Virtual Port"}, "ZeroTier", true},
		{"Corp VPN", []string{"WAN Miniport (IKEv2)"}, "Windows VPN (IKEv2)", true},
		{"Ethernet 7", []string{"SonicWall NetExtender Adapter"}, "SonicWall", true},
		{"Ethernet 8", []string{"Some Vendor VPN Adapter"}, "VPN", true},
		// Not VPNs, though some look alike.
		{"eth0", []string{"up", "broadcast", "multicast"}, "", false},
		{"wlan0", nil, "", false},
		{"tunl0", nil, "", false}, // IP-in-IP, no VPN
		{"tun", nil, "", false},
		{"tapestry", nil, "", false},
		{"wgx", nil, "", false},
		{"docker0", nil, "", false},
		{"lo", []string{"loopback"}, "", false},
		{"Wi-Fi", []string{"Intel(R) Wi-Fi 6 AX201 160MHz"}, "", false},
		{"Ethernet", []string{"Realtek PCIe GbE Family Controller"}, "", false},
		{"Local Area Connection* 2", []string{"Microsoft Wi-Fi Direct Virtual Adapter"}, "", false},
		{"zt", nil, "", false},
		{"ztunnel0", nil, "", false},
	}
	for _, tt := range tests {
		kind, ok := IsVPN(tt.name, tt.hints...)
		if kind != tt.kind || ok != tt.ok {
			t.Errorf("IsVPN(%q, %q) = %q, %v; want %q, %v", tt.name, tt.hints, kind, ok, tt.kind, tt.ok)
		}
	}
}
