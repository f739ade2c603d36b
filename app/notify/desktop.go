package notify

import (
	"context"
	"runtime"
	"sync"

	"fyne.io/fyne/v2"
)

// Desktop is the app's sender: the freedesktop service on the session bus
// where there is one (Linux, BSD), with urgency and a click that opens
// the window; Fyne's notifications elsewhere (Windows, macOS) and where
// the bus does not answer.
type Desktop struct {
	fallback Fyne
	// ready is closed once Run knows whether the bus answered; Send waits
	// for it, so the first notices of a run get their urgency.
	ready     chan struct{}
	readyOnce sync.Once

	mu   sync.Mutex
	dbus *DBus
}

// NewDesktop returns a sender for fa; on a D-Bus desktop its Send waits
// for [Desktop.Run] to try the session bus.
func NewDesktop(fa fyne.App) *Desktop {
	d := &Desktop{fallback: Fyne{App: fa}, ready: make(chan struct{})}
	if !onDBusDesktop() {
		d.markReady()
	}
	return d
}

func onDBusDesktop() bool { return runtime.GOOS != "windows" && runtime.GOOS != "darwin" }

func (d *Desktop) markReady() { d.readyOnce.Do(func() { close(d.ready) }) }

// Run connects to the session bus and calls onClick for clicks on our
// notifications until ctx ends. Without a bus it returns at once and
// Fyne's notifications are used.
func (d *Desktop) Run(ctx context.Context, onClick func()) error {
	defer d.markReady()
	if !onDBusDesktop() {
		return nil
	}
	conn, err := DialDBus(ctx)
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.dbus = conn
	d.mu.Unlock()
	d.markReady()
	defer func() {
		d.mu.Lock()
		d.dbus = nil
		d.mu.Unlock()
		conn.Close()
	}()
	return conn.Listen(ctx, onClick)
}

// Send shows m.
func (d *Desktop) Send(ctx context.Context, m Message) error {
	select {
	case <-d.ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	d.mu.Lock()
	conn := d.dbus
	d.mu.Unlock()
	if conn == nil {
		return d.fallback.Send(ctx, m)
	}
	return conn.Send(ctx, m)
}
