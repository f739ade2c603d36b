package netconf

import (
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// addSeeds adds the files matching the glob patterns under testdata.
func addSeeds(f *testing.F, patterns ...string) {
	f.Helper()
	for _, p := range patterns {
		files, err := filepath.Glob(filepath.Join("testdata", p))
		if err != nil || len(files) == 0 {
			f.Fatalf("no seeds for %s: %v", p, err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
}

func checkRoutes(t *testing.T, rs []route) {
	t.Helper()
	for _, r := range rs {
		a, err := netip.ParseAddr(r.gw.Address)
		if err != nil || a.IsUnspecified() {
			t.Fatalf("gateway %q is no router address (%v)", r.gw.Address, err)
		}
	}
	gws := sortRoutes(rs)
	for i, g := range gws {
		if slices.Contains(gws[:i], g) {
			t.Fatalf("gateway %+v listed twice", g)
		}
	}
}

func checkDNS(t *testing.T, servers, search []string) {
	t.Helper()
	for i, s := range servers {
		if _, err := netip.ParseAddr(s); err != nil || slices.Contains(servers[:i], s) {
			t.Fatalf("server %q invalid or repeated (%v)", s, err)
		}
	}
	for _, d := range search {
		if d == "" || strings.HasSuffix(d, ".") || strings.ContainsAny(d, " \t\n") {
			t.Fatalf("search domain %q", d)
		}
	}
}

func checkWiFi(t *testing.T, ws ...WiFi) {
	t.Helper()
	for _, w := range ws {
		w.complete()
		if w.SignalPercent < 0 || w.SignalPercent > 100 || w.SignalDBm > 0 || w.Channel < 0 {
			t.Fatalf("impossible reading %+v", w)
		}
	}
}

func FuzzProcRoute(f *testing.F) {
	addSeeds(f, "roots/*/proc/net/route", "roots/*/proc/net/ipv6_route")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRoutes(t, append(parseProcRoute(data), parseProcIPv6Route(data)...))
	})
}

func FuzzResolvConf(f *testing.F) {
	addSeeds(f, "roots/*/etc/resolv.conf", "roots/*/run/systemd/resolve/resolv.conf")
	f.Fuzz(func(t *testing.T, data []byte) {
		rc := parseResolvConf(data)
		checkDNS(t, rc.servers, rc.search)
	})
}

func FuzzRouteOutputs(f *testing.F) {
	addSeeds(f, "commands/route-*.txt", "commands/netstat-*.txt", "commands/scutil-*.txt", "commands/arp-*.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRoutes(t, parseRoutePrint(data))
		checkRoutes(t, parseNetstatRn(data))
		if r, ok := parseRouteGet(data); ok {
			checkRoutes(t, []route{r})
		}
		d := parseScutilDNS(data)
		checkDNS(t, d.Servers, d.Search)
		router := netip.MustParseAddr("192.168.1.1")
		for _, parse := range []func([]byte, netip.Addr) string{parseProcARP, parseArpN, parseArpA} {
			if hw := parse(data, router); hw != "" && !usableMAC(hw) {
				t.Fatalf("hardware address %q", hw)
			}
		}
	})
}

func FuzzWiFiOutputs(f *testing.F) {
	addSeeds(f, "commands/iw-*.txt", "commands/nmcli-*.txt", "commands/netsh-*.txt",
		"commands/wdutil-*.txt", "commands/airport-*.txt", "commands/system-profiler-*.txt",
		"roots/*/proc/net/wireless")
	f.Fuzz(func(t *testing.T, data []byte) {
		var w WiFi
		parseIwLink(data, &w)
		checkWiFi(t, w)
		checkWiFi(t, parseNetshWlan(data)...)
		checkWiFi(t, parseSystemProfilerAirPort(data)...)
		if w, ok := parseWdutilInfo(data); ok {
			checkWiFi(t, w)
		}
		if w, ok := parseAirportI(data); ok {
			checkWiFi(t, w)
		}
		for _, ap := range parseNmcliWiFi(data) {
			if ap.signal < 0 || ap.signal > 100 || ap.channel < 0 {
				t.Fatalf("impossible nmcli row %+v", ap)
			}
		}
		for _, s := range parseProcWireless(data) {
			if s.percent < 0 || s.percent > 100 || s.dbm > 0 || s.noise > 0 || s.iface == "" {
				t.Fatalf("impossible wireless row %+v", s)
			}
		}
	})
}
