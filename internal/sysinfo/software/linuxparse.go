package software

import (
	"bytes"
	"strconv"
	"strings"
)

// mount is one line of /proc/mounts.
type mount struct {
	Source, Target, FSType string
}

// parseMounts reads /proc/mounts. Spaces and other special characters in
// paths are written as octal escapes ("\040").
func parseMounts(data []byte) []mount {
	var ms []mount
	for line := range bytes.Lines(data) {
		f := strings.Fields(string(line))
		if len(f) < 3 {
			continue
		}
		ms = append(ms, mount{Source: unescapeOctal(f[0]), Target: unescapeOctal(f[1]), FSType: f[2]})
	}
	return ms
}

// mountOf is the mount that holds target: the last one listed for it,
// since a later mount hides an earlier one.
func mountOf(ms []mount, target string) (mount, bool) {
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Target == target {
			return ms[i], true
		}
	}
	return mount{}, false
}

func unescapeOctal(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// nftSummary is what `nft list ruleset` says about incoming traffic.
type nftSummary struct {
	InputChains int // base chains hooked on input
	InputRules  int // rules in them
	DropPolicy  bool
}

// filtering reports whether incoming traffic is filtered at all. A
// container runtime's empty accept-all input chain does not count.
func (n nftSummary) filtering() bool { return n.InputRules > 0 || n.DropPolicy }

// parseNftRuleset reads the text of `nft list ruleset`:
//
//	table inet filter {
//		chain input {
//			type filter hook input priority filter; policy drop;
//			ct state established,related accept
//		}
//	}
//
// Sets, maps and other chains are skipped by tracking braces.
func parseNftRuleset(out []byte) nftSummary {
	var sum nftSummary
	depth := 0
	chainDepth := -1 // depth inside the current chain, -1 outside
	inputChain := false
	for line := range bytes.Lines(out) {
		s := strings.TrimSpace(string(line))
		opens, closes := strings.Count(s, "{"), strings.Count(s, "}")
		switch {
		case chainDepth < 0 && strings.HasPrefix(s, "chain ") && opens > 0:
			chainDepth = depth + opens - closes
			inputChain = false
		case chainDepth >= 0 && depth == chainDepth && strings.HasPrefix(s, "type ") && strings.Contains(s, " hook input "):
			inputChain = true
			sum.InputChains++
			sum.DropPolicy = sum.DropPolicy || strings.Contains(s, "policy drop") || strings.Contains(s, "policy reject")
		case chainDepth >= 0 && depth == chainDepth && inputChain && s != "" && s != "}" && !strings.HasPrefix(s, "#") && !strings.HasPrefix(s, "type "):
			sum.InputRules++
		}
		depth += opens - closes
		if chainDepth >= 0 && depth < chainDepth {
			chainDepth, inputChain = -1, false
		}
		if depth < 0 {
			depth = 0
		}
	}
	return sum
}
