package sysinfo

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
)

// Rule names one kind of value that must not leave the machine unless IT
// says otherwise. All rules are on by default.
type Rule string

// The redaction rules.
const (
	// RuleHomePaths turns /home/jane/..., /Users/jane/... and
	// C:\Users\jane\... into ~/... in every string.
	RuleHomePaths Rule = "home-paths"
	// RuleSerials removes serial numbers (fields tagged redact:"serials").
	RuleSerials Rule = "serials"
	// RuleMACs removes hardware addresses, in tagged fields and anywhere
	// else one appears.
	RuleMACs Rule = "macs"
	// RuleWiFiSSID removes Wi-Fi network names, which can locate a person.
	RuleWiFiSSID Rule = "wifi-ssid"
	// RuleCmdline keeps only the program of a command line: arguments
	// are where tokens and passwords hide.
	RuleCmdline Rule = "cmdline"
	// RuleEnvironment masks NAME=value pairs and --secret=value style
	// arguments wherever they appear. Firstline never collects the
	// environment; this catches it where it leaks into other text.
	RuleEnvironment Rule = "environment"
)

// Redacted replaces a removed value, so a reader sees it was removed on
// purpose rather than missing.
const Redacted = "[redacted]"

// AllRules lists every rule, the default set.
func AllRules() []Rule {
	return []Rule{RuleHomePaths, RuleSerials, RuleMACs, RuleWiFiSSID, RuleCmdline, RuleEnvironment}
}

// ParseRule checks a rule name from config.
func ParseRule(name string) (Rule, error) {
	for _, r := range AllRules() {
		if string(r) == name {
			return r, nil
		}
	}
	var names []string
	for _, r := range AllRules() {
		names = append(names, string(r))
	}
	return "", fmt.Errorf("unknown redaction rule %q (known: %s)", name, strings.Join(names, ", "))
}

var (
	// homeRe matches the home folder part of a path on each OS; the user
	// name is the second group.
	homeRe = regexp.MustCompile(`(/home/|/Users/|/var/home/)([^/\s"':]+)`)
	// winHomeRe allows spaces, common in Windows user names ("Jane Doe").
	winHomeRe = regexp.MustCompile(`(?i)\b[A-Z]:\\Users\\[^\\"'\r\n]+`)
	// rootHomeRe matches root's home as a path component.
	rootHomeRe = regexp.MustCompile(`(^|[\s"'=:])/root(/|$)`)
	macRe      = regexp.MustCompile(`(?i)\b([0-9a-f]{2}[:-]){5}[0-9a-f]{2}\b`)
	// envRe matches NAME=value where NAME looks like an environment
	// variable, and --option=value where the option names a secret.
	envRe    = regexp.MustCompile(`\b([A-Z][A-Z0-9_]{2,})=("[^"]*"|'[^']*'|\S+)`)
	secretRe = regexp.MustCompile(`(?i)(--?[a-z0-9_-]*(pass|token|secret|key|auth|cred)[a-z0-9_-]*[= ])("[^"]*"|'[^']*'|\S+)`)
)

// Redact applies rules to s in place and records them in s.Redacted.
// Fields carry the rule that removes them in a `redact:"rule"` struct tag;
// rules about text patterns apply to every string of the snapshot.
func Redact(s *Snapshot, rules []Rule) {
	on := map[Rule]bool{}
	for _, r := range rules {
		on[r] = true
	}
	walkStrings(reflect.ValueOf(s).Elem(), "", func(tag string, v string) string {
		return redactString(on, Rule(tag), v)
	})
	s.Redacted = nil
	for r := range on {
		s.Redacted = append(s.Redacted, string(r))
	}
	sort.Strings(s.Redacted)
}

// RedactText applies the text rules (home paths, hardware addresses,
// NAME=value and --secret=value pairs) to free text such as a log excerpt,
// where there are no fields to tag.
func RedactText(text string, rules []Rule) string {
	on := map[Rule]bool{}
	for _, r := range rules {
		on[r] = true
	}
	return redactString(on, "", text)
}

func redactString(on map[Rule]bool, tag Rule, v string) string {
	if v == "" || v == Redacted {
		return v
	}
	if tag != "" && tag != RuleCmdline && on[tag] {
		return Redacted
	}
	if tag == RuleCmdline && on[RuleCmdline] {
		v = programOnly(v)
	}
	if on[RuleEnvironment] {
		v = envRe.ReplaceAllString(v, "${1}="+Redacted)
		v = secretRe.ReplaceAllString(v, "${1}"+Redacted)
	}
	if on[RuleMACs] {
		v = macRe.ReplaceAllString(v, Redacted)
	}
	if on[RuleHomePaths] {
		v = homeRe.ReplaceAllString(v, "~")
		v = winHomeRe.ReplaceAllString(v, "~")
		v = rootHomeRe.ReplaceAllString(v, "${1}~${2}")
	}
	return v
}

// programOnly keeps the program of a command line and says arguments were
// removed. Programs with spaces in their path are quoted on Windows; an
// unquoted one is cut at the first space, which may shorten the path but
// never leaks an argument.
func programOnly(cmd string) string {
	cmd = strings.TrimSpace(cmd)
	var prog, rest string
	if strings.HasPrefix(cmd, `"`) {
		if end := strings.Index(cmd[1:], `"`); end >= 0 {
			prog, rest = cmd[:end+2], cmd[end+2:]
		} else {
			prog = cmd
		}
	} else {
		prog, rest, _ = strings.Cut(cmd, " ")
	}
	if strings.TrimSpace(rest) == "" {
		return prog
	}
	return prog + " " + Redacted
}

// walkStrings calls f on every settable string reachable from v (struct
// fields, pointers, slices, arrays, map values of string type) and stores
// its result. tag is the redact tag of the nearest enclosing field.
func walkStrings(v reflect.Value, tag string, f func(tag, s string) string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), tag, f)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < v.NumField(); i++ {
			field := t.Field(i)
			if !field.IsExported() {
				continue
			}
			ftag := field.Tag.Get("redact")
			if ftag == "" {
				ftag = tag
			}
			walkStrings(v.Field(i), ftag, f)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkStrings(v.Index(i), tag, f)
		}
	case reflect.Map:
		if v.Type().Elem().Kind() != reflect.String {
			return
		}
		for _, k := range v.MapKeys() {
			v.SetMapIndex(k, reflect.ValueOf(f(tag, v.MapIndex(k).String())).Convert(v.Type().Elem()))
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(f(tag, v.String()))
		}
	}
}
