package netconf

import (
	"os"
	"reflect"
	"testing"
)

func TestParseProcRoute(t *testing.T) {
	const head = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
	tests := map[string]struct {
		in   string
		want []route
	}{
		"little-endian words": {
			head + "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n",
			[]route{{gw: Gateway{"192.168.1.1", "wlan0"}, metric: 600}},
		},
		"not up, not via a gateway, rejected, or not default": {
			head +
				"a\t00000000\t0101A8C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n" +
				"b\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n" +
				"c\t00000000\t0101A8C0\t0203\t0\t0\t0\t00000000\t0\t0\t0\n" +
				"d\t0000A8C0\t0101A8C0\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" +
				"e\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000080\t0\t0\t0\n",
			nil,
		},
		"malformed rows are skipped": {
			head +
				"short\t00000000\n" +
				"x\t0000000G\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n" +
				"y\t00000000\t101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n" +
				"z\t00000000\t0101A8C0\t0003\t0\t0\tmetric\t00000000\t0\t0\t0\n" +
				"ok\t00000000\t0A00000A\t0003\t0\t0\t-1\t00000000\t0\t0\t0\n",
			[]route{{gw: Gateway{"10.0.0.10", "ok"}, metric: -1}},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := parseProcRoute([]byte(tt.in)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseProcIPv6Route(t *testing.T) {
	data, err := os.ReadFile(root("debian") + "/proc/net/ipv6_route")
	if err != nil {
		t.Fatal(err)
	}
	want := []route{{gw: Gateway{"fe80::211:22ff:fe33:4455%eno1", "eno1"}, metric: 1024, v6: true}}
	if got := parseProcIPv6Route(data); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestSortRoutesPrefersIPv4ThenMetricAndDropsDuplicates(t *testing.T) {
	in := []route{
		{gw: Gateway{"fe80::1%wlan0", "wlan0"}, metric: 1, v6: true},
		{gw: Gateway{"192.168.1.1", "wlan0"}, metric: 600},
		{gw: Gateway{"10.0.0.1", "eth0"}, metric: 100},
		{gw: Gateway{"192.168.1.1", "wlan0"}, metric: 700},
	}
	want := []Gateway{{"10.0.0.1", "eth0"}, {"192.168.1.1", "wlan0"}, {"fe80::1%wlan0", "wlan0"}}
	if got := sortRoutes(in); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
