package trayhost

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// TestAvailableFollowsTheWatcherName needs a session bus (run under
// dbus-run-session, as scripts/test.sh does for the end-to-end tests); it
// plays the tray host by owning the watcher name.
func TestAvailableFollowsTheWatcherName(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("no session bus; run under dbus-run-session")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if has, err := Available(ctx); err != nil || has {
		t.Fatalf("before any host: available=%v err=%v, want false", has, err)
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	reply, err := conn.RequestName(watcherName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning %s: %v %v", watcherName, reply, err)
	}
	if has, err := Available(ctx); err != nil || !has {
		t.Fatalf("with a host: available=%v err=%v, want true", has, err)
	}
}

func TestAvailableWithoutABusSaysTrue(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
	has, err := Available(context.Background())
	if !has || err == nil {
		t.Fatalf("available=%v err=%v, want true with an error", has, err)
	}
}
