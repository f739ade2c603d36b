// Package measure gathers the health checks' input from the machine: disk
// space, uptime, a pending restart, the clock's offset from network time,
// name lookups, pending security updates, antivirus, firewall, backup and
// battery wear.
//
// Every measurement runs side by side under its own short deadline, and
// one that fails or times out leaves its field nil, which the check
// reports as unknown rather than guessing. What a system snapshot already
// holds (disk, uptime, battery, the security software) is reused; the
// rest is read from files where the OS keeps it, and from the OS's own
// tools otherwise.
package measure

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/command"
	"github.com/firstline-it/firstline/internal/fixes/health"
	"github.com/firstline-it/firstline/internal/sysinfo"
	"github.com/firstline-it/firstline/internal/sysinfo/software"
)

// Defaults of Options.
const (
	// DefaultTimeout bounds each measurement.
	DefaultTimeout = 2 * time.Second
	// DefaultSlowTimeout bounds the measurements Options.Slow turns on.
	DefaultSlowTimeout = 20 * time.Second
	// NetworkBudget bounds everything that waits on the network (the name
	// lookup, macOS' sntp): a broken network must not hold a monitoring
	// plugin for long.
	NetworkBudget = 1500 * time.Millisecond
)

// DefaultLookupHosts are the names the DNS measurement resolves: large
// providers' names that resolve from every network that works at all.
// One answer is enough.
func DefaultLookupHosts() []string {
	return []string{"www.microsoft.com", "www.google.com"}
}

// Options configure Gather.
type Options struct {
	// Root is the file system root files are read under: "" or "/" is the
	// live system, tests point it at a fixture tree.
	Root string
	// Snapshot is a recent system snapshot, optional: what it holds (disk,
	// uptime, battery, security software) is used instead of measured.
	Snapshot *sysinfo.Snapshot
	// Run runs external commands; nil means command.Runner with the
	// timeout of the measurement.
	Run command.Func
	// Offline skips everything that needs the network: the name lookup
	// and a clock comparison that asks a time server itself.
	Offline bool
	// Slow also runs the measurements that take seconds (apt's or dnf's
	// simulation, Windows Update's search). The service runs them now and
	// then and caches the answer; without Slow those fields stay unknown
	// unless a cheap source has them.
	Slow bool
	// Timeout bounds each ordinary measurement (default DefaultTimeout),
	// SlowTimeout each slow one (default DefaultSlowTimeout).
	Timeout, SlowTimeout time.Duration
	// LookupHosts are the names resolved to test DNS (default
	// DefaultLookupHosts); Lookup resolves one (default the system
	// resolver).
	LookupHosts []string
	Lookup      func(ctx context.Context, host string) ([]string, error)
	// Now is the clock ages are measured against; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// gatherer is one Gather call: the options with defaults filled in.
type gatherer struct {
	opts Options
	root string
	now  time.Time
	log  *slog.Logger
}

// Gather measures everything health.Input holds. It returns once every
// measurement has answered or run out of time; ctx ending early leaves
// what had not been measured unknown.
func Gather(ctx context.Context, opts Options) health.Input {
	g := newGatherer(opts)
	var (
		mu sync.Mutex
		in health.Input
		wg sync.WaitGroup
	)
	for _, m := range g.measurements() {
		wg.Go(func() {
			mctx, cancel := context.WithTimeout(ctx, m.timeout)
			defer cancel()
			set, err := m.run(mctx)
			if err != nil {
				g.log.Debug("health measurement failed", "measurement", m.name, "err", err)
				return
			}
			if set != nil {
				mu.Lock()
				set(&in)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return in
}

func newGatherer(opts Options) *gatherer {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.SlowTimeout <= 0 {
		opts.SlowTimeout = DefaultSlowTimeout
	}
	if opts.Run == nil {
		// The measurement's own deadline bounds every command; the runner's
		// timeout is only the backstop.
		opts.Run = command.Runner(max(opts.SlowTimeout, opts.Timeout))
	}
	if len(opts.LookupHosts) == 0 {
		opts.LookupHosts = DefaultLookupHosts()
	}
	if opts.Lookup == nil {
		opts.Lookup = net.DefaultResolver.LookupHost
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	root := opts.Root
	if root == "" {
		root = "/"
	}
	return &gatherer{opts: opts, root: root, now: now(), log: log}
}

// setter stores a measurement into the input.
type setter func(*health.Input)

// measurement is one thing Gather measures, under its own deadline.
type measurement struct {
	name    string
	timeout time.Duration
	run     func(ctx context.Context) (setter, error)
}

// errSkipped is a measurement that did not apply (offline, not slow):
// nothing is logged as failed.
var errSkipped = errors.New("skipped")

func (g *gatherer) measurements() []measurement {
	t := g.opts.Timeout
	ms := []measurement{
		{"disk", t, g.disk},
		{"uptime", t, g.uptime},
		{"reboot", t, g.reboot},
		{"clock", min(t, NetworkBudget), g.clock},
		{"updates", t, g.updates},
		{"security-software", t, g.securitySoftware},
		{"battery", t, g.battery},
	}
	if !g.opts.Offline {
		ms = append(ms, measurement{"dns", NetworkBudget, g.dns})
	}
	if g.opts.Slow {
		ms = append(ms, measurement{"updates-slow", g.opts.SlowTimeout, g.slowUpdates})
	}
	return ms
}

// disk is the system disk's free space: the snapshot's, or statfs.
func (g *gatherer) disk(ctx context.Context) (setter, error) {
	if d := g.snapshotDisk(); d != nil {
		return func(in *health.Input) { in.DiskFreePct, in.DiskPath = health.Known(round1(d.FreePercent)), d.Mount }, nil
	}
	pct, where, err := g.diskFree(ctx)
	if err != nil {
		return nil, err
	}
	return func(in *health.Input) { in.DiskFreePct, in.DiskPath = health.Known(round1(pct)), where }, nil
}

// snapshotDisk is the snapshot's entry for the system disk, if any.
func (g *gatherer) snapshotDisk() *sysinfo.Disk {
	s := g.opts.Snapshot
	if s == nil || s.Hardware == nil {
		return nil
	}
	for i, d := range s.Hardware.Disks {
		if isSystemMount(d.Mount) && d.Total > 0 {
			return &s.Hardware.Disks[i]
		}
	}
	return nil
}

// isSystemMount says whether mount is where the OS lives: "/" on Unix,
// the system drive on Windows.
func isSystemMount(mount string) bool {
	if mount == "/" {
		return true
	}
	drive := strings.TrimRight(os.Getenv("SystemDrive"), `\`)
	if drive == "" {
		drive = "C:"
	}
	return strings.EqualFold(strings.TrimRight(mount, `\`), drive)
}

// uptime is the time since boot: the snapshot's, moved on by its age, or
// the OS's.
func (g *gatherer) uptime(ctx context.Context) (setter, error) {
	if s := g.opts.Snapshot; s != nil && s.Host != nil && s.Host.UptimeSeconds > 0 {
		up := time.Duration(s.Host.UptimeSeconds) * time.Second
		if !s.TakenAt.IsZero() && g.now.After(s.TakenAt) {
			up += g.now.Sub(s.TakenAt)
		}
		return func(in *health.Input) { in.Uptime = health.Known(up) }, nil
	}
	up, err := g.osUptime(ctx)
	if err != nil {
		return nil, err
	}
	return func(in *health.Input) { in.Uptime = health.Known(up) }, nil
}

func (g *gatherer) reboot(ctx context.Context) (setter, error) {
	pending, err := g.pendingReboot(ctx)
	if err != nil || pending == nil {
		return nil, err
	}
	return func(in *health.Input) { in.PendingReboot = pending }, nil
}

func (g *gatherer) clock(ctx context.Context) (setter, error) {
	off, err := g.clockOffset(ctx)
	if err != nil || off == nil {
		return nil, err
	}
	return func(in *health.Input) { in.ClockOffset = off }, nil
}

// updates is the cheap count of pending security updates, where the OS
// keeps one in a file.
func (g *gatherer) updates(ctx context.Context) (setter, error) {
	n, err := g.securityUpdates(ctx)
	if err != nil || n == nil {
		return nil, err
	}
	return func(in *health.Input) { in.PendingSecurityUpdates = n }, nil
}

// slowUpdates asks the package manager, when the cheap source had no
// answer; it never overrides a cheap answer.
func (g *gatherer) slowUpdates(ctx context.Context) (setter, error) {
	n, err := g.securityUpdatesSlow(ctx)
	if err != nil || n == nil {
		return nil, err
	}
	return func(in *health.Input) {
		if in.PendingSecurityUpdates == nil {
			in.PendingSecurityUpdates = n
		}
	}, nil
}

// dns resolves the lookup hosts; one answer means lookups work. A lookup
// that fails or times out means they do not, unless the caller gave up.
func (g *gatherer) dns(ctx context.Context) (setter, error) {
	var last error
	for _, h := range g.opts.LookupHosts {
		addrs, err := g.opts.Lookup(ctx, h)
		if err == nil && len(addrs) > 0 {
			return func(in *health.Input) { in.DNSOK = health.Known(true) }, nil
		}
		last = err
		if ctx.Err() != nil {
			break
		}
	}
	if errors.Is(context.Cause(ctx), context.Canceled) {
		return nil, errSkipped
	}
	g.log.Debug("name lookups fail", "err", last)
	return func(in *health.Input) { in.DNSOK = health.Known(false) }, nil
}

// securitySoftware reads antivirus, firewall and backup from the
// snapshot's software section, or detects them.
func (g *gatherer) securitySoftware(ctx context.Context) (setter, error) {
	var rep software.Report
	if s := g.opts.Snapshot; s != nil && s.Software != nil {
		rep = *s.Software
	} else {
		rep = software.Detect(ctx, software.Env{Root: g.opts.Root, Run: g.opts.Run, Timeout: g.opts.Timeout, Logger: g.log})
	}
	sec := fromSoftware(rep.Items, g.now)
	extra := g.extraBackup(ctx)
	return func(in *health.Input) {
		in.AVEnabled, in.AVDefinitionsAge, in.FirewallOn = sec.avEnabled, sec.avDefsAge, sec.firewallOn
		in.LastBackupAge = sec.backupAge
		if extra != nil {
			if age := max(g.now.Sub(*extra), 0); in.LastBackupAge == nil || age < *in.LastBackupAge {
				in.LastBackupAge = health.Known(age)
			}
		}
	}, nil
}

// security is what the software report says about protection.
type security struct {
	avEnabled  *bool
	avDefsAge  *time.Duration
	firewallOn *bool
	backupAge  *time.Duration
}

// fromSoftware reads protection from detected items. Antivirus is on when
// any installed product says so, off when every one that tells says off;
// the definitions are the newest any product has. The firewall likewise.
// Backup age is that of the newest successful backup of any agent.
func fromSoftware(items []software.Item, now time.Time) security {
	var s security
	var newestDefs, newestBackup *time.Time
	for _, it := range items {
		switch it.Kind {
		case software.KindSecurity:
			if !it.Installed {
				continue
			}
			s.avEnabled = orBool(s.avEnabled, avEnabled(it))
			newestDefs = newest(newestDefs, it.Definitions)
		case software.KindFirewall:
			s.firewallOn = orBool(s.firewallOn, it.Enabled)
		case software.KindBackup:
			if it.Installed {
				newestBackup = newest(newestBackup, it.LastBackup)
			}
		}
	}
	if newestDefs != nil {
		s.avDefsAge = health.Known(max(now.Sub(*newestDefs), 0))
	}
	if newestBackup != nil {
		s.backupAge = health.Known(max(now.Sub(*newestBackup), 0))
	}
	return s
}

// clamAV is the software item of ClamAV.
const clamAV = "ClamAV"

// avEnabled is whether a security product protects. ClamAV on a desktop
// scans on a schedule with its daemon and updater running; its real-time
// part (clamonacc) is rare there, so the daemon or updater running counts
// as on. For every other product only its own real-time flag counts: a
// running Defender with real-time protection off is exactly what the
// check is for.
func avEnabled(it software.Item) *bool {
	if it.Name == clamAV && (it.Enabled == nil || !*it.Enabled) && it.Running != nil && *it.Running {
		return health.Known(true)
	}
	return it.Enabled
}

// orBool combines "any is on": true wins, a known false beats unknown.
func orBool(acc, v *bool) *bool {
	switch {
	case v == nil:
		return acc
	case acc == nil || *v:
		return health.Known(*v)
	default:
		return acc
	}
}

func newest(acc, t *time.Time) *time.Time {
	if t == nil || t.IsZero() || (acc != nil && !t.After(*acc)) {
		return acc
	}
	return t
}

// battery is the battery's wear from the snapshot when it knows it, or
// measured.
func (g *gatherer) battery(ctx context.Context) (setter, error) {
	if s := g.opts.Snapshot; s != nil && s.Hardware != nil {
		if len(s.Hardware.Batteries) == 0 && g.snapshotKnowsNoBattery() {
			return func(in *health.Input) { in.NoBattery = true }, nil
		}
		if pct, ok := worstHealth(s.Hardware.Batteries); ok {
			return func(in *health.Input) { in.BatteryHealthPct = health.Known(pct) }, nil
		}
	}
	b, err := g.batteryHealth(ctx)
	if err != nil {
		return nil, err
	}
	return func(in *health.Input) { in.BatteryHealthPct, in.NoBattery = b.healthPct, b.none }, nil
}

// snapshotKnowsNoBattery says whether an empty battery list in the
// snapshot means there is none (its hardware section was collected
// fully), rather than that it could not tell.
func (g *gatherer) snapshotKnowsNoBattery() bool {
	for _, si := range g.opts.Snapshot.Sections {
		if si.Name == sysinfo.SectionHardware {
			return si.Status == sysinfo.StatusOK && si.Error == ""
		}
	}
	return false
}

// worstHealth is the most worn battery's health; ok is false when no
// battery reports one.
func worstHealth(bs []sysinfo.Battery) (float64, bool) {
	worst, ok := 0.0, false
	for _, b := range bs {
		if b.HealthPercent > 0 && (!ok || b.HealthPercent < worst) {
			worst, ok = b.HealthPercent, true
		}
	}
	return worst, ok
}

// batteryState is a measured battery: its health, or none at all.
type batteryState struct {
	healthPct *float64
	none      bool
}

// path is name under the root.
func (g *gatherer) path(name string) string {
	return filepath.Join(g.root, filepath.FromSlash(name))
}

// exists says whether name exists under the root.
func (g *gatherer) exists(name string) bool {
	_, err := os.Stat(g.path(name))
	return err == nil
}

// readFile reads a small file under the root.
func (g *gatherer) readFile(name string, limit int64) ([]byte, error) {
	f, err := os.Open(g.path(name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}
