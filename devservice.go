package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/firstline-it/firstline/internal/buildinfo"
	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/service/daemon"
)

// devService is the service running inside the app for `firstline --dev`:
// the real daemon, with its socket and state in a private temporary folder
// that is removed on exit.
type devService struct {
	dir    string
	socket string
	d      *daemon.Daemon
	log    *slog.Logger
}

func startDevService(log *slog.Logger) (*devService, error) {
	dir, err := os.MkdirTemp("", "firstline-dev-")
	if err != nil {
		return nil, fmt.Errorf("creating the dev folder: %w", err)
	}
	cfg := config.Defaults()
	cfg.Service.StateDir = filepath.Join(dir, "state")
	cfg.Support.Organization = "Your IT team (dev mode)"
	cfg.Support.Email = "it@example.com"
	cfg.Support.URL = "https://example.com/it"
	if err := devNotices(cfg, dir, time.Now()); err != nil {
		log.Warn("dev mode: no sample notices", "err", err)
	}
	s := &devService{
		dir:    dir,
		socket: filepath.Join(dir, "run", "local.sock"),
		log:    log.With("component", "dev-service"),
	}
	s.d = daemon.New(daemon.Options{
		Config: cfg, SocketPath: s.socket, Dev: true, Version: buildinfo.Version(), Logger: s.log,
	})
	if err := s.d.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	log.Info("dev mode: service running in-process", "folder", dir)
	return s, nil
}

func (s *devService) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.d.Stop(ctx); err != nil {
		s.log.Warn("stopping the in-process service", "err", err)
	}
	os.RemoveAll(s.dir)
}
