// Package diag is the service's diagnostics: it owns the metrics sampler,
// takes system snapshots with IT's sections and redaction applied, draws
// the history chart and runs the connectivity probes — everything behind
// the LocalAPI's /v1/sysinfo, /v1/metrics and /v1/probes routes.
//
// Any local user may call those routes, so the expensive work is shared: a
// snapshot asked for while one is being taken waits for it, and probe runs
// are reused for a few seconds. A user looping on the API cannot make the
// service collect or send probe traffic without pause.
package diag

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/sysinfo"
	"github.com/firstline-it/firstline/internal/sysinfo/chart"
	"github.com/firstline-it/firstline/internal/sysinfo/metrics"
	"github.com/firstline-it/firstline/internal/sysinfo/netconf"
	"github.com/firstline-it/firstline/internal/sysinfo/probes"
)

// Reuse periods: within them a repeated request gets the previous answer.
const (
	snapshotReuse = 2 * time.Second
	probeReuse    = 5 * time.Second
)

// Options configure a Service.
type Options struct {
	Config *config.Config
	Logger *slog.Logger
	// Source replaces the real metrics source in tests.
	Source metrics.Source
	// Collect replaces sysinfo options in tests (Root, Run); Sections,
	// Requester and CPU are set by the service.
	Collect sysinfo.Options
	// Probe replaces probe options in tests (resolver, transport); the
	// targets come from the config.
	Probe probes.Options
	Now   func() time.Time
}

// Service is the diagnostics of one running service.
type Service struct {
	opts     Options
	log      *slog.Logger
	sampler  *metrics.Sampler
	started  time.Time
	sections []sysinfo.Section
	rules    []sysinfo.Rule

	snapMu   sync.Mutex
	snapKey  string
	snapAt   time.Time
	snapLast *sysinfo.Snapshot

	probeMu   sync.Mutex
	probeAt   time.Time
	probeLast probes.Report
}

// New builds the diagnostics from the configuration, which Load has
// validated; a name it does not know is skipped with a log line rather than
// failing the service.
func New(opts Options) *Service {
	if opts.Config == nil {
		opts.Config = config.Defaults()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	cfg := opts.Config.SysInfo
	// Non-nil even when IT lists no sections: nil would mean "all".
	s := &Service{opts: opts, log: opts.Logger, sections: []sysinfo.Section{}, started: opts.Now()}
	for _, name := range cfg.Sections {
		sec, err := sysinfo.ParseSections(name)
		if err != nil {
			s.log.Warn("sysinfo section skipped", "err", err)
			continue
		}
		s.sections = append(s.sections, sec...)
	}
	for _, name := range cfg.Redact {
		r, err := sysinfo.ParseRule(name)
		if err != nil {
			s.log.Warn("redaction rule skipped", "err", err)
			continue
		}
		s.rules = append(s.rules, r)
	}
	s.sampler = metrics.NewSampler(metrics.Options{
		Interval: cfg.SampleInterval.Duration(),
		Window:   cfg.History.Duration(),
		Source:   opts.Source,
		Logger:   opts.Logger,
		Now:      opts.Now,
	})
	return s
}

// Run samples metrics until ctx ends. The daemon owns the goroutine.
func (s *Service) Run(ctx context.Context) error {
	return s.sampler.Run(ctx)
}

// Snapshot collects the sections asked for that IT allows, redacted as IT
// configured, for who (who becomes the snapshot's user).
func (s *Service) Snapshot(ctx context.Context, asked []sysinfo.Section, who localapi.Identity) *sysinfo.Snapshot {
	sections := intersect(asked, s.sections)
	key := fmt.Sprint(sections, who.UID)
	s.snapMu.Lock()
	defer s.snapMu.Unlock()
	if s.snapLast != nil && s.snapKey == key && s.opts.Now().Sub(s.snapAt) < snapshotReuse {
		return s.snapLast
	}
	o := s.opts.Collect
	o.Sections = sections
	o.Requester = sysinfo.Requester{Name: who.Username, ID: who.UID}
	o.CPU = s.sampler // per-process CPU of the last interval, no waiting
	o.Logger = s.log
	snap := sysinfo.Collect(ctx, o)
	sysinfo.Redact(snap, s.rules)
	s.snapKey, s.snapAt, s.snapLast = key, s.opts.Now(), snap
	return snap
}

// History is the metrics of the last hour.
func (s *Service) History() metrics.History {
	return metrics.History{Interval: s.sampler.Interval(), Samples: s.sampler.Samples()}
}

// Chart draws the history.
func (s *Service) Chart(_ context.Context, width, height int) ([]byte, error) {
	title := "System activity"
	if h, err := os.Hostname(); err == nil {
		title += " · " + h
	}
	return chart.Render(s.sampler.Samples(), chart.Options{
		Title: title,
		Width: width, Height: height, Now: s.opts.Now(), Window: s.opts.Config.SysInfo.History.Duration(),
		Interval: s.sampler.Interval(), Started: s.started,
	})
}

// Probes runs the connectivity checks, or returns the run that finished
// within the last few seconds.
func (s *Service) Probes(ctx context.Context) probes.Report {
	s.probeMu.Lock()
	defer s.probeMu.Unlock()
	if !s.probeAt.IsZero() && s.opts.Now().Sub(s.probeAt) < probeReuse {
		return s.probeLast
	}
	o := s.probeOptions(ctx)
	s.probeLast = probes.Run(ctx, o)
	s.probeAt = s.opts.Now()
	return s.probeLast
}

func (s *Service) probeOptions(ctx context.Context) probes.Options {
	cfg := s.opts.Config.Probes
	o := s.opts.Probe
	o.Targets = targets(cfg)
	if cfg.CaptivePortalURL != "" {
		o.CaptivePortalURL = cfg.CaptivePortalURL
	}
	o.Budget = cfg.Budget.Duration()
	o.Logger = s.log
	if o.Gateways == nil {
		env := netconf.Env{Root: s.opts.Collect.Root, Run: s.opts.Collect.Run}
		o.Env = env
		gws, err := netconf.DefaultGateways(ctx, env)
		if err != nil {
			s.log.Debug("no gateway for the probes", "err", err)
		}
		for _, g := range gws {
			o.Gateways = append(o.Gateways, g.Address)
		}
	}
	return o
}

// targets are the built-in services IT kept, then the company's own.
func targets(cfg config.Probes) []probes.Target {
	out := []probes.Target{} // nil would mean the built-in list

	for _, t := range probes.DefaultTargets() {
		for _, name := range cfg.Builtin {
			if slug(t.Name) == name {
				out = append(out, t)
			}
		}
	}
	for _, t := range cfg.Targets {
		out = append(out, probes.Target{Name: t.Name, URL: t.URL})
	}
	return out
}

// slug turns a built-in target's name into its config name:
// "Microsoft 365" is "microsoft-365".
func slug(name string) string {
	return strings.ReplaceAll(strings.ToLower(name), " ", "-")
}

func intersect(asked, allowed []sysinfo.Section) []sysinfo.Section {
	if len(asked) == 0 {
		return allowed
	}
	out := []sysinfo.Section{}
	for _, a := range asked {
		for _, ok := range allowed {
			if a == ok {
				out = append(out, a)
			}
		}
	}
	return out
}
