package daemon

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/fixes/audit"
	"github.com/firstline-it/firstline/internal/fixes/health"
	"github.com/firstline-it/firstline/internal/localapi"
)

func startDaemon(t *testing.T, opts Options) *Daemon {
	t.Helper()
	dir := t.TempDir()
	if opts.Config == nil {
		opts.Config = config.Defaults()
	}
	opts.Config.Service.StateDir = filepath.Join(dir, "state")
	opts.ConfigPath = filepath.Join(dir, "etc", "firstline.toml")
	opts.SocketPath = filepath.Join(dir, "run", "local.sock")
	d := New(opts)
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Stop(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return d
}

// TestHealthReachesWatchers: the background health check's summary is in
// the state every watcher receives.
func TestHealthReachesWatchers(t *testing.T) {
	d := startDaemon(t, Options{
		HealthFirst: time.Millisecond,
		HealthInput: func(context.Context) health.Input {
			return health.Input{DiskFreePct: health.Known(2.0), DiskPath: "/", FirewallOn: health.Known(true)}
		},
	})
	c := localapi.NewClient(d.SocketPath())
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	found := errors.New("found")
	var got localapi.HealthSummary
	err := c.Watch(ctx, func(ev localapi.Event) error {
		if ev.State != nil && ev.State.Health.Critical > 0 {
			got = ev.State.Health
			return found
		}
		return nil
	})
	if !errors.Is(err, found) {
		t.Fatalf("watch ended without a health summary: %v", err)
	}
	if got != (localapi.HealthSummary{Critical: 1}) {
		t.Errorf("summary %+v, want one critical (the disk)", got)
	}
	st, err := c.Status(context.Background())
	if err != nil || !st.Has(localapi.CapFixes) {
		t.Errorf("status %+v %v", st, err)
	}
}

func TestFixesOff(t *testing.T) {
	cfg := config.Defaults()
	cfg.Fixes.Enabled = false
	d := startDaemon(t, Options{Config: cfg})
	c := localapi.NewClient(d.SocketPath())
	defer c.Close()
	st, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Has(localapi.CapFixes) {
		t.Error("fixes offered while IT turned them off")
	}
}

// TestDevModeFreesSandboxSpace: in dev mode "Free disk space" cleans a
// sandbox seeded with old files, for real, and reports what it reclaimed;
// the run is in the audit log.
func TestDevModeFreesSandboxSpace(t *testing.T) {
	d := startDaemon(t, Options{Dev: true, HealthInput: func(context.Context) health.Input { return health.Input{} }})
	c := localapi.NewClient(d.SocketPath())
	defer c.Close()
	ctx := context.Background()
	plan, err := c.FixPlan(ctx, "free-disk-space", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range plan.Steps {
		if len(s.Commands) > 0 {
			t.Errorf("dev mode would run %v as the employee", s.Commands)
		}
	}
	sandbox := filepath.Join(d.opts.Config.Service.StateDir, "dev-sandbox")
	var lines int
	res, err := c.RunFix(ctx, "free-disk-space", nil, func(localapi.FixProgress) { lines++ })
	if err != nil {
		t.Fatal(err)
	}
	// Each root holds 464 KiB of old files and 8 KiB of fresh ones.
	if res.Outcome != "success" || res.ReclaimedBytes != 2*464<<10 || lines == 0 {
		t.Errorf("result %+v (%d progress lines)", res, lines)
	}
	for _, root := range []string{"tmp", "var-tmp"} {
		if _, err := os.Stat(filepath.Join(sandbox, root, "recent-work.tmp")); err != nil {
			t.Errorf("a fresh file was removed: %v", err)
		}
		if _, err := os.Stat(filepath.Join(sandbox, root, "installer-cache.bin")); !os.IsNotExist(err) {
			t.Errorf("an old file was kept: %v", err)
		}
	}
	recs, err := audit.Read(d.opts.Config.Fixes.AuditPath(d.opts.Config.Service.StateDir), audit.Filter{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].FixID != "free-disk-space" || recs[0].ReclaimedBytes != res.ReclaimedBytes {
		t.Errorf("audit %+v", recs)
	}
}

func TestSeedSandboxKeepsWhatIsThere(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tmp")
	now := time.Now()
	if err := seedSandbox(dir, now); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "session.log")
	if err := os.WriteFile(p, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := seedSandbox(dir, now); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(p); string(data) != "mine" {
		t.Errorf("a second seed overwrote a file: %q", data)
	}
	fi, err := os.Stat(filepath.Join(dir, "old-downloads", "update.partial"))
	if err != nil || now.Sub(fi.ModTime()) < 29*24*time.Hour {
		t.Errorf("old file %v %v", fi, err)
	}
}
