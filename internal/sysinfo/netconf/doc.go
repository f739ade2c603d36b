// Package netconf reads the network facts a support ticket needs and that
// gopsutil does not give: the default gateways, the DNS servers and search
// domains actually in use, the Wi-Fi link (network name and signal), the
// router's entry in the ARP table, and whether an interface looks like a
// VPN.
//
// Every function takes an [Env]: the root under which files such as
// proc/net/route and etc/resolv.conf are read, and the runner for the few
// commands there is no file or API for (iw, netsh, scutil, route). Tests
// point the root at testdata and replace the runner with recorded outputs,
// so the parsers of every OS run on any OS. The per-OS files only decide
// which source to read; the parsing lives in files without an OS suffix.
//
// The functions report what they found and are careful not to guess: a
// field that could not be read stays empty rather than holding a default
// that looks like a measurement.
package netconf
