// Package logging builds the service's slog.Logger. An installed service has
// no console (a Windows service has none at all), so logs go to a rotated
// file when IT configured one, else to the OS's service logger: stderr
// captured by journald on Linux, the Event Log on Windows, syslog on macOS.
package logging

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
)

// SystemLogger is the OS service logger (kardianos/service's Logger).
type SystemLogger interface {
	Error(v ...any) error
	Warning(v ...any) error
	Info(v ...any) error
}

// Options choose where logs go.
type Options struct {
	// Level is debug, info, warn or error.
	Level string
	// File, when set, receives the logs, rotated by size.
	File         string
	MaxSizeBytes int64
	MaxFiles     int
	// Interactive is true when run from a terminal (firstline-service run
	// by hand, dev mode): logs also go to Stderr.
	Interactive bool
	// System is the OS service logger, used when there is no File and the
	// process is not interactive; on Linux stderr is used instead because
	// systemd hands it to the journal with the unit's name.
	System SystemLogger
	Stderr io.Writer
}

// New returns the logger and a closer for its file (a no-op without one).
func New(opts Options) (*slog.Logger, io.Closer, error) {
	level, err := ParseLevel(opts.Level)
	if err != nil {
		return nil, nil, err
	}
	hopts := &slog.HandlerOptions{Level: level}
	stderr := opts.Stderr
	if stderr == nil {
		stderr = os.Stderr
	}

	var handlers []slog.Handler
	closer := io.Closer(nopCloser{})
	if opts.File != "" {
		rot, err := OpenRotator(opts.File, opts.MaxSizeBytes, opts.MaxFiles)
		if err != nil {
			return nil, nil, err
		}
		closer = rot
		handlers = append(handlers, slog.NewTextHandler(rot, hopts))
	}
	switch {
	case opts.Interactive:
		handlers = append(handlers, slog.NewTextHandler(stderr, hopts))
	case opts.File != "":
		// The file has everything; the OS logger gets what needs eyes.
		if opts.System != nil && runtime.GOOS != "linux" {
			handlers = append(handlers, newSystemHandler(opts.System, slog.LevelWarn))
		}
	case runtime.GOOS == "linux" || opts.System == nil:
		handlers = append(handlers, slog.NewTextHandler(stderr, hopts))
	default:
		handlers = append(handlers, newSystemHandler(opts.System, level))
	}
	return slog.New(slog.NewMultiHandler(handlers...)), closer, nil
}

// ParseLevel accepts debug, info, warn and error.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "", "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("unknown log level %q (use debug, info, warn or error)", s)
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }
