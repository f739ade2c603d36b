package main

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/notices"
	"github.com/firstline-it/firstline/internal/notices/minisign"
)

// devNotices gives dev mode a signing key and a drop folder holding two
// sample notices signed with it, so `firstline --dev` shows what IT's
// notices look like without a feed server.
func devNotices(cfg *config.Config, dir string, now time.Time) error {
	key, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("making the dev notice key: %w", err)
	}
	drop := filepath.Join(dir, "notices.d")
	if err := os.Mkdir(drop, 0o755); err != nil {
		return fmt.Errorf("creating the dev drop folder: %w", err)
	}
	feed := notices.Feed{
		Version:   notices.FeedVersion,
		Sequence:  1,
		Published: now.UTC(),
		Notices: []notices.Notice{
			{
				ID: "dev-maintenance", Severity: notices.SeverityWarning, Created: now.UTC(),
				Title:      "Email maintenance tonight from 22:00",
				Body:       "Email will be unavailable for about 30 minutes while IT updates the mail servers. Messages sent meanwhile are delivered afterwards.",
				Expires:    now.Add(12 * time.Hour).UTC(),
				RequireAck: true,
			},
			{
				ID: "dev-welcome", Severity: notices.SeverityInfo, Created: now.Add(-time.Hour).UTC(),
				Title: "This is what a notice from IT looks like",
				Body:  "Dev mode signs this sample with a key made for this run. Installed Firstline only shows notices signed with IT's keys.",
				Links: []notices.Link{{Title: "About IT support", URL: "https://example.com/it"}},
			},
		},
	}
	data, err := json.MarshalIndent(feed, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the dev notices: %w", err)
	}
	sig, err := minisign.Sign(key, data, minisign.SignOptions{FileName: "samples.json"})
	if err != nil {
		return fmt.Errorf("signing the dev notices: %w", err)
	}
	if err := os.WriteFile(filepath.Join(drop, "samples.json"), data, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(drop, "samples.json.minisig"), sig, 0o644); err != nil {
		return err
	}
	cfg.Notices.Keys = []string{key.Public().String()}
	cfg.Notices.DropDir = drop
	cfg.Notices.AllowedLinkHosts = []string{"example.com"}
	return nil
}
