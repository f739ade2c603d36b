package probes

import (
	"net/netip"
	"slices"
	"strings"
)

// verdict sums the results up in one sentence for the employee, naming the
// most basic thing that is broken: a login page in the way, then no
// network, then no name lookups, then no internet, then the services one
// by one.
func verdict(results []Result) string {
	var gateways, names, services []Result
	var captive *Result
	for i, r := range results {
		switch r.Kind {
		case KindGateway:
			gateways = append(gateways, r)
		case KindDNS:
			names = append(names, r)
		case KindCaptive:
			captive = &results[i]
		case KindHTTPS:
			services = append(services, r)
		}
	}
	if len(results) == 0 {
		return "Nothing was checked."
	}
	if captive != nil && captive.Status == StatusCaptive {
		return "A Wi-Fi login page is blocking the internet (captive portal)."
	}

	routerDown := probed(gateways) && !anyAnswered(gateways)
	dnsDown := probed(names) && !anyAnswered(names)
	internetProbed := len(services) > 0 || captive != nil && captive.Status != StatusSkipped
	internetUp := anyAnswered(services) || captive != nil && answered(*captive)

	switch {
	case internetUp:
		return servicesVerdict(services)
	case routerDown:
		return noRouter(gateways)
	case dnsDown && probed(gateways):
		return "The router answers, but name lookups (DNS) fail, so nothing on the internet can be reached."
	case dnsDown:
		return "Name lookups (DNS) fail, so nothing on the internet can be reached."
	case !internetProbed:
		return "Everything reachable."
	case probed(gateways):
		return "No internet: the router answers, but nothing beyond it does."
	default:
		return "No internet: nothing answers."
	}
}

// answered says whether the other side answered at all: an HTTP error
// status is an answer from the internet, a login page is not.
func answered(r Result) bool {
	switch r.Status {
	case StatusOK, StatusSlow:
		return true
	case StatusFailed:
		return r.Kind == KindHTTPS && r.HTTPStatus > 0
	}
	return false
}

func anyAnswered(rs []Result) bool { return slices.ContainsFunc(rs, answered) }

// probed says whether any of rs was actually checked.
func probed(rs []Result) bool {
	return slices.ContainsFunc(rs, func(r Result) bool { return r.Status != StatusSkipped })
}

// noRouter names the routers that do not answer.
func noRouter(gateways []Result) string {
	var addrs []string
	for _, g := range gateways {
		if g.Status == StatusSkipped {
			continue
		}
		a := g.Target
		if ip, err := netip.ParseAddr(a); err == nil {
			a = ip.WithZone("").String() // a zone means nothing to people
		}
		if !slices.Contains(addrs, a) {
			addrs = append(addrs, a)
		}
	}
	if len(addrs) == 1 {
		return "No network: the router (" + addrs[0] + ") does not answer."
	}
	return "No network: the routers (" + strings.Join(addrs, ", ") + ") do not answer."
}

// The states of a service, in the order the verdict names them.
const (
	svcUnreachable = iota
	svcDown
	svcPartly
	svcSlow
	svcFine
)

// servicesVerdict names the services with a problem, grouped by state:
// "Internet works; Slack and Zoom are unreachable; Microsoft 365 is slow."
func servicesVerdict(services []Result) string {
	var order []string
	state := map[string]int{}
	for _, r := range services {
		if _, seen := state[r.Name]; !seen {
			order = append(order, r.Name)
		}
		state[r.Name] = serviceState(services, r.Name)
	}
	phrases := [...]string{svcUnreachable: "unreachable", svcDown: "down", svcPartly: "partly unreachable", svcSlow: "slow"}
	var clauses []string
	for s := svcUnreachable; s < svcFine; s++ {
		var who []string
		for _, name := range order {
			if state[name] == s {
				who = append(who, name)
			}
		}
		if len(who) > 0 {
			verb := " is "
			if len(who) > 1 {
				verb = " are "
			}
			clauses = append(clauses, andList(who)+verb+phrases[s])
		}
	}
	if len(clauses) == 0 {
		return "Everything reachable."
	}
	return "Internet works; " + strings.Join(clauses, "; ") + "."
}

// serviceState grades a service from all its targets.
func serviceState(services []Result, name string) int {
	var up, down, errs, slow int
	for _, r := range services {
		if r.Name != name {
			continue
		}
		switch {
		case r.Status == StatusSkipped:
		case r.Status == StatusFailed && r.HTTPStatus >= 500:
			errs++
		case r.Status == StatusSlow:
			slow++
			up++
		case r.Status == StatusOK:
			up++
		default:
			down++
		}
	}
	switch {
	case up == 0 && errs > 0:
		return svcDown
	case up == 0 && down > 0:
		return svcUnreachable
	case down+errs > 0:
		return svcPartly
	case slow > 0:
		return svcSlow
	}
	return svcFine
}

// andList joins ["a", "b", "c"] as "a, b and c".
func andList(s []string) string {
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
