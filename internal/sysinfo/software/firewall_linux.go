package software

import (
	"context"
	"fmt"
	"strings"
)

// nft binaries, newest layout first.
func nftPaths() []string { return []string{"/usr/sbin/nft", "/sbin/nft"} }

// linuxFirewall reports the firewall that filters incoming traffic:
// firewalld when its daemon runs, ufw when its config enables it, else
// the raw nftables ruleset (the one command here, and only when neither
// front end is on). A front end that is installed but off is reported as
// off; with none at all the item is named plainly "Firewall".
func (s *scan) linuxFirewall(ctx context.Context, inv *linuxInventory) Item {
	firewalld := Item{Name: "firewalld", Kind: KindFirewall,
		Installed: inv.hasPackage("firewalld") || s.fs.exists("/usr/sbin/firewalld")}
	if firewalld.Installed {
		firewalld.Running = inv.running([]string{"firewalld"})
		firewalld.Enabled = firewalld.Running
		if isTrue(firewalld.Running) {
			return firewalld
		}
	}

	ufw := Item{Name: "ufw", Kind: KindFirewall, Installed: inv.hasPackage("ufw")}
	data, err := s.fs.readFile(ufwConf, maxConfigFile)
	switch {
	case err == nil:
		ufw.Installed = true
		v, _ := shellValue(data, "ENABLED")
		ufw.Enabled = ptr(strings.EqualFold(v, "yes"))
		if *ufw.Enabled {
			return ufw
		}
	case !notFound(err):
		ufw.Installed = true
		ufw.addError(err)
	}

	nft := s.nftFirewall(ctx, inv)
	if isTrue(nft.Enabled) {
		return nft
	}
	var off Item
	switch {
	case ufw.Installed:
		off = ufw
	case firewalld.Installed:
		off = firewalld
	case nft.Installed:
		off = nft
	default:
		return Item{Name: "Firewall", Kind: KindFirewall, Enabled: ptr(false),
			Detail: "no ufw, firewalld or nftables found"}
	}
	if nft.Error != "" && off.Name != nft.Name {
		// Rules loaded straight into nftables may still filter: unknown.
		off.addError(errorOf(nft.Error))
	}
	if off.Error != "" {
		off.Enabled = nil
		return off
	}
	off.Enabled = ptr(false)
	off.Detail = "installed but not enabled"
	if off.Name == nft.Name {
		off.Detail = "no rules filter incoming traffic"
	}
	return off
}

// nftFirewall lists the nftables ruleset (root only).
func (s *scan) nftFirewall(ctx context.Context, inv *linuxInventory) Item {
	it := Item{Name: "nftables", Kind: KindFirewall}
	bin := ""
	for _, p := range nftPaths() {
		if s.fs.exists(p) {
			bin = p
			break
		}
	}
	if bin == "" {
		it.Installed = inv.hasPackage("nftables")
		return it
	}
	it.Installed = true
	out, err := s.command(ctx, bin, "list", "ruleset")
	if err != nil {
		it.addError(err)
		return it
	}
	sum := parseNftRuleset(out)
	it.Enabled = ptr(sum.filtering())
	if sum.filtering() {
		it.Detail = fmt.Sprintf("%d rules on incoming traffic", sum.InputRules)
		if sum.DropPolicy {
			it.Detail += ", default drop"
		}
	}
	return it
}

// errorOf turns a recorded message back into an error for addError.
func errorOf(msg string) error {
	if msg == "" {
		return nil
	}
	return stringError(msg)
}

type stringError string

func (e stringError) Error() string { return string(e) }
