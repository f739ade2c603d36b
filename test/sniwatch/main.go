// Command sniwatch stands in for a desktop's tray host and notification daemon
// on a D-Bus session bus, so that headless tests can prove a tray app really
// works: its StatusNotifierItem registers, its com.canonical.dbusmenu menu has
// the expected items, clicking them does something, menu changes are
// announced, and desktop notifications are sent.
//
// Tray mode (default):
//
//	sniwatch [--timeout 20s] [--dump] [--expect-icon] [--expect LABEL]...
//	         [--click LABEL]... [--wait-change 5s [--until LABEL]...]
//
// Notification mode:
//
//	sniwatch --notifications [--timeout 20s] [--count N] [--click-notifications]
//
// Machine-readable events are printed to stdout as one JSON object per line;
// the --dump menu tree is plain indented text. Diagnostics go to stderr.
//
// Adapted from the team's recipe for testing tray apps without a desktop.
// scripts/tray-e2e.sh builds it and runs each check inside the same
// dbus-run-session as the app under test (Xvfb provides the display): the
// check passes when sniwatch exits 0. See README.md for flags and exit codes.
//
// Files: main.go (flags, exit codes, bus connection, tray mode), watcher.go
// (org.kde.StatusNotifierWatcher and the registered item), menu.go
// (com.canonical.dbusmenu), signals.go (watching item and menu changes),
// notify.go (org.freedesktop.Notifications) and events.go (JSON output).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// Exit codes.
const (
	exitOK     = 0  // everything checked passed
	exitExpect = 1  // an --expect*, --click, --until or --count was not satisfied
	exitNoItem = 2  // no tray item registered within --timeout
	exitDBus   = 3  // session bus unreachable, name taken, or a D-Bus call failed
	exitUsage  = 64 // bad command line
)

// D-Bus names used by the StatusNotifierItem (SNI) and dbusmenu protocols.
const (
	watcherName   = "org.kde.StatusNotifierWatcher"
	watcherPath   = "/StatusNotifierWatcher"
	watcherIface  = "org.kde.StatusNotifierWatcher"
	itemIface     = "org.kde.StatusNotifierItem"
	defaultItem   = "/StatusNotifierItem"
	menuIface     = "com.canonical.dbusmenu"
	notifyName    = "org.freedesktop.Notifications"
	notifyPath    = "/org/freedesktop/Notifications"
	notifyIface   = "org.freedesktop.Notifications"
	propsIface    = "org.freedesktop.DBus.Properties"
	settlePoll    = 100 * time.Millisecond // gap between two menu reads that must agree
	settleMax     = 2 * time.Second        // longest wait for a changing menu to settle
	debounceDelay = 150 * time.Millisecond // quiet time after a menu signal before re-reading
)

// config holds the parsed command line.
type config struct {
	timeout       time.Duration
	dump          bool
	expectIcon    bool
	clicks        []string
	expects       []string
	waitChange    time.Duration
	until         []string
	notifications bool
	count         int
	// clickNotifications invokes the default action of each notification.
	clickNotifications bool
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// exitError carries the process exit code along with the message.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// fail returns an error that makes sniwatch exit with code.
func fail(code int, format string, args ...any) error {
	return &exitError{code: code, msg: fmt.Sprintf(format, args...)}
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(exitOK)
	case err != nil:
		os.Exit(exitUsage) // parseFlags has said why
	}

	if cfg.notifications {
		err = runNotifications(cfg)
	} else {
		err = runTray(cfg)
	}
	if err != nil {
		code := exitDBus
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
		}
		fmt.Fprintln(os.Stderr, "sniwatch:", err)
		os.Exit(code)
	}
}

// parseFlags parses the command line; on error it has already told the user.
func parseFlags(args []string) (config, error) {
	var cfg config
	var clicks, expects, until listFlag
	fs := flag.NewFlagSet("sniwatch", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: sniwatch [--timeout 20s] [--dump] [--expect-icon] [--expect LABEL]...
                [--click LABEL]... [--wait-change 5s [--until LABEL]...]
       sniwatch --notifications [--timeout 20s] [--count N] [--click-notifications]
Exit codes: 0 ok, 1 expectation failed, 2 no tray item registered, 3 D-Bus error, 64 usage.
`)
		fs.PrintDefaults()
	}
	fs.DurationVar(&cfg.timeout, "timeout", 20*time.Second, "how long to wait for a tray item to register and its menu to fill; with --notifications, how long to serve (0 = until killed)")
	fs.BoolVar(&cfg.dump, "dump", false, "print the menu tree (again after each change seen by --wait-change)")
	fs.Var(&clicks, "click", "click the first menu item with this label (repeatable, in order)")
	fs.BoolVar(&cfg.expectIcon, "expect-icon", false, "fail with exit 1 unless the item has an IconName or a non-empty IconPixmap")
	fs.Var(&expects, "expect", "fail with exit 1 unless a menu item has this label (repeatable)")
	fs.DurationVar(&cfg.waitChange, "wait-change", 0, "after the clicks, print menu and item signals for this long")
	fs.Var(&until, "until", "with --wait-change: stop as soon as the menu has this label, exit 1 if it never does (repeatable)")
	fs.BoolVar(&cfg.notifications, "notifications", false, "act as org.freedesktop.Notifications and print each notification instead of watching the tray")
	fs.BoolVar(&cfg.clickNotifications, "click-notifications", false, "with --notifications: click each notification that offers a default action (emits ActionInvoked)")
	fs.IntVar(&cfg.count, "count", 0, "with --notifications: exit 0 after this many notifications, exit 1 if fewer arrive in --timeout")
	if err := fs.Parse(args); err != nil {
		return cfg, err // the flag package has printed the error and usage
	}
	cfg.clicks, cfg.expects, cfg.until = clicks, expects, until
	var err error
	switch {
	case fs.NArg() > 0:
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case !cfg.notifications && cfg.timeout <= 0:
		err = errors.New("--timeout must be positive")
	case len(cfg.until) > 0 && cfg.waitChange <= 0:
		err = errors.New("--until needs --wait-change")
	}
	if err != nil {
		fmt.Fprintln(fs.Output(), "sniwatch:", err)
	}
	return cfg, err
}

// connect opens the session bus named by DBUS_SESSION_BUS_ADDRESS. Without
// that variable godbus would autolaunch a new, private bus through
// dbus-launch, which the app under test would never see.
func connect() (*dbus.Conn, error) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return nil, fail(exitDBus, "DBUS_SESSION_BUS_ADDRESS is not set: run the app and sniwatch under one dbus-run-session")
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return nil, fail(exitDBus, "cannot connect to the D-Bus session bus (run under dbus-run-session): %v", err)
	}
	return conn, nil
}

// own requests a well-known bus name and fails if someone else has it.
func own(conn *dbus.Conn, name string) error {
	reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue)
	if err != nil {
		return fail(exitDBus, "requesting %s: %v", name, err)
	}
	if reply != dbus.RequestNameReplyPrimaryOwner {
		return fail(exitDBus, "%s is already owned on this bus (a desktop or another sniwatch is running); use a private bus via dbus-run-session", name)
	}
	return nil
}

// runTray is the default mode: watch for a tray item, then check, click and
// watch its menu.
func runTray(cfg config) error {
	conn, err := connect()
	if err != nil {
		return err
	}
	defer conn.Close()

	w, err := startWatcher(conn)
	if err != nil {
		return err
	}
	start := time.Now()
	deadline := start.Add(cfg.timeout)
	out.event(map[string]any{"event": "watching", "name": watcherName})

	var ref itemRef
	select {
	case ref = <-w.registered:
	case <-time.After(cfg.timeout):
		return fail(exitNoItem, "the tray icon never registered: no app called %s.RegisterStatusNotifierItem within %s", watcherIface, cfg.timeout)
	}
	if ref.owner, err = resolveOwner(conn, ref.service); err != nil {
		return fail(exitDBus, "tray item %s vanished: %v", ref.service, err)
	}
	out.event(map[string]any{
		"event": "registered", "service": ref.service, "owner": ref.owner, "path": ref.path,
		"waited_ms": time.Since(start).Milliseconds(), "unix_ms": time.Now().UnixMilli(),
	})

	// Subscribe before touching the menu so that no change caused by a click is missed.
	signals, err := subscribe(conn, ref.owner)
	if err != nil {
		return err
	}

	info, err := readItem(conn, ref)
	if err != nil {
		return err
	}
	out.event(info)
	if cfg.expectIcon && !info.hasIcon() {
		return fail(exitExpect, "tray item has no drawable icon: IconName is empty and IconPixmap is %q (Fyne's Linux tray decodes PNG only)", info.IconPixmaps)
	}
	if info.Menu == "" || info.Menu == "/" {
		return fail(exitExpect, "tray item %s has no Menu property", ref.service)
	}
	menu := menuClient{obj: conn.Object(ref.owner, info.Menu), path: info.Menu}

	// Items may register before their menu is filled: give the menu the rest
	// of --timeout, but at least settleMax, to settle and show the --expect labels.
	deadline = later(deadline, time.Now().Add(settleMax))
	rev, root, err := menu.settled(deadline, cfg.expects...)
	if err != nil {
		return err
	}
	menu.printMenu(rev, root, cfg.dump)

	if missing := root.missing(cfg.expects); len(missing) > 0 {
		return fail(exitExpect, "menu items missing: %q (menu has %q)", missing, root.labels())
	}
	if len(cfg.expects) > 0 {
		out.event(map[string]any{"event": "expect_ok", "labels": cfg.expects})
	}

	drain(signals) // start-up noise while the app filled its menu
	for _, label := range cfg.clicks {
		if err := menu.click(label, later(deadline, time.Now().Add(settleMax))); err != nil {
			return err
		}
	}

	if cfg.waitChange > 0 {
		return watchChanges(conn, ref, menu, signals, cfg)
	}
	return nil
}

// later returns the later of two times.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
