// Command trayref is a bare Fyne tray app: the same Fyne set-up as
// Firstline's (metadata, app ID, tray icon, a one-item tray menu, no window
// shown) and nothing else. It exists only as the baseline for the idle
// benchmark in scripts/bench.sh, which compares the Firstline tray app's
// memory, CPU and context switches at rest against it; it is not shipped.
package main

import (
	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/firstline-it/firstline/assets"
)

func main() {
	const id = "io.firstline.desktop.trayref"
	fyneapp.SetMetadata(fyne.AppMetadata{
		ID: id, Name: "Firstline",
		Icon: fyne.NewStaticResource("firstline.png", assets.AppPNG()),
	})
	a := fyneapp.NewWithID(id)
	if d, ok := a.(desktop.App); ok {
		d.SetSystemTrayMenu(fyne.NewMenu("Firstline", fyne.NewMenuItem("Open", nil)))
		d.SetSystemTrayIcon(fyne.NewStaticResource("tray.png", assets.TrayPNG(assets.TrayNormal)))
	}
	a.Run()
}
