package netconf

import (
	"strconv"
	"strings"
)

// WiFi is the state of one wireless interface.
type WiFi struct {
	Interface string `json:"interface"`
	// Connected says whether the interface is associated with a network.
	Connected bool `json:"connected"`
	// SSID is the network's name. It is empty when not connected, and on
	// recent macOS when the process may not see it (Apple hides it without
	// the location permission).
	SSID  string `json:"ssid,omitempty" redact:"wifi-ssid"`
	BSSID string `json:"bssid,omitempty" redact:"macs"`
	// SignalPercent is the signal quality 0–100 as the OS shows it; when
	// the OS gives only dBm it is derived the way Windows does (-50 dBm and
	// better is 100 %, -100 dBm is 0 %).
	SignalPercent int `json:"signal_percent,omitempty"`
	// SignalDBm is the received signal strength; when the OS gives only a
	// percentage it is derived by the inverse of the rule above.
	SignalDBm    int     `json:"signal_dbm,omitempty"`
	NoiseDBm     int     `json:"noise_dbm,omitempty"`
	Channel      int     `json:"channel,omitempty"`
	FrequencyMHz int     `json:"frequency_mhz,omitempty"`
	TxRateMbps   float64 `json:"tx_rate_mbps,omitempty"`
	Security     string  `json:"security,omitempty"`
	// Source names what the facts were read from ("iw", "nmcli",
	// "proc/net/wireless", "netsh", "wdutil", ...).
	Source string `json:"source,omitempty"`
}

// complete fills the values that follow from others: the percentage from
// dBm or the reverse, and the channel from the frequency.
func (w *WiFi) complete() {
	w.SignalPercent = min(100, max(0, w.SignalPercent))
	if w.SignalDBm > 0 {
		w.SignalDBm = 0 // not a dBm reading
	}
	switch {
	case w.SignalPercent == 0 && w.SignalDBm < 0:
		w.SignalPercent = percentFromDBm(w.SignalDBm)
	case w.SignalDBm == 0 && w.SignalPercent > 0:
		w.SignalDBm = w.SignalPercent/2 - 100
	}
	if w.Channel == 0 && w.FrequencyMHz > 0 {
		w.Channel = channelOf(w.FrequencyMHz)
	}
}

func percentFromDBm(dbm int) int {
	return min(100, max(0, 2*(dbm+100)))
}

// channelOf maps a frequency to its IEEE 802.11 channel number.
func channelOf(mhz int) int {
	switch {
	case mhz == 2484:
		return 14
	case mhz >= 2412 && mhz < 2484:
		return (mhz - 2407) / 5
	case mhz >= 5955 && mhz <= 7115: // 6 GHz
		return (mhz - 5950) / 5
	case mhz >= 5000 && mhz < 5955:
		return (mhz - 5000) / 5
	}
	return 0
}

// leadingInt parses the integer at the start of s ("-56 dBm", "92%",
// "-56."), ignoring what follows.
func leadingInt(s string) (int, bool) {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || end == 0 && (s[end] == '-' || s[end] == '+')) {
		end++
	}
	n, err := strconv.Atoi(s[:end])
	return n, err == nil
}

// leadingFloat parses the decimal number at the start of s ("866.7 MBit/s").
func leadingFloat(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.') {
		end++
	}
	f, err := strconv.ParseFloat(s[:end], 64)
	return f, err == nil
}

// hiddenSSID says whether an SSID value is a placeholder for "unknown".
func hiddenSSID(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "<redacted>", "<ssid redacted>", "none", "<none>":
		return true
	}
	return false
}
