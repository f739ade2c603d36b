// Command firstline is the Firstline tray app: the employee's way to get help
// from IT. It runs per user, never as root, and talks to firstline-service
// over the LocalAPI. `firstline --dev` runs the service inside the app, so
// the whole product works without installing anything.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/firstline-it/firstline/app"
	"github.com/firstline-it/firstline/app/autostart"
	"github.com/firstline-it/firstline/app/instance"
	"github.com/firstline-it/firstline/app/nav"
	"github.com/firstline-it/firstline/app/privilege"
	"github.com/firstline-it/firstline/app/trayhost"
	"github.com/firstline-it/firstline/assets"
	"github.com/firstline-it/firstline/internal/buildinfo"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/localapi/transport"
)

// appID is the app's unique id: Fyne keys preferences and caches on it, the
// desktop keys notifications and the tray item on it.
const appID = "io.firstline.desktop"

func main() {
	os.Exit(run())
}

func run() int {
	dev := flag.Bool("dev", false, "run the service inside the app (socket and state in a temporary folder)")
	open := flag.Bool("open", false, "open the main window at start")
	page := flag.String("page", "", "open the main window on this page: home, get-help, fixes, computer, notices, reports, about")
	socket := flag.String("socket", transport.DefaultPath, "the service's LocalAPI socket")
	flag.Parse()
	startPage, ok := nav.Parse(*page)
	if *page != "" && !ok {
		fmt.Fprintf(os.Stderr, "firstline: unknown page %q\n", *page)
		return 2
	}
	if *page != "" {
		*open = true
	}

	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := privilege.Refuse(); err != nil {
		fmt.Fprintln(os.Stderr, "firstline:", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// Dev mode gets its own instance name so it can run beside an installed
	// app without handing over to it.
	name := "firstline"
	if *dev {
		name = "firstline-dev"
	}
	inst, err := instance.Acquire(ctx, name)
	switch {
	case err == instance.ErrAlreadyRunning: // exactly: the wrapped form means it did not answer
		fmt.Println("Firstline is already running; its window has been brought forward.")
		return 0
	case err != nil:
		// A primary that does not answer (hung, or on Windows a name taken by
		// someone else) must not leave the employee with no app at all.
		log.Warn("could not hand over to a running instance; starting anyway", "err", err)
		inst = nil
	default:
		defer inst.Close()
	}

	fixesDir := "" // the installed service's fixes.d
	if *dev {
		svc, err := startDevService(log)
		if err != nil {
			fmt.Fprintln(os.Stderr, "firstline: starting the in-process service:", err)
			return 1
		}
		defer svc.stop()
		*socket = svc.socket
		*open = true
		// The dev service reads no fixes.d; the app's user fixes must not
		// either, or the two would list different catalogs.
		fixesDir = filepath.Join(svc.dir, "fixes.d")
	}

	// Without a tray host (GNOME lacking the AppIndicator extension) the icon
	// would never appear: open the window so the employee has something.
	probeCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
	hasTray, err := trayhost.Available(probeCtx)
	cancel()
	if !hasTray {
		log.Info("this desktop shows no tray icons; opening the window instead")
		*open = true
	} else if err != nil {
		log.Debug("could not tell whether the desktop shows tray icons", "err", err)
	}

	version := buildinfo.Version()
	fyneapp.SetMetadata(fyne.AppMetadata{
		ID: appID, Name: "Firstline", Version: version,
		Icon: fyne.NewStaticResource("firstline.png", assets.AppPNG()),
	})
	fa := fyneapp.NewWithID(appID)
	client := localapi.NewClient(*socket)
	defer client.Close()
	opts := app.Options{OpenWindow: *open, Dev: *dev, SocketPath: *socket, Version: version, Logger: log,
		NoTrayHost: !hasTray, FixesDir: fixesDir}
	if !*dev {
		if login, err := autostart.ForThisProgram(); err == nil {
			opts.Login = login
		}
	}
	a := app.New(fa, client, opts)
	if *page != "" {
		a.Show(startPage)
	}

	if inst != nil {
		go forwardShowRequests(ctx, inst, a)
	}
	if err := a.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "firstline:", err)
		return 1
	}
	return 0
}

// forwardShowRequests brings the window forward whenever a later launch
// (from the applications menu, say) asks; it ends with ctx or the instance.
func forwardShowRequests(ctx context.Context, inst *instance.Instance, a *app.App) {
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-inst.ShowRequests():
			if !ok {
				return
			}
			a.Show(nav.Home)
		}
	}
}
