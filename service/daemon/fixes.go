package daemon

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	core "github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/builtin"
	"github.com/firstline-it/firstline/internal/fixes/health"
	"github.com/firstline-it/firstline/internal/fixes/health/measure"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/privdir"
	"github.com/firstline-it/firstline/service/fixes"
)

// openFixes builds the fixes component when IT left fixes on. Its health
// loop reports into the hub, so every watcher sees the summary.
func (d *Daemon) openFixes() (*fixes.Service, error) {
	cfg := d.opts.Config
	if !cfg.Fixes.Enabled {
		return nil, nil
	}
	opts := fixes.Options{
		CatalogDir:     cfg.Fixes.CatalogDir(d.opts.ConfigPath),
		AuditPath:      cfg.Fixes.AuditPath(cfg.Service.StateDir),
		Logger:         d.log,
		RateBurst:      cfg.Fixes.RateBurst,
		RateRefill:     cfg.Fixes.RateRefill.Duration(),
		Health:         d.opts.HealthInput,
		Thresholds:     cfg.Health.Thresholds(),
		Checks:         append([]string{}, cfg.Health.Checks...),
		HealthInterval: cfg.Health.Interval.Duration(),
		HealthFirst:    d.opts.HealthFirst,
		OnHealth: func(sum localapi.HealthSummary) {
			d.hub.Update(func(st *localapi.State) { st.Health = sum })
		},
	}
	if opts.Health == nil {
		opts.Health = newGatherer().gather
	}
	if d.opts.Dev {
		if err := d.devFixes(&opts); err != nil {
			return nil, err
		}
	}
	if err := privdir.MkdirAll(filepath.Dir(opts.AuditPath)); err != nil {
		return nil, fmt.Errorf("creating the folder of the fix audit log: %w", err)
	}
	svc, err := fixes.New(opts)
	if err != nil {
		return nil, fmt.Errorf("setting up fixes: %w", err)
	}
	return svc, nil
}

// devFixes adapts the fixes for dev mode, where the app runs the service
// in-process as the employee, not root. IT's folder is not read (an
// employee's files would be refused as untrusted anyway, noisily), and the
// roots that "Free disk space" cleans point at a sandbox under the state
// folder, seeded with old files, so the fix runs for real and reports the
// space it reclaimed without touching the machine's /tmp.
func (d *Daemon) devFixes(opts *fixes.Options) error {
	if d.opts.Config.Fixes.Dir == "" {
		opts.CatalogDir = filepath.Join(d.opts.Config.Service.StateDir, "dev-no-fixes.d")
	}
	opts.Builtins = devBuiltins(builtin.Current())
	base := filepath.Join(d.opts.Config.Service.StateDir, "dev-sandbox")
	opts.Roots = map[string]string{"temp": filepath.Join(base, "tmp"), "var-tmp": filepath.Join(base, "var-tmp")}
	opts.AgeByModTime = true
	for _, dir := range opts.Roots {
		if err := seedSandbox(dir, time.Now()); err != nil {
			return fmt.Errorf("preparing the dev sandbox of the fixes: %w", err)
		}
	}
	d.log.Info("dev mode: system fixes clean a sandbox", "folder", base)
	return nil
}

// devBuiltins are the built-ins with "Free disk space" reduced to its
// clean-up steps: the package and journal tools need root, fail for the
// employee dev mode runs as, and would end the run before the sandbox is
// cleaned. The dry run shows the reduced steps, so what is shown is what
// runs.
func devBuiltins(list []core.Fix) []core.Fix {
	for i, f := range list {
		if f.ID != builtin.FreeDiskSpace {
			continue
		}
		var steps []core.Step
		for _, st := range f.Steps {
			if _, ok := st.(core.RemoveOld); ok {
				steps = append(steps, st)
			}
		}
		list[i].Steps = steps
		list[i].Description += " (Dev mode: only the sandbox's temporary files are cleaned.)"
	}
	return list
}

// seedSandbox fills dir with a few files last changed 30 days before now
// (which "Free disk space" removes) and one fresh file (which it keeps).
// Files already there are left alone, so a second start seeds again only
// what a run removed.
func seedSandbox(dir string, now time.Time) error {
	if err := os.MkdirAll(filepath.Join(dir, "old-downloads"), 0o700); err != nil {
		return err
	}
	old := now.Add(-30 * 24 * time.Hour)
	files := []struct {
		name string
		size int
		mod  time.Time
	}{
		{"installer-cache.bin", 256 << 10, old},
		{"old-downloads/report-draft.tmp", 64 << 10, old},
		{"old-downloads/update.partial", 128 << 10, old},
		{"session.log", 16 << 10, old},
		{"recent-work.tmp", 8 << 10, now},
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.name))
		if _, err := os.Lstat(p); err == nil {
			continue
		}
		if err := os.WriteFile(p, make([]byte, f.size), 0o600); err != nil {
			return err
		}
		if err := os.Chtimes(p, f.mod, f.mod); err != nil {
			return err
		}
	}
	return nil
}

// gatherer measures the machine for the health checks. The slow
// measurements (a package manager's simulation, Windows Update's search)
// run at most every slowEvery; in between, their last answer stands in.
type gatherer struct {
	mu       sync.Mutex
	slowAt   time.Time
	lastSlow health.Input
}

const slowEvery = 6 * time.Hour

func newGatherer() *gatherer { return &gatherer{} }

func (g *gatherer) gather(ctx context.Context) health.Input {
	g.mu.Lock()
	defer g.mu.Unlock()
	slow := g.slowAt.IsZero() || time.Since(g.slowAt) > slowEvery
	in := measure.Gather(ctx, measure.Options{Slow: slow})
	if slow && ctx.Err() == nil {
		g.slowAt, g.lastSlow = time.Now(), in
	}
	if in.PendingSecurityUpdates == nil {
		in.PendingSecurityUpdates = g.lastSlow.PendingSecurityUpdates
	}
	return in
}
