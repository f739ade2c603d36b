package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const testNoticeKey = "RWTHdk+6lVmHrJklB2ZETOylK1rn5FHFzbIvBl3rdVFiukcuuuJjboTg"

func TestNoticesValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Notices)
		wantKey string // "" means valid
	}{
		{"defaults", func(*Notices) {}, ""},
		{"feed with key", func(n *Notices) { n.FeedURL = "https://cdn.example.com/n.json"; n.Keys = []string{testNoticeKey} }, ""},
		{"feed without key", func(n *Notices) { n.FeedURL = "https://cdn.example.com/n.json" }, "notices.keys"},
		{"http feed", func(n *Notices) { n.FeedURL = "http://cdn.example.com/n.json"; n.Keys = []string{testNoticeKey} }, "notices.feed_url"},
		{"http signature", func(n *Notices) { n.SignatureURL = "http://x.example.com/s" }, "notices.signature_url"},
		{"bad key", func(n *Notices) { n.Keys = []string{"RWQnotakey"} }, "notices.keys"},
		{"interval too short", func(n *Notices) { n.Interval = Duration(10 * time.Second) }, "notices.interval"},
		{"interval too long", func(n *Notices) { n.Interval = Duration(25 * time.Hour) }, "notices.interval"},
		{"bare wildcard host", func(n *Notices) { n.AllowedLinkHosts = []string{"*"} }, "notices.allowed_link_hosts"},
		{"good hosts", func(n *Notices) { n.AllowedLinkHosts = []string{"*.example.com", "intranet.example.com"} }, ""},
		{"empty group", func(n *Notices) { n.Groups = []string{" "} }, "notices.groups"},
		{"relative drop dir", func(n *Notices) { n.DropDir = "notices.d" }, "notices.drop_dir"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Defaults()
			tt.edit(&c.Notices)
			err := c.Validate()
			if tt.wantKey == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Validate = %v, want a problem at %s", err, tt.wantKey)
			}
			found := false
			for _, p := range ce.Problems {
				found = found || p.Key == tt.wantKey
			}
			if !found {
				t.Errorf("problems %v do not name %s", ce.Problems, tt.wantKey)
			}
		})
	}
}

func TestNoticesHelpers(t *testing.T) {
	n := Defaults().Notices
	if n.Enabled() {
		t.Error("enabled without keys")
	}
	cfg := filepath.Join(string(filepath.Separator)+"etc", "firstline", "firstline.toml")
	if got, want := n.DropFolder(cfg), filepath.Join(filepath.Dir(cfg), "notices.d"); got != want {
		t.Errorf("DropFolder = %q, want %q", got, want)
	}
	n.DropDir = "/srv/drop"
	if n.DropFolder(cfg) != "/srv/drop" {
		t.Errorf("DropFolder ignores drop_dir")
	}
	n.Keys = []string{testNoticeKey}
	keys, err := n.PublicKeys()
	if err != nil || len(keys) != 1 || !strings.HasPrefix(keys[0].String(), "RW") {
		t.Errorf("PublicKeys = %v, %v", keys, err)
	}
}
