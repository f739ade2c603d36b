package netconf

import "strings"

// vpnProducts are product names as they appear in interface names and
// Windows adapter descriptions, most specific first ("Tailscale" before
// "WireGuard": Tailscale's adapter is described as a WireGuard one on some
// systems, and the product is what IT wants to read).
func vpnProducts() []struct{ substr, kind string } {
	return []struct{ substr, kind string }{
		{"tailscale", "Tailscale"},
		{"zerotier", "ZeroTier"},
		{"netbird", "NetBird"},
		{"nordlynx", "NordVPN"},
		{"mullvad", "Mullvad"},
		{"protonvpn", "ProtonVPN"},
		{"expressvpn", "ExpressVPN"},
		{"cloudflare warp", "Cloudflare WARP"},
		{"cloudflarewarp", "Cloudflare WARP"},
		{"zscaler", "Zscaler"},
		{"wireguard", "WireGuard"},
		{"ovpn-dco", "OpenVPN"},
		{"openvpn", "OpenVPN"},
		{"tap-windows", "OpenVPN"},
		{"tap-win32", "OpenVPN"},
		{"forticlient", "FortiClient"},
		{"fortinet", "FortiClient"},
		{"fortissl", "FortiClient"},
		{"anyconnect", "Cisco AnyConnect"},
		{"cisco secure client", "Cisco AnyConnect"},
		{"cisco systems vpn", "Cisco AnyConnect"},
		{"globalprotect", "GlobalProtect"},
		{"pangp", "GlobalProtect"},
		{"palo alto networks", "GlobalProtect"},
		{"pulse secure", "Ivanti Secure Access"},
		{"ivanti", "Ivanti Secure Access"},
		{"juniper network connect", "Ivanti Secure Access"},
		{"check point", "Check Point"},
		{"checkpoint", "Check Point"},
		{"sonicwall", "SonicWall"},
		{"netextender", "SonicWall"},
		{"softether", "SoftEther"},
		{"hamachi", "Hamachi"},
		{"nebula", "Nebula"},
		{"wintun", "Wintun tunnel"},
		{"wan miniport (ikev2)", "Windows VPN (IKEv2)"},
		{"wan miniport (sstp)", "Windows VPN (SSTP)"},
		{"wan miniport (l2tp)", "Windows VPN (L2TP)"},
		{"wan miniport (pptp)", "Windows VPN (PPTP)"},
		{"strongswan", "IPsec"},
		{"ipsec", "IPsec"},
	}
}

// vpnNamePrefixes are interface name patterns: the prefix followed by a
// number (tun0), or for wg also by "-" or "_" (wg-corp), as WireGuard
// interfaces are named by their users.
func vpnNamePrefixes() []struct{ prefix, kind string } {
	return []struct{ prefix, kind string }{
		{"tailscale", "Tailscale"},
		{"cscotun", "Cisco AnyConnect"},
		{"gpd", "GlobalProtect"},
		{"utun", "utun tunnel"},
		{"ipsec", "IPsec"},
		{"ham", "Hamachi"},
		{"tun", "TUN tunnel"},
		{"tap", "TAP tunnel"},
		{"ppp", "PPP"},
		{"wg", "WireGuard"},
		{"wt", "NetBird"},
		{"zt", "ZeroTier"},
	}
}

// IsVPN guesses from an interface's name and any hints (a Windows adapter
// description or friendly name; gopsutil's interface flags may be passed
// too and are ignored unless they name a product) whether the interface is
// a VPN, and which kind. It is a heuristic:
//
//   - product names ("WireGuard", "TAP-Windows Adapter V9", "PANGP Virtual
//     Ethernet Adapter") are recognised anywhere in the name or hints;
//   - Unix names (tun0, tap1, wg0, ppp0, utun3, ipsec0, tailscale0, zt…)
//     by their prefix followed by a number;
//   - anything else saying "VPN" is a VPN of unknown kind.
//
// Caveats: macOS creates utun0–utun3 for its own services (iCloud Private
// Relay, Back to My Mac) even without a VPN, and ppp is also dial-up and
// some mobile broadband; the caller should weigh these against whether the
// interface is up and carries the default route.
func IsVPN(name string, hints ...string) (kind string, ok bool) {
	lname := strings.ToLower(strings.TrimSpace(name))
	texts := append([]string{lname}, hints...)
	for _, p := range vpnProducts() {
		for _, t := range texts {
			if strings.Contains(strings.ToLower(t), p.substr) {
				return p.kind, true
			}
		}
	}
	for _, p := range vpnNamePrefixes() {
		if rest, found := strings.CutPrefix(lname, p.prefix); found && vpnNameSuffix(p.prefix, rest) {
			return p.kind, true
		}
	}
	for _, t := range texts {
		if strings.Contains(strings.ToLower(t), "vpn") {
			return "VPN", true
		}
	}
	return "", false
}

// vpnNameSuffix says whether what follows a name prefix makes it a tunnel
// name: digits (tun0), or for WireGuard a separator and anything (wg-corp),
// or for ZeroTier its 8–10 character network id (ztc3q5nmle).
func vpnNameSuffix(prefix, rest string) bool {
	switch {
	case rest == "":
		return prefix == "tailscale" || prefix == "wg"
	case prefix == "wg" && (rest[0] == '-' || rest[0] == '_'):
		return len(rest) > 1
	case prefix == "zt" && len(rest) >= 8 && len(rest) <= 10:
		return isAlnum(rest)
	}
	return isDigits(rest)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func isAlnum(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}
