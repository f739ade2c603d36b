package netconf

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
)

// wextSignal is one row of /proc/net/wireless.
type wextSignal struct {
	iface   string
	percent int // link quality scaled to 0–100
	dbm     int // signal level, 0 when unknown
	noise   int // noise level, 0 when unknown
}

// parseProcWireless reads /proc/net/wireless (wireless extensions, which
// cfg80211 drivers still fill in):
//
//	Inter-| sta-|   Quality        |   Discarded packets               | Missed | WE
//	 face | tus | link level noise |  nwid  crypt   frag  retry   misc | beacon | 22
//	wlp2s0: 0000   54.  -56.  -256        0      0      0      0     38        0
//
// Link quality is out of 70 for cfg80211 drivers. The level is in dBm
// when negative; the noise of -256 means "not measured".
func parseProcWireless(data []byte) []wextSignal {
	var out []wextSignal
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, "|") {
			continue
		}
		f := strings.Fields(rest)
		if len(f) < 4 {
			continue
		}
		s := wextSignal{iface: name}
		if q, ok := wextNumber(f[1]); ok && q > 0 {
			s.percent = min(100, q*100/70)
		}
		if l, ok := wextNumber(f[2]); ok && l < 0 && l > -256 {
			s.dbm = l
		}
		if n, ok := wextNumber(f[3]); ok && n < 0 && n > -256 {
			s.noise = n
		}
		out = append(out, s)
	}
	return out
}

// wextNumber parses "54.", "-56." or "-256" (the dot marks an updated value).
func wextNumber(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSuffix(s, "."))
	return n, err == nil
}

// parseIwLink reads `iw dev IFACE link`:
//
//	Connected to 00:11:22:33:44:55 (on wlp2s0)
//		SSID: CorpWiFi
//		freq: 5180
//		signal: -56 dBm
//		tx bitrate: 866.7 MBit/s VHT-MCS 9 80MHz short GI VHT-NSS 2
//
// or "Not connected.". It fills what it finds into w.
func parseIwLink(out []byte, w *WiFi) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "Connected to "); ok {
			w.Connected = true
			if f := strings.Fields(rest); len(f) > 0 {
				w.BSSID = f[0]
			}
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch k {
		case "SSID":
			// The SSID keeps its spaces, only the one after the colon goes.
			w.SSID = strings.TrimPrefix(v, " ")
		case "freq":
			f, _ := leadingFloat(v)
			w.FrequencyMHz = int(f)
		case "signal":
			w.SignalDBm, _ = leadingInt(v)
		case "tx bitrate":
			w.TxRateMbps, _ = leadingFloat(v)
		}
	}
}

// nmcliWiFi is one row of nmcli's list of access points.
type nmcliWiFi struct {
	active   bool
	ssid     string
	signal   int
	channel  int
	device   string
	security string
}

// nmcliFields is what is asked of `nmcli -t -f FIELDS dev wifi list`, in
// the order parseNmcliWiFi expects.
const nmcliFields = "ACTIVE,SSID,SIGNAL,CHAN,SECURITY,DEVICE"

// parseNmcliWiFi reads nmcli's terse output, one access point a line,
// fields separated by ':' with literal colons and backslashes escaped:
//
//	yes:Corp\:WiFi:92:36:WPA2 802.1X:wlp2s0
func parseNmcliWiFi(out []byte) []nmcliWiFi {
	var list []nmcliWiFi
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := splitTerse(sc.Text())
		if len(f) != 6 {
			continue
		}
		sig, _ := strconv.Atoi(f[2])
		ch, _ := strconv.Atoi(f[3])
		list = append(list, nmcliWiFi{
			active:   f[0] == "yes",
			ssid:     f[1],
			signal:   min(max(sig, 0), 100),
			channel:  max(ch, 0),
			security: f[4],
			device:   f[5],
		})
	}
	return list
}

// splitTerse splits a line of nmcli -t output at unescaped colons.
func splitTerse(line string) []string {
	var fields []string
	var b strings.Builder
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\\' && i+1 < len(line):
			i++
			b.WriteByte(line[i])
		case c == ':':
			fields = append(fields, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(fields, b.String())
}
