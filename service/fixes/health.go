package fixes

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/fixes/audit"
	"github.com/firstline-it/firstline/internal/fixes/health"
	"github.com/firstline-it/firstline/internal/localapi"
)

// ErrUnknownCheck is returned for a health check name that does not exist
// or that IT did not enable.
var ErrUnknownCheck = errors.New("no such health check")

// Health runs the named checks (every enabled one when names is empty) on a
// recent measurement of the machine.
func (s *Service) Health(ctx context.Context, names ...string) (*localapi.HealthReport, error) {
	for _, n := range names {
		if !slices.Contains(s.opts.Checks, n) {
			return nil, fmt.Errorf("%w: %q (the checks are %s)", ErrUnknownCheck, audit.Shorten(n, 32),
				strings.Join(s.opts.Checks, ", "))
		}
	}
	if len(names) == 0 {
		names = s.opts.Checks
	}
	rep := &localapi.HealthReport{Checks: []localapi.HealthCheck{}, Worst: "ok"}
	if len(names) > 0 {
		in, err := s.input(ctx)
		if err != nil {
			return nil, err
		}
		rs, err := health.Run(in, s.opts.Thresholds, names...)
		if err != nil {
			return nil, fmt.Errorf("running health checks: %w", err)
		}
		rep = localapi.NewHealthReport(rs)
	}
	rep.Checked = s.opts.Now().UTC()
	return rep, nil
}

// input is the latest measurement, taken anew when older than the cache's
// lifetime. One measurement runs at a time; callers arriving meanwhile
// wait for it and use its result, so a flood of requests costs one.
func (s *Service) input(ctx context.Context) (health.Input, error) {
	select {
	case s.gathering <- struct{}{}:
		defer func() { <-s.gathering }()
	case <-ctx.Done():
		return health.Input{}, ctx.Err()
	}
	s.cacheMu.Lock()
	in, at := s.cached, s.cachedAt
	s.cacheMu.Unlock()
	now := s.opts.Now()
	if !at.IsZero() && now.Sub(at) < s.opts.HealthCacheTTL && !now.Before(at) {
		return in, nil
	}
	if s.opts.Health != nil {
		in = s.opts.Health(ctx)
	}
	if err := ctx.Err(); err != nil {
		return health.Input{}, err // a measurement cut short is not cached
	}
	s.cacheMu.Lock()
	s.cached, s.cachedAt = in, s.opts.Now()
	s.cacheMu.Unlock()
	return in, nil
}

// RunHealth checks the machine soon after it starts and then every
// HealthInterval, and tells OnHealth the summary when it changes (the
// first one always), until ctx ends.
func (s *Service) RunHealth(ctx context.Context) error {
	timer := time.NewTimer(s.opts.HealthFirst)
	defer timer.Stop()
	var last *localapi.HealthSummary
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		}
		rep, err := s.Health(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			s.log.Warn("health checks failed", "err", err)
		default:
			sum := rep.Summary()
			if last == nil || sum != *last {
				s.log.Info("health changed", "critical", sum.Critical, "warning", sum.Warning, "worst", rep.Worst)
				if s.opts.OnHealth != nil {
					s.opts.OnHealth(sum)
				}
				last = &sum
			}
		}
		timer.Reset(s.opts.HealthInterval)
	}
}
