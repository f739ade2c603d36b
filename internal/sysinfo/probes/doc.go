// Package probes runs the connectivity checks behind "is it me or is it
// them?": can names be resolved, does the router answer, is a Wi-Fi login
// page in the way, and do the company's SaaS services answer over HTTPS and
// how fast. The answer is a [Report] with one [Result] per check and a
// Verdict sentence an employee understands ("Internet works; Slack is
// unreachable.") before they file a ticket.
//
// The checks run on demand, never on a timer, all at once under one
// deadline (Options.Budget, 4 s by default, never more than 5 s), so an
// employee waits at most that long even with every target unreachable.
// Every check honours the deadline, and every result is filled in, as
// "timeout" if need be.
//
// # Is the router there?
//
// Pinging needs raw sockets (root, or a capability the tray app does not
// have), so the router is probed over TCP instead: a connection attempt to
// ports 53, 80 and 443, which home and office routers commonly serve (DNS
// forwarder, admin page). A completed connection obviously proves the router
// is there; so does a refused one, because a refusal is a reset packet the
// router itself sent back. Only silence is no evidence. A router that drops
// every probe is then looked up in the system's ARP table (netconf.Neighbor):
// the connection attempts made the system ask for the router's hardware
// address, and a complete entry right after means the router answered that
// question, so it is on the link. That evidence is weaker (an entry may be
// a few seconds old) and the result says which evidence it rests on.
//
// # Captive portals
//
// The captive portal check fetches a plain-HTTP URL whose real answer is an
// empty 204 (Google's generate_204 by default). A portal intercepting the
// network answers with a redirect to its login page, its login page itself,
// or 511 Network Authentication Required instead.
//
// # SaaS reachability
//
// Each target is fetched once without following redirects; latency is the
// time to the response headers, name lookup, connection and TLS included,
// as the employee's browser would feel it. Any HTTP status proves the
// service reachable (an API's 401 or a login page's 302 are "up"), except
// 5xx, where the service says it has a problem. A TLS failure is reported
// with its reason, since it often means something intercepts the traffic.
package probes
