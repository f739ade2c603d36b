package netconf

// Parsers of Windows command output. They are plain Go, without an OS
// suffix, so the tests on Linux exercise them with recorded outputs; the
// _windows.go files call them.
//
// netsh and route print in the language of the Windows installation;
// LANG=C does not change that. The parsers therefore rely on the layout and
// on labels that are not translated (SSID, BSSID, GUID, addresses) rather
// than on English words, and say so where they cannot.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// errLocationPermission is netsh's refusal since Windows 11 24H2 when the
// calling process lacks the location permission.
var errLocationPermission = errors.New("Windows refuses to show Wi-Fi details without the location permission")

// winWiFi runs `netsh wlan show interfaces` (netsh is the full path of
// netsh.exe).
func winWiFi(ctx context.Context, env Env, netsh string) ([]WiFi, error) {
	out, err := env.run(ctx, netsh, "wlan", "show", "interfaces")
	if err != nil {
		// A machine without the WLAN service answers with an error; that
		// is a machine without Wi-Fi.
		if strings.Contains(strings.ToLower(string(out)+err.Error()), "wlansvc") {
			return nil, nil
		}
		if isLocationRefusal(out) {
			return nil, errLocationPermission
		}
		return nil, fmt.Errorf("reading the Wi-Fi status: %w", err)
	}
	if isLocationRefusal(out) {
		return nil, errLocationPermission
	}
	return parseNetshWlan(out), nil
}

func isLocationRefusal(out []byte) bool {
	s := strings.ToLower(string(out))
	return strings.Contains(s, "location permission") || strings.Contains(s, "ms-settings:privacy-location")
}

// parseNetshWlan reads `netsh wlan show interfaces`: one block of
// "Label : value" lines per interface, blocks separated by blank lines.
//
//	Name                   : Wi-Fi
//	Description            : Intel(R) Wi-Fi 6 AX201 160MHz
//	GUID                   : 5f1d2a33-0c4f-4f4b-9c3e-0f2d6b1b9c11
//	Physical address       : a4:b1:c1:11:22:33
//	State                  : connected
//	SSID                   : CorpWiFi
//	BSSID                  : 00:11:22:33:44:55
//	Channel                : 36
//	Receive rate (Mbps)    : 1201
//	Transmit rate (Mbps)   : 1201
//	Signal                 : 92%
//
// A block is an interface if it has a GUID; its first line is the name,
// whatever the label's language. Connected is read from an SSID being
// present, which netsh shows only while associated.
func parseNetshWlan(out []byte) []WiFi {
	var list []WiFi
	var block [][2]string
	flush := func() {
		if w, ok := netshBlock(block); ok {
			list = append(list, w)
		}
		block = nil
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			flush()
			continue
		}
		k, v, ok := strings.Cut(line, " : ")
		if !ok {
			k, v, ok = strings.Cut(line, ":")
		}
		if !ok {
			continue
		}
		block = append(block, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
	}
	flush()
	return list
}

func netshBlock(block [][2]string) (WiFi, bool) {
	w := WiFi{Source: "netsh"}
	isIface := false
	for i, kv := range block {
		k, v := kv[0], kv[1]
		if i == 0 {
			w.Interface = v
		}
		switch strings.ToLower(k) {
		case "guid":
			isIface = true
		case "ssid":
			if !hiddenSSID(v) {
				w.SSID, w.Connected = v, true
			}
		case "bssid", "ap bssid":
			if w.BSSID == "" {
				w.BSSID = v
			}
		case "signal", "señal", "sinal", "segnale":
			w.SignalPercent, _ = leadingInt(v)
		case "rssi":
			w.SignalDBm, _ = leadingInt(v)
		case "channel", "kanal", "canal", "canale":
			w.Channel, _ = leadingInt(v)
		case "authentication", "authentifizierung", "authentification", "autenticación":
			w.Security = v
		case "transmit rate (mbps)", "übertragungsrate (mbit/s)":
			w.TxRateMbps, _ = leadingFloat(v)
		}
	}
	if !isIface || w.Interface == "" {
		return WiFi{}, false
	}
	w.complete()
	return w, true
}

// parseRoutePrint reads the default routes of `route print`. The output is
// a sequence of tables between lines of "=", each titled in the local
// language; the active routes of each family are the table right after the
// one whose title names the family ("IPv4 Route Table"), and the table after
// that (persistent routes) lists configuration, not routes in use.
//
//	Network Destination        Netmask          Gateway       Interface  Metric
//	          0.0.0.0          0.0.0.0      192.168.1.1    192.168.1.23     35
//
//	 If Metric Network Destination      Gateway
//	 12     51 ::/0                     fe80::1
//
// IPv4 rows name the interface by its address, IPv6 rows by its index,
// which the "Interface List" at the top maps to the adapter's description.
func parseRoutePrint(out []byte) []route {
	blocks := splitBlocks(out)
	ifaces := map[string]string{}
	var routes []route
	for i, b := range blocks {
		if len(b) == 0 {
			continue
		}
		// A title is the block's last line: the IPv6 title shares its block
		// with the IPv4 persistent routes when those are "None".
		title := b[len(b)-1]
		switch {
		case i+1 < len(blocks) && strings.Contains(title, "IPv4"):
			routes = append(routes, routePrintV4(blocks[i+1])...)
		case i+1 < len(blocks) && strings.Contains(title, "IPv6"):
			routes = append(routes, routePrintV6(blocks[i+1], ifaces)...)
		default:
			interfaceList(b, ifaces)
		}
	}
	return routes
}

// splitBlocks splits output at lines of "=" into blocks of non-empty lines.
func splitBlocks(out []byte) [][]string {
	var blocks [][]string
	var cur []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "=====") && strings.Trim(line, "=") == "":
			blocks = append(blocks, cur)
			cur = nil
		case line != "":
			cur = append(cur, line)
		}
	}
	return append(blocks, cur)
}

// interfaceList records the rows of route print's "Interface List":
//
//	12...a4 b1 c1 11 22 33 ......Intel(R) Wi-Fi 6 AX201 160MHz
//	 1...........................Software Loopback Interface 1
func interfaceList(lines []string, ifaces map[string]string) {
	for _, l := range lines {
		idx, rest, ok := strings.Cut(l, "...")
		if !ok {
			continue
		}
		if _, err := strconv.Atoi(strings.TrimSpace(idx)); err != nil {
			continue
		}
		// The description follows the last run of dots.
		if j := strings.LastIndex(rest, ".."); j >= 0 {
			rest = rest[j+2:]
		}
		ifaces[strings.TrimSpace(idx)] = strings.TrimLeft(strings.TrimSpace(rest), ".")
	}
}

func routePrintV4(lines []string) []route {
	var routes []route
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) != 5 || f[0] != "0.0.0.0" || f[1] != "0.0.0.0" {
			continue
		}
		gw, err := netip.ParseAddr(f[2])
		metric, merr := strconv.ParseInt(f[4], 10, 64)
		if err != nil || merr != nil || !gw.Is4() || gw.IsUnspecified() {
			continue // "On-link": no router
		}
		routes = append(routes, route{gw: Gateway{Address: gw.String(), Interface: f[3]}, metric: metric})
	}
	return routes
}

func routePrintV6(lines []string, ifaces map[string]string) []route {
	var routes []route
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) != 4 || f[2] != "::/0" {
			continue
		}
		metric, merr := strconv.ParseInt(f[1], 10, 64)
		gw, err := netip.ParseAddr(f[3])
		if _, ierr := strconv.Atoi(f[0]); ierr != nil || merr != nil || err != nil || gw.IsUnspecified() {
			continue
		}
		iface := ifaces[f[0]]
		if iface == "" {
			iface = f[0]
		}
		// The zone must be the index: that is what Windows resolves.
		if gw.IsLinkLocalUnicast() && gw.Zone() == "" {
			gw = gw.WithZone(f[0])
		}
		routes = append(routes, route{gw: Gateway{Address: gw.String(), Interface: iface}, metric: metric, v6: true})
	}
	return routes
}

// isWindowsPlaceholderDNS reports fec0:0:0:ffff::1 to ::3, the deprecated
// site-local servers Windows lists on adapters without IPv6 DNS.
func isWindowsPlaceholderDNS(ip netip.Addr) bool {
	b := ip.As16()
	prefix := [14]byte{0xfe, 0xc0, 0, 0, 0, 0, 0xff, 0xff}
	return ip.Is6() && [14]byte(b[:14]) == prefix && b[14] == 0 && b[15] >= 1 && b[15] <= 3
}
