package netconf

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
)

// Wi-Fi tools of macOS, by absolute path.
const (
	macWdutil         = "/usr/bin/wdutil"
	macAirport        = "/System/Library/PrivateFrameworks/Apple80211.framework/Versions/Current/Resources/airport"
	macSystemProfiler = "/usr/sbin/system_profiler"
)

// macWiFi tries the sources from the quickest and most complete to the
// slowest: wdutil (macOS 13+, needs root, so it works in the service), the
// airport tool (gone in macOS 14.4), then system_profiler (works as any
// user, takes a few seconds). Since macOS 14.4 the network name is hidden
// from processes without the location permission; it then stays empty.
func macWiFi(ctx context.Context, env Env) ([]WiFi, error) {
	var errs []error
	if out, err := env.run(ctx, macWdutil, "info"); err == nil {
		if w, ok := parseWdutilInfo(out); ok {
			return []WiFi{w}, nil
		}
	} else {
		errs = append(errs, err)
	}
	if out, err := env.run(ctx, macAirport, "-I"); err == nil {
		if w, ok := parseAirportI(out); ok {
			return []WiFi{w}, nil
		}
	} else {
		errs = append(errs, err)
	}
	out, err := env.run(ctx, macSystemProfiler, "SPAirPortDataType")
	if err != nil {
		return nil, fmt.Errorf("reading the Wi-Fi status: %w", errors.Join(append(errs, err)...))
	}
	return parseSystemProfilerAirPort(out), nil
}

// parseWdutilInfo reads the WIFI section of `wdutil info`:
//
//	WIFI
//	————————————————
//	    Interface Name       : en0
//	    SSID                 : CorpWiFi
//	    RSSI                 : -52 dBm
//	    Channel              : 5g36/80
//
// ok is false when the output has no WIFI section with an interface.
func parseWdutilInfo(out []byte) (WiFi, bool) {
	w := WiFi{Source: "wdutil"}
	inWiFi := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if isSectionTitle(line) {
			inWiFi = line == "WIFI"
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !inWiFi || !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "Interface Name":
			w.Interface = v
		case "SSID":
			if !hiddenSSID(v) {
				w.SSID = v
			}
		case "BSSID":
			if !hiddenSSID(v) {
				w.BSSID = v
			}
		case "RSSI":
			w.SignalDBm, _ = leadingInt(v)
		case "Noise":
			w.NoiseDBm, _ = leadingInt(v)
		case "Tx Rate":
			w.TxRateMbps, _ = leadingFloat(v)
		case "Security":
			if !strings.EqualFold(v, "none") {
				w.Security = v
			}
		case "Channel":
			w.Channel = macChannel(v)
		}
	}
	if w.Interface == "" {
		return WiFi{}, false
	}
	w.Connected = w.SignalDBm < 0 || w.SSID != "" || w.BSSID != ""
	w.complete()
	return w, true
}

// isSectionTitle recognises wdutil's section titles: a line of capitals.
func isSectionTitle(line string) bool {
	if line == "" || strings.ContainsAny(line, ":") {
		return false
	}
	for _, r := range line {
		if !(r >= 'A' && r <= 'Z' || r == ' ' || r == '-') {
			return false
		}
	}
	return true
}

// macChannel reads a channel as the Mac tools print it: "36", "5g36/80",
// "36,80", "36 (5GHz, 80MHz)".
func macChannel(v string) int {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, 'g'); i >= 0 && i < 3 {
		v = v[i+1:]
	}
	n, _ := leadingInt(v)
	return max(n, 0)
}

// parseAirportI reads `airport -I`:
//
//	 agrCtlRSSI: -52
//	agrCtlNoise: -94
//	      state: running
//	 lastTxRate: 866
//	      BSSID: 0:11:22:33:44:55
//	       SSID: CorpWiFi
//	    channel: 36,80
//
// The tool does not name the interface; it is the Mac's Wi-Fi, which is en0
// on every laptop but is left empty rather than guessed. ok is false when
// the output says the Wi-Fi is off or is not airport's.
func parseAirportI(out []byte) (WiFi, bool) {
	w := WiFi{Source: "airport"}
	seen := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "agrCtlRSSI":
			w.SignalDBm, _ = leadingInt(v)
			seen = true
		case "agrCtlNoise":
			w.NoiseDBm, _ = leadingInt(v)
		case "state":
			w.Connected = v == "running"
			seen = true
		case "lastTxRate":
			w.TxRateMbps, _ = leadingFloat(v)
		case "BSSID":
			w.BSSID = v
		case "SSID":
			if !hiddenSSID(v) {
				w.SSID = v
			}
		case "link auth":
			w.Security = v
		case "channel":
			w.Channel = macChannel(v)
		}
	}
	if !seen {
		return WiFi{}, false
	}
	w.complete()
	return w, true
}

// parseSystemProfilerAirPort reads `system_profiler SPAirPortDataType`, an
// indented outline:
//
//	Interfaces:
//	  en0:
//	    Status: Connected
//	    Current Network Information:
//	      CorpWiFi:
//	        Channel: 36 (5GHz, 80MHz)
//	        Security: WPA2 Personal
//	        Signal / Noise: -52 dBm / -94 dBm
//	        Transmit Rate: 866
//	    Other Local Wi-Fi Networks:
//
// Interfaces are the entries one level below "Interfaces:"; the current
// network is the single entry below "Current Network Information:", named
// by its SSID.
func parseSystemProfilerAirPort(out []byte) []WiFi {
	var list []WiFi
	var cur *WiFi
	ifacesIndent, ifaceIndent, currentIndent, netIndent := -1, -1, -1, -1
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		indent := len(raw) - len(strings.TrimLeft(raw, " \t"))
		k, v, _ := strings.Cut(line, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)

		// Leaving a block: its indentation or less.
		if netIndent >= 0 && indent <= netIndent {
			netIndent = -1
		}
		if currentIndent >= 0 && indent <= currentIndent {
			currentIndent = -1
		}
		if ifaceIndent >= 0 && indent <= ifaceIndent {
			ifaceIndent, cur = -1, nil
		}
		if ifacesIndent >= 0 && indent <= ifacesIndent {
			ifacesIndent = -1
		}

		switch {
		case ifacesIndent < 0 && k == "Interfaces" && v == "":
			ifacesIndent = indent
		case ifacesIndent >= 0 && ifaceIndent < 0 && v == "" && strings.HasSuffix(line, ":"):
			ifaceIndent = indent
			list = append(list, WiFi{Interface: k, Source: "system_profiler"})
			cur = &list[len(list)-1]
		case cur == nil:
			// Outside an interface: software versions and the like.
		case currentIndent < 0 && netIndent < 0 && k == "Current Network Information" && v == "":
			currentIndent = indent
		case currentIndent >= 0 && netIndent < 0 && strings.HasSuffix(line, ":"):
			// The SSID itself may contain colons; only the last one ends it.
			netIndent = indent
			cur.Connected = true
			if ssid := strings.TrimSuffix(line, ":"); !hiddenSSID(ssid) {
				cur.SSID = ssid
			}
		case netIndent >= 0:
			spNetworkField(cur, k, v)
		case k == "Status":
			cur.Connected = cur.Connected || v == "Connected"
		}
	}
	// Only real Wi-Fi interfaces: awdl0 and llw0 (AirDrop) are listed too
	// but never have a network or a "Status".
	out2 := list[:0]
	for _, w := range list {
		if strings.HasPrefix(w.Interface, "awdl") || strings.HasPrefix(w.Interface, "llw") {
			continue
		}
		w.complete()
		out2 = append(out2, w)
	}
	return out2
}

// spNetworkField stores one field of system_profiler's current network.
func spNetworkField(w *WiFi, k, v string) {
	switch k {
	case "Channel":
		w.Channel = macChannel(v)
	case "Security":
		w.Security = v
	case "Signal / Noise":
		s, n, _ := strings.Cut(v, "/")
		w.SignalDBm, _ = leadingInt(s)
		w.NoiseDBm, _ = leadingInt(n)
	case "Transmit Rate":
		w.TxRateMbps, _ = leadingFloat(v)
	case "BSSID":
		w.BSSID = v
	}
}
