package probes

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/sysinfo/netconf"
)

// A router that drops every probe still answers ARP; a complete entry in
// the table is accepted as evidence, an incomplete one is not.
func TestRunGatewayARPEvidence(t *testing.T) {
	n := newTestNet(t)
	opts := n.options()
	opts.SkipCaptivePortal = true
	opts.Budget = 400 * time.Millisecond
	opts.Env = netconf.Env{Root: "testdata/arp"}
	opts.Gateways = []string{"192.0.2.1", "192.0.2.9"}
	rep := Run(context.Background(), opts)

	known := find(t, rep, KindGateway, "192.0.2.1")
	if known.Status != StatusOK || !strings.Contains(known.Detail, "02:fc:00:00:00:05") || !strings.Contains(known.Detail, "ARP") {
		t.Errorf("known router: %s %q", known.Status, known.Detail)
	}
	if unknown := find(t, rep, KindGateway, "192.0.2.9"); unknown.Status != StatusTimeout {
		t.Errorf("incomplete entry: %s %q", unknown.Status, unknown.Detail)
	}
	// Nothing beyond the router was checked.
	if rep.Verdict != "Everything reachable." {
		t.Errorf("verdict %q", rep.Verdict)
	}
}
