package config

import (
	"log/slog"
	"time"
)

// Config is the whole service configuration. The zero value is not useful:
// start from [Defaults] (which [Load] does) so that keys a file does not set
// keep their documented defaults.
//
// Every field carries a toml tag; the loader derives its schema (known keys,
// expected types) from these tags, and the tests check that every key is
// documented in the example file.
type Config struct {
	// Service is how the service process itself behaves: logging, where it
	// keeps state, how it stops.
	Service Service `toml:"service"`
	// LocalAPI bounds the local socket/pipe API the tray app talks to.
	LocalAPI LocalAPI `toml:"localapi"`
	// Support is how employees reach IT, shown in the app.
	Support Support `toml:"support"`
	// SysInfo is what the system snapshot collects and removes.
	SysInfo SysInfo `toml:"sysinfo"`
	// Probes are the connectivity checks of the This computer page.
	Probes Probes `toml:"probes"`
	// Reports bounds the spool of "Get help" reports.
	Reports Reports `toml:"reports"`
	// Delivery is where reports go: the route and each destination.
	Delivery Delivery `toml:"delivery"`
	// Notices is where IT notices come from and whom to trust.
	Notices Notices `toml:"notices"`
	// Fixes are the one-click repairs and their audit log.
	Fixes Fixes `toml:"fixes"`
	// Health is which health checks run and IT's limits for them.
	Health Health `toml:"health"`
}

// Service is the [service] table.
type Service struct {
	// LogLevel is the minimum level logged: debug, info, warn or error.
	LogLevel LogLevel `toml:"log_level"`
	// LogFile is the file the service logs to. Empty means the OS service
	// logger (journald on Linux). Must be absolute when set. Defaults: Linux
	// "", Windows %ProgramData%\Firstline\logs\service.log, macOS
	// /Library/Logs/Firstline/service.log.
	LogFile string `toml:"log_file"`
	// LogMaxSizeMB is the size in MiB at which LogFile is rotated (1..1024).
	LogMaxSizeMB int `toml:"log_max_size_mb"`
	// LogMaxFiles is how many rotated log files are kept (1..100).
	LogMaxFiles int `toml:"log_max_files"`
	// StateDir is where the service keeps its state; must be absolute.
	// Defaults: Linux /var/lib/firstline, Windows
	// %ProgramData%\Firstline\state, macOS /Library/Application
	// Support/Firstline/state.
	StateDir string `toml:"state_dir"`
	// ShutdownTimeout is how long in-flight requests get to finish when the
	// service stops (1s..60s).
	ShutdownTimeout Duration `toml:"shutdown_timeout"`
}

// LocalAPI is the [localapi] table.
type LocalAPI struct {
	// MaxConnections caps concurrent connections to the local API (1..4096).
	MaxConnections int `toml:"max_connections"`
	// MaxBodyBytes caps a request body in bytes (1024..67108864, 64 MiB).
	MaxBodyBytes int64 `toml:"max_body_bytes"`
	// RequestTimeout is the read/write timeout of ordinary requests
	// (1s..10m). Long-lived streams are not bound by it.
	RequestTimeout Duration `toml:"request_timeout"`
}

// Support is the [support] table: contact details shown to employees.
type Support struct {
	// Organization is the name of the IT team as employees know it (at most
	// 80 characters).
	Organization string `toml:"organization"`
	// Phone is a phone number, free-form (at most 40 characters); empty
	// hides it.
	Phone string `toml:"phone"`
	// Email is a bare address such as it@example.com; empty hides it.
	Email string `toml:"email"`
	// URL is an https:// page about IT support; empty hides it. http:// is
	// refused because the app would send employees to an unprotected page.
	URL string `toml:"url"`
}

// SysInfo is the [sysinfo] table.
type SysInfo struct {
	// Sections are the parts of the system snapshot collected for reports
	// and shown to the employee; see SnapshotSections.
	Sections []string `toml:"sections"`
	// Redact are the redaction rules applied before a snapshot leaves the
	// service; see RedactionRules. An empty list sends everything.
	Redact []string `toml:"redact"`
	// SampleInterval is how often CPU, memory, disk and network use are
	// sampled for the last-hour chart (1s..5m).
	SampleInterval Duration `toml:"sample_interval"`
	// History is how far back the chart reaches (5m..24h); memory use
	// grows with History/SampleInterval.
	History Duration `toml:"history"`
}

// Probes is the [probes] table.
type Probes struct {
	// Builtin names the built-in services checked; see BuiltinProbes.
	Builtin []string `toml:"builtin"`
	// Targets are the company's own services, checked as well (at most
	// 20).
	Targets []ProbeTarget `toml:"targets"`
	// CaptivePortalURL answers 204 with no body when nothing intercepts
	// the connection; "" uses the built-in one.
	CaptivePortalURL string `toml:"captive_portal_url"`
	// Budget bounds a whole run of probes (1s..5s).
	Budget Duration `toml:"budget"`
}

// ProbeTarget is one HTTPS service to check.
type ProbeTarget struct {
	Name string `toml:"name"`
	URL  string `toml:"url"`
}

// SnapshotSections are the section names [sysinfo] sections accepts. The
// sysinfo package's tests keep the list in step with the collectors.
func SnapshotSections() []string {
	return []string{"host", "hardware", "network", "processes", "problems", "software"}
}

// RedactionRules are the rule names [sysinfo] redact accepts, kept in step
// with the sysinfo package by its tests.
func RedactionRules() []string {
	return []string{"home-paths", "serials", "macs", "wifi-ssid", "cmdline", "environment"}
}

// BuiltinProbes are the services [probes] builtin accepts, kept in step
// with the probes package by its tests.
func BuiltinProbes() []string {
	return []string{"microsoft-365", "google-workspace", "slack", "zoom"}
}

// LogLevel is one of the four levels the service logs at.
type LogLevel string

// The accepted log levels, from most to least verbose.
const (
	LogDebug LogLevel = "debug"
	LogInfo  LogLevel = "info"
	LogWarn  LogLevel = "warn"
	LogError LogLevel = "error"
)

// logLevels lists the accepted levels in the order error messages show them.
func logLevels() []LogLevel { return []LogLevel{LogDebug, LogInfo, LogWarn, LogError} }

// Slog maps the level to its log/slog counterpart. An unknown level (which a
// validated Config never holds) maps to info rather than silencing logs.
func (l LogLevel) Slog() slog.Level {
	switch l {
	case LogDebug:
		return slog.LevelDebug
	case LogWarn:
		return slog.LevelWarn
	case LogError:
		return slog.LevelError
	default:
		return slog.LevelInfo
	}
}

// Defaults returns the configuration used when no file sets anything, for
// the OS the binary was built for. Each call returns a fresh value the
// caller may modify.
func Defaults() *Config {
	l := currentLayout()
	reports, delivery := reportsDefaults()
	fixes, health := fixesDefaults()
	return &Config{
		Service: Service{
			LogLevel:        LogInfo,
			LogFile:         l.logFile,
			LogMaxSizeMB:    10,
			LogMaxFiles:     5,
			StateDir:        l.stateDir,
			ShutdownTimeout: Duration(5 * time.Second),
		},
		LocalAPI: LocalAPI{
			MaxConnections: 64,
			MaxBodyBytes:   1 << 20,
			RequestTimeout: Duration(30 * time.Second),
		},
		Support: Support{
			Organization: "IT Support",
		},
		SysInfo: SysInfo{
			Sections:       SnapshotSections(),
			Redact:         RedactionRules(),
			SampleInterval: Duration(10 * time.Second),
			History:        Duration(time.Hour),
		},
		Probes: Probes{
			Builtin: BuiltinProbes(),
			Targets: []ProbeTarget{},
			Budget:  Duration(4 * time.Second),
		},
		Reports:  reports,
		Delivery: delivery,
		Notices:  noticesDefaults(),
		Fixes:    fixes,
		Health:   health,
	}
}
