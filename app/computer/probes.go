package computer

import (
	"fmt"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/sysinfo/probes"
)

// row is one line of the condensed connectivity list: what an employee
// needs, with the individual checks folded together.
type row struct {
	name   string
	status probes.Status
	text   string
}

// condense folds a report into one line per router set, name lookups,
// login page and service. A service with two URLs is one line with its
// worst outcome; an IPv6 router that does not answer beside an IPv4 one
// that does is not worth a red line.
func condense(r *probes.Report) []row {
	var gateways, dns, captive []probes.Result
	services := map[string][]probes.Result{}
	var order []string
	for _, res := range r.Results {
		switch res.Kind {
		case probes.KindGateway:
			gateways = append(gateways, res)
		case probes.KindDNS:
			dns = append(dns, res)
		case probes.KindCaptive:
			captive = append(captive, res)
		case probes.KindHTTPS:
			if _, ok := services[res.Name]; !ok {
				order = append(order, res.Name)
			}
			services[res.Name] = append(services[res.Name], res)
		}
	}
	var rows []row
	if g := gatewayRow(gateways); g != nil {
		rows = append(rows, *g)
	}
	if len(dns) > 0 {
		rows = append(rows, groupRow("Name lookups (DNS)", dns))
	}
	for _, c := range captive {
		if c.Status != probes.StatusSkipped {
			rows = append(rows, captiveRow(c))
		}
	}
	for _, name := range order {
		rows = append(rows, groupRow(name, services[name]))
	}
	return rows
}

func gatewayRow(list []probes.Result) *row {
	var ok []string
	for _, g := range list {
		if g.Status == probes.StatusOK || g.Status == probes.StatusSlow {
			ok = append(ok, g.Target)
		}
	}
	switch {
	case len(list) == 0:
		return nil
	case len(ok) > 0:
		return &row{name: "Router " + strings.Join(ok, ", "), status: probes.StatusOK, text: "Answers"}
	}
	r := groupRow("Router "+list[0].Target, list)
	return &r
}

// groupRow sums up checks of one thing: fine when all are, else the worst.
func groupRow(name string, list []probes.Result) row {
	worst := list[0]
	failed := 0
	var slowest time.Duration
	for _, res := range list {
		if rank(res.Status) > rank(worst.Status) {
			worst = res
		}
		if res.Status != probes.StatusOK && res.Status != probes.StatusSlow {
			failed++
		}
		slowest = max(slowest, res.Latency)
	}
	r := row{name: name, status: worst.Status, text: statusText(worst)}
	switch {
	case failed == 0 && worst.Status == probes.StatusOK:
		r.text = fmt.Sprintf("OK · %d ms", slowest.Milliseconds())
	case failed > 0 && failed < len(list):
		r.text = fmt.Sprintf("%d of %d failed · %s", failed, len(list), strings.TrimPrefix(statusText(worst), "Failed · "))
	}
	return r
}

func captiveRow(c probes.Result) row {
	r := row{name: "Wi-Fi login page", status: c.Status}
	switch c.Status {
	case probes.StatusOK, probes.StatusSlow:
		r.text, r.status = "None in the way", probes.StatusOK
	case probes.StatusCaptive:
		r.text = "A login page is in the way: open a web page to sign in"
	default:
		r.text = "Could not check"
	}
	return r
}

// rank orders outcomes from best to worst.
func rank(s probes.Status) int {
	switch s {
	case probes.StatusOK, probes.StatusSkipped:
		return 0
	case probes.StatusSlow:
		return 1
	case probes.StatusCaptive:
		return 2
	case probes.StatusTimeout:
		return 3
	}
	return 4
}
