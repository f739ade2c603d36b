package notices

import (
	"fmt"
	"net/url"
	"strings"
)

// AllowList is the set of hosts a notice's links may point to and still be
// clickable. Build it with ParseAllowList; the zero value allows nothing.
type AllowList struct {
	exact    map[string]bool
	suffixes []string // ".example.com" for "*.example.com"
}

// ParseAllowList reads host patterns: "intranet.example.com" allows that
// host only; "*.example.com" allows every host under example.com but not
// example.com itself (list both when both are meant). Case does not
// matter. Anything else — a URL, a port, a lone "*" — is an error, because
// a too-wide allow-list is how a notice becomes a phishing link.
func ParseAllowList(patterns []string) (AllowList, error) {
	a := AllowList{exact: map[string]bool{}}
	for _, p := range patterns {
		host := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(p)), ".")
		suffix, wild := strings.CutPrefix(host, "*.")
		if !validHostName(suffix) || (wild && !strings.Contains(suffix, ".")) {
			return AllowList{}, fmt.Errorf("link allow-list entry %q: want a host name like \"intranet.example.com\" or \"*.example.com\" (no scheme, port, path or bare wildcard)", p)
		}
		if wild {
			a.suffixes = append(a.suffixes, "."+suffix)
		} else {
			a.exact[host] = true
		}
	}
	return a, nil
}

// validHostName: ASCII letters, digits, '-' and '.' in non-empty labels.
func validHostName(h string) bool {
	if h == "" || len(h) > maxHostnameLen {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// Allows reports whether rawURL may be a clickable link: https, no user
// information, and a host on the list. Non-ASCII hosts never match: they
// are how look-alike domains are spelled.
func (a AllowList) Allows(rawURL string) bool {
	if checkURL(rawURL) != "" {
		return false
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if !validHostName(host) {
		return false
	}
	if a.exact[host] {
		return true
	}
	for _, s := range a.suffixes {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	return false
}

// RenderedLink is a link as the desktop shows it.
type RenderedLink struct {
	Title string
	URL   string
	// Clickable is false when the host is not allow-listed: the UI shows
	// Text as plain text and opens nothing.
	Clickable bool
}

// Text is the link written out, for a link that is not clickable: the URL
// stays visible so the employee can judge it.
func (l RenderedLink) Text() string { return l.Title + " (" + l.URL + ")" }

// RenderLinks decides, link by link, whether n's links are clickable on
// this machine.
func RenderLinks(n *Notice, allow AllowList) []RenderedLink {
	if len(n.Links) == 0 {
		return nil
	}
	out := make([]RenderedLink, len(n.Links))
	for i, l := range n.Links {
		out[i] = RenderedLink{Title: l.Title, URL: l.URL, Clickable: allow.Allows(l.URL)}
	}
	return out
}
