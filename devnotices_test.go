package main

import (
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/notices"
)

// TestDevNoticesAreAccepted: dev mode's sample notices pass the same
// checks as IT's (signature, schema, folder trust).
func TestDevNoticesAreAccepted(t *testing.T) {
	cfg := config.Defaults()
	now := time.Now()
	if err := devNotices(cfg, t.TempDir(), now); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("dev config invalid: %v", err)
	}
	keys, err := cfg.Notices.PublicKeys()
	if err != nil {
		t.Fatal(err)
	}
	drop, err := notices.ReadDropFolder(notices.DropOptions{Dir: cfg.Notices.DropDir, Keys: keys}, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(drop.Notices) != 2 || len(drop.Files) != 1 || drop.Files[0].Err != nil {
		t.Errorf("drop folder: %d notices, files %+v", len(drop.Notices), drop.Files)
	}
}
