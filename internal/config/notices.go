package config

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/notices"
	"github.com/firstline-it/firstline/internal/notices/minisign"
)

// Notices is the [notices] table: IT notices from a signed feed and the
// drop folder. Without keys nothing is accepted, so the feature is off.
type Notices struct {
	// FeedURL is the https:// URL of the feed document; "" polls nothing
	// (the drop folder still works).
	FeedURL string `toml:"feed_url"`
	// SignatureURL is its minisign signature; "" means FeedURL + ".minisig".
	SignatureURL string `toml:"signature_url"`
	// Keys are the trusted minisign public keys (the base64 line of a .pub
	// file); two during a key rotation.
	Keys []string `toml:"keys"`
	// Interval is the time between polls (30s..24h); jitter and backoff
	// are added.
	Interval Duration `toml:"interval"`
	// AllowedLinkHosts are the hosts whose links are clickable:
	// "intranet.example.com" or "*.example.com".
	AllowedLinkHosts []string `toml:"allowed_link_hosts"`
	// Groups are this machine's groups, for notices targeted at groups.
	Groups []string `toml:"groups"`
	// DropDir is the drop folder of signed notice files; "" means
	// notices.d next to the configuration file.
	DropDir string `toml:"drop_dir"`
	// CAFile is a PEM file of extra CAs to trust for the feed's server.
	CAFile string `toml:"ca_file"`
	// SendResponses sends acknowledgements and "me too" to IT through the
	// report pipeline, batched per notice every ResponsesInterval.
	SendResponses     bool     `toml:"send_responses"`
	ResponsesInterval Duration `toml:"responses_interval"`
	// PopupsPerHour caps the desktop popups of notices per user and hour
	// (critical notices open the window regardless); 0 never pops up.
	PopupsPerHour int `toml:"popups_per_hour"`
}

// Enabled reports whether notices can be accepted at all.
func (n Notices) Enabled() bool { return len(n.Keys) > 0 }

// PublicKeys parses Keys; a validated Config never fails here.
func (n Notices) PublicKeys() ([]minisign.PublicKey, error) {
	keys := make([]minisign.PublicKey, 0, len(n.Keys))
	for _, k := range n.Keys {
		pk, err := minisign.ParsePublicKey(k)
		if err != nil {
			return nil, err
		}
		keys = append(keys, pk)
	}
	return keys, nil
}

// DropFolder is DropDir, or notices.d in the folder of configFile (the
// main configuration file the service was started with).
func (n Notices) DropFolder(configFile string) string {
	if n.DropDir != "" {
		return n.DropDir
	}
	return filepath.Join(filepath.Dir(configFile), "notices.d")
}

func noticesDefaults() Notices {
	return Notices{
		Keys:              []string{},
		Interval:          Duration(notices.DefaultPollInterval),
		AllowedLinkHosts:  []string{},
		Groups:            []string{},
		SendResponses:     true,
		ResponsesInterval: Duration(15 * time.Minute),
		PopupsPerHour:     3,
	}
}

// validateNotices checks [notices]: every key parses, the URLs are https,
// the allow-list is not too wide. A feed URL without keys is refused: it
// could never be accepted, and IT would wonder why nothing shows.
func (v *validator) validateNotices(n Notices) {
	if n.FeedURL != "" {
		v.httpsURL("notices.feed_url", n.FeedURL)
		if len(n.Keys) == 0 {
			v.add("notices.keys", "is empty, but notices.feed_url is set; list the public key the feed is signed with")
		}
	}
	if n.SignatureURL != "" {
		v.httpsURL("notices.signature_url", n.SignatureURL)
	}
	if len(n.Keys) > 4 {
		v.add("notices.keys", "%d keys, at most 4 allowed (two are enough for a rotation)", len(n.Keys))
	}
	for _, k := range n.Keys {
		if _, err := minisign.ParsePublicKey(k); err != nil {
			v.add("notices.keys", "%q is not a minisign public key: %v", k, err)
		}
	}
	v.durationRange("notices.interval", n.Interval, notices.MinPollInterval, 24*time.Hour)
	if _, err := notices.ParseAllowList(n.AllowedLinkHosts); err != nil {
		v.add("notices.allowed_link_hosts", "%v", err)
	}
	for _, g := range n.Groups {
		if strings.TrimSpace(g) == "" || len(g) > 64 {
			v.add("notices.groups", "%q is not a group name (1 to 64 characters)", g)
		}
	}
	if n.DropDir != "" {
		v.absolute("notices.drop_dir", n.DropDir)
	}
	if n.CAFile != "" {
		v.absolute("notices.ca_file", n.CAFile)
	}
	v.durationRange("notices.responses_interval", n.ResponsesInterval, time.Second, 24*time.Hour)
	v.intRange("notices.popups_per_hour", int64(n.PopupsPerHour), 0, 60)
}
