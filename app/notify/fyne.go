package notify

import (
	"context"

	"fyne.io/fyne/v2"
)

// Fyne sends notifications through Fyne, which uses the desktop's own
// service on Windows (toast) and macOS (User Notifications), where there
// is no D-Bus. It has no urgency and no click action.
type Fyne struct {
	App fyne.App
}

// Send shows m.
func (f Fyne) Send(_ context.Context, m Message) error {
	n := fyne.NewNotification(m.Summary, m.Body)
	fyne.Do(func() { f.App.SendNotification(n) })
	return nil
}
