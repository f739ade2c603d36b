package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// Validate checks every value against its documented range. It returns nil
// or an *Error listing every bad value by key; Load adds the file and line
// each value came from.
func (c *Config) Validate() error {
	var v validator

	s := c.Service
	levels := make([]string, 0, 4)
	for _, l := range logLevels() {
		levels = append(levels, string(l))
	}
	v.oneOf("service.log_level", string(s.LogLevel), levels)
	if s.LogFile != "" {
		// A relative log file would land wherever the service manager
		// starts the process; refuse it rather than guess.
		v.absolute("service.log_file", s.LogFile)
	}
	v.intRange("service.log_max_size_mb", int64(s.LogMaxSizeMB), 1, 1024)
	v.intRange("service.log_max_files", int64(s.LogMaxFiles), 1, 100)
	v.absolute("service.state_dir", s.StateDir)
	v.durationRange("service.shutdown_timeout", s.ShutdownTimeout, time.Second, time.Minute)

	a := c.LocalAPI
	v.intRange("localapi.max_connections", int64(a.MaxConnections), 1, 4096)
	v.intRange("localapi.max_body_bytes", a.MaxBodyBytes, 1024, 64<<20)
	v.durationRange("localapi.request_timeout", a.RequestTimeout, time.Second, 10*time.Minute)

	sup := c.Support
	v.maxLen("support.organization", sup.Organization, 80)
	v.maxLen("support.phone", sup.Phone, 40)
	if sup.Email != "" {
		v.email("support.email", sup.Email)
	}
	if sup.URL != "" {
		v.httpsURL("support.url", sup.URL)
	}

	si := c.SysInfo
	v.each("sysinfo.sections", si.Sections, SnapshotSections())
	v.each("sysinfo.redact", si.Redact, RedactionRules())
	v.durationRange("sysinfo.sample_interval", si.SampleInterval, time.Second, 5*time.Minute)
	v.durationRange("sysinfo.history", si.History, 5*time.Minute, 24*time.Hour)
	if si.SampleInterval > 0 && si.History.Duration()/si.SampleInterval.Duration() > 86400 {
		v.add("sysinfo.history", "%s at one sample every %s keeps more than 86400 samples; sample less often", si.History, si.SampleInterval)
	}

	pr := c.Probes
	v.each("probes.builtin", pr.Builtin, BuiltinProbes())
	if len(pr.Targets) > 20 {
		v.add("probes.targets", "%d targets, at most 20 allowed", len(pr.Targets))
	}
	for i, t := range pr.Targets {
		key := fmt.Sprintf("probes.targets[%d]", i)
		if strings.TrimSpace(t.Name) == "" {
			v.add(key, "has no name")
		}
		v.maxLen(key+".name", t.Name, 40)
		v.httpsURL(key+".url", t.URL)
	}
	if pr.CaptivePortalURL != "" {
		v.absoluteURL("probes.captive_portal_url", pr.CaptivePortalURL)
	}
	v.durationRange("probes.budget", pr.Budget, time.Second, 5*time.Second)

	v.validateReports(c.Reports, c.Delivery)
	v.validateNotices(c.Notices)
	v.validateFixes(c.Fixes, c.Health)

	if len(v.problems) == 0 {
		return nil
	}
	return &Error{Problems: v.problems}
}

// validator accumulates problems so Validate reports all bad values at once.
type validator struct {
	problems []Problem
}

func (v *validator) add(key, format string, args ...any) {
	v.problems = append(v.problems, Problem{Key: key, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) oneOf(key, value string, allowed []string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	v.add(key, "%q is not one of %s", value, strings.Join(allowed, ", "))
}

// each checks that every entry of a list is one of the allowed names and
// appears once.
func (v *validator) each(key string, values, allowed []string) {
	seen := map[string]bool{}
	for _, val := range values {
		if seen[val] {
			v.add(key, "%q is listed twice", val)
		}
		seen[val] = true
		v.oneOf(key, val, allowed)
	}
}

// absoluteURL accepts http:// as well as https://: a captive portal check
// must use plain HTTP, or the portal could not intercept it.
func (v *validator) absoluteURL(key, value string) {
	u, err := url.Parse(value)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		v.add(key, "%q is not an absolute http:// or https:// URL", value)
	}
}

func (v *validator) intRange(key string, value, lo, hi int64) {
	if value < lo || value > hi {
		v.add(key, "%d is outside the allowed range %d..%d", value, lo, hi)
	}
}

func (v *validator) durationRange(key string, value Duration, lo, hi time.Duration) {
	if d := value.Duration(); d < lo || d > hi {
		v.add(key, "%q is outside the allowed range %s..%s", value.String(), formatDuration(lo), formatDuration(hi))
	}
}

func (v *validator) absolute(key, path string) {
	if !filepath.IsAbs(path) {
		v.add(key, "%q is not an absolute path", path)
	}
}

func (v *validator) maxLen(key, value string, limit int) {
	if n := utf8.RuneCountInString(value); n > limit {
		v.add(key, "%d characters long, at most %d allowed", n, limit)
	}
}

// email accepts a bare address only: the app turns it into a mailto: link,
// which takes an address, not "Name <address>".
func (v *validator) email(key, value string) {
	a, err := mail.ParseAddress(value)
	if err != nil || a.Name != "" || a.Address != value {
		v.add(key, "%q is not an email address like it@example.com", value)
	}
}

// httpsURL refuses http:// and anything that is not an absolute URL: the app
// opens it for employees, who must not land on a page anyone on the network
// can tamper with.
func (v *validator) httpsURL(key, value string) {
	u, err := url.Parse(value)
	switch {
	case err != nil || u.Host == "":
		v.add(key, "%q is not an absolute https:// URL", value)
	case u.Scheme == "http":
		v.add(key, "%q uses http://, which is refused; use https://", value)
	case u.Scheme != "https":
		v.add(key, "%q is not an https:// URL", value)
	}
}
