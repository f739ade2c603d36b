package audit

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/firstline-it/firstline/internal/fixes"
)

// SentParams keeps what a refused caller sent, cut short: enough to see an
// attack in the audit log, not enough to fill it.
func SentParams(sent map[string]string) map[string]string {
	if len(sent) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, v := range sent {
		if len(out) == fixes.MaxParams {
			out["…"] = fmt.Sprintf("%d more", len(sent)-fixes.MaxParams)
			break
		}
		out[Shorten(k, 32)] = Shorten(v, 64)
	}
	return out
}

// Shorten cuts s to at most n bytes of valid UTF-8, marking the cut with
// the length it had, so a record says how much a caller sent.
func Shorten(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("…(%d bytes)", len(s))
}
