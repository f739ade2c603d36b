package notices

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Validate checks the values of a decoded feed against the schema (see the
// package documentation) and returns every problem in a *FeedError, or nil.
func (f *Feed) Validate() error {
	var v validation
	switch {
	case f.Version == 0:
		v.add("version", fmt.Sprintf("missing (this Firstline reads version %d)", FeedVersion))
	case f.Version != FeedVersion:
		v.add("version", fmt.Sprintf("version %d is not supported: this Firstline reads version %d; update Firstline or publish version %d", f.Version, FeedVersion, FeedVersion))
	}
	if f.Sequence == 0 {
		v.add("sequence", "missing or 0: start at 1 and increase it with every publication")
	}
	if f.Published.IsZero() {
		v.add("published", "missing")
	} else if msg := checkTime(f.Published); msg != "" {
		v.add("published", msg)
	}
	if len(f.Notices) > MaxNotices {
		v.add("notices", fmt.Sprintf("%d notices; the limit is %d", len(f.Notices), MaxNotices))
	}
	ids := map[string]int{}
	for i := range f.Notices {
		path := fmt.Sprintf("notices[%d]", i)
		n := &f.Notices[i]
		n.validate(&v, path)
		if first, dup := ids[n.ID]; dup && n.ID != "" {
			v.add(path+".id", fmt.Sprintf("%q is also the id of notices[%d]; ids must be unique", n.ID, first))
		} else {
			ids[n.ID] = i
		}
	}
	if len(v.problems) > 0 {
		return &FeedError{Problems: v.problems}
	}
	return nil
}

// Validate checks one notice, as Feed.Validate does for each.
func (n *Notice) Validate() error {
	var v validation
	n.validate(&v, "")
	if len(v.problems) > 0 {
		return &FeedError{Problems: v.problems}
	}
	return nil
}

type validation struct{ problems []Problem }

func (v *validation) add(path, msg string) {
	switch {
	case len(v.problems) < maxProblems:
		v.problems = append(v.problems, Problem{Path: path, Message: msg})
	case len(v.problems) == maxProblems:
		v.problems = append(v.problems, Problem{Message: "too many problems; stopped reporting"})
	}
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

func (n *Notice) validate(v *validation, path string) {
	if !validName(n.ID, maxIDLen) {
		v.add(join(path, "id"), fmt.Sprintf("%q: want 1 to %d letters, digits, '.', '_' or '-', starting with a letter or digit", n.ID, maxIDLen))
	}
	if n.Severity.rank() == 0 {
		v.add(join(path, "severity"), fmt.Sprintf("%q: want \"info\", \"warning\" or \"critical\"", n.Severity))
	}
	if strings.TrimSpace(n.Title) == "" {
		v.add(join(path, "title"), "missing or blank")
	}
	if msg := checkText(n.Title, MaxTitleRunes, false); msg != "" {
		v.add(join(path, "title"), msg)
	}
	if msg := checkText(n.Body, MaxBodyRunes, true); msg != "" {
		v.add(join(path, "body"), msg)
	}
	if len(n.Links) > MaxLinks {
		v.add(join(path, "links"), fmt.Sprintf("%d links; the limit is %d", len(n.Links), MaxLinks))
	}
	for i, l := range n.Links {
		lp := join(path, fmt.Sprintf("links[%d]", i))
		if strings.TrimSpace(l.Title) == "" {
			v.add(lp+".title", "missing or blank")
		}
		if msg := checkText(l.Title, MaxLinkTitleRunes, false); msg != "" {
			v.add(lp+".title", msg)
		}
		if msg := checkURL(l.URL); msg != "" {
			v.add(lp+".url", msg)
		}
	}
	if n.Created.IsZero() {
		v.add(join(path, "created"), "missing")
	} else if msg := checkTime(n.Created); msg != "" {
		v.add(join(path, "created"), msg)
	}
	if !n.Expires.IsZero() {
		if msg := checkTime(n.Expires); msg != "" {
			v.add(join(path, "expires"), msg)
		}
	}
	if !n.Expires.IsZero() && !n.Expires.After(n.Created) {
		v.add(join(path, "expires"), "must be after created")
	}
	n.Target.validate(v, join(path, "target"))
}

// checkTime refuses dates no notice can have: a typo in the year (0025
// for 2025) must not publish a notice that is always, or never, in force.
func checkTime(t time.Time) string {
	if y := t.UTC().Year(); y < 2000 || y > 9999 {
		return fmt.Sprintf("year %d is outside 2000 to 9999", y)
	}
	return ""
}

func (t *Target) validate(v *validation, path string) {
	lists := []struct {
		name   string
		values []string
		ok     func(string) bool
		want   string
	}{
		{"os", t.OS, func(s string) bool { return normalizeOS(s) != "" }, `"linux", "windows" or "macos"`},
		{"hostnames", t.Hostnames, validHostPattern, `a host name pattern of letters, digits, '.', '-', '_' and the wildcards '*' and '?'`},
		{"groups", t.Groups, func(s string) bool { return validName(s, maxGroupLen) }, fmt.Sprintf("1 to %d letters, digits, '.', '_' or '-'", maxGroupLen)},
	}
	for _, l := range lists {
		if len(l.values) > MaxTargetEntries {
			v.add(join(path, l.name), fmt.Sprintf("%d entries; the limit is %d", len(l.values), MaxTargetEntries))
		}
		for i, s := range l.values {
			if !l.ok(s) {
				v.add(fmt.Sprintf("%s.%s[%d]", path, l.name, i), fmt.Sprintf("%q: want %s", s, l.want))
			}
		}
	}
}

// validName: ids and group names, safe in file names and log lines.
func validName(s string, maxLen int) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	for i, c := range s {
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || !strings.ContainsRune("._-", c)) {
			return false
		}
	}
	return true
}

func validHostPattern(s string) bool {
	if s == "" || len(s) > maxHostnameLen {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".-_*?", c)) {
			return false
		}
	}
	return true
}

// checkText checks plain text shown on a desktop: at most maxRunes
// characters, no control characters (newline and tab allowed in multiline
// text), and none of the invisible characters that make text display
// differently than it reads, which phishing uses.
func checkText(s string, maxRunes int, multiline bool) string {
	if n := utf8.RuneCountInString(s); n > maxRunes {
		return fmt.Sprintf("%d characters; the limit is %d", n, maxRunes)
	}
	pos := 0
	for _, r := range s {
		pos++
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case r < 0x20 || r >= 0x7f && r <= 0x9f:
			what := "control character"
			if r == '\n' {
				what = "line break (not allowed here)"
			}
			return fmt.Sprintf("%s U+%04X at character %d; notices are plain text", what, r, pos)
		case r == 0x2028 || r == 0x2029:
			if !multiline {
				return fmt.Sprintf("line separator U+%04X at character %d (not allowed here)", r, pos)
			}
		case r == 0x061C || r == 0x200E || r == 0x200F || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069:
			return fmt.Sprintf("bidirectional control character U+%04X at character %d: it can make text display in another order than it was written", r, pos)
		case r == utf8.RuneError:
			return fmt.Sprintf("invalid character at character %d", pos)
		}
	}
	return ""
}

// checkURL is the schema's rule for link URLs: absolute https with a host,
// no user name or password (https://bank.example@evil.example), ASCII only.
// Whether the host is trusted is the machine's allow-list's business.
func checkURL(raw string) string {
	if raw == "" {
		return "missing"
	}
	if len(raw) > MaxURLBytes {
		return fmt.Sprintf("%d bytes; the limit is %d", len(raw), MaxURLBytes)
	}
	for _, c := range raw {
		if c <= 0x20 || c >= 0x7f {
			return "spaces, control characters and non-ASCII characters must be percent-encoded (host names in punycode, xn--...)"
		}
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Sprintf("not a URL: %v", err)
	case u.Scheme != "https":
		return fmt.Sprintf("scheme %q: links must be https", u.Scheme)
	case u.User != nil:
		return "a user name or password in a link is not allowed"
	case u.Hostname() == "" || u.Opaque != "":
		return "no host name"
	}
	return ""
}
