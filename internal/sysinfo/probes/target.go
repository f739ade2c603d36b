package probes

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Target is a service to probe over HTTPS.
type Target struct {
	// Name is what the employee knows the service as ("Slack"). Several
	// targets may share a name; the service is then reachable only if all
	// of them are.
	Name string `json:"name" toml:"name"`
	// URL is an https:// URL that answers without signing in.
	URL string `json:"url" toml:"url"`
}

// DefaultTargets are the SaaS services most companies use, each at URLs
// that are stable, answer unauthenticated requests quickly, and are what
// the product's clients themselves contact.
func DefaultTargets() []Target {
	return []Target{
		{Name: "Microsoft 365", URL: "https://login.microsoftonline.com/"},
		{Name: "Microsoft 365", URL: "https://outlook.office365.com/"},
		{Name: "Google Workspace", URL: "https://accounts.google.com/"},
		{Name: "Slack", URL: "https://slack.com/api/api.test"},
		{Name: "Zoom", URL: "https://zoom.us/"},
	}
}

// Validate checks that the target can be probed: a name, and an https URL
// with a host. IT configures targets, so the error says what to fix.
func (t Target) Validate() error {
	if strings.TrimSpace(t.Name) == "" {
		return errors.New("target has no name")
	}
	u, err := url.Parse(t.URL)
	if err != nil {
		return fmt.Errorf("target %q: %w", t.Name, err)
	}
	if u.Scheme != "https" {
		return fmt.Errorf("target %q: URL %q must start with https://", t.Name, t.URL)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("target %q: URL %q has no host", t.Name, t.URL)
	}
	if u.User != nil {
		return fmt.Errorf("target %q: URL must not carry credentials", t.Name)
	}
	return nil
}

// host returns the target's host name, or "" if the URL has none.
func (t Target) host() string {
	u, err := url.Parse(t.URL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
