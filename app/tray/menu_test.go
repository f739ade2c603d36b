package tray

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/firstline-it/firstline/app/link"
	"github.com/firstline-it/firstline/app/nav"
	"github.com/firstline-it/firstline/assets"
)

// sep stands for a separator in the expected labels.
const sep = "---"

func labels(m *fyne.Menu) (all, disabled []string) {
	for _, it := range m.Items {
		if it.IsSeparator {
			all = append(all, sep)
			continue
		}
		all = append(all, it.Label)
		if it.Disabled {
			disabled = append(disabled, it.Label)
		}
	}
	return all, disabled
}

func TestMenu(t *testing.T) {
	tests := []struct {
		name   string
		state  State
		labels []string
		icon   assets.TrayVariant
	}{{
		name:  "connecting",
		state: State{Service: link.Connecting},
		labels: []string{"Get help…", "Fixes", "Notices", "My reports", sep,
			"Open Firstline", "Connecting to Firstline service…", sep, "Quit"},
		icon: assets.TrayNormal,
	}, {
		name:  "up, nothing new",
		state: State{Service: link.Up},
		labels: []string{"Get help…", "Fixes", "Notices", "My reports", sep,
			"Open Firstline", "Connected to Firstline service", sep, "Quit"},
		icon: assets.TrayNormal,
	}, {
		name:  "up, 3 unread notices",
		state: State{Service: link.Up, Notices: 3},
		labels: []string{"Get help…", "Fixes", "Notices (3)", "My reports", sep,
			"Open Firstline", "Connected to Firstline service", sep, "Quit"},
		icon: assets.TrayAttention,
	}, {
		name:  "up, 1 critical notice",
		state: State{Service: link.Up, Notices: 1, Critical: 1},
		labels: []string{"Get help…", "Fixes", "Notices (1, 1 critical)", "My reports", sep,
			"Open Firstline", "Connected to Firstline service", sep, "Quit"},
		icon: assets.TrayAttention,
	}, {
		name:  "up, 2 reports need attention",
		state: State{Service: link.Up, ReportsNeedAttention: 2},
		labels: []string{"Get help…", "Fixes", "Notices", "My reports (2 need attention)", sep,
			"Open Firstline", "Connected to Firstline service", sep, "Quit"},
		icon: assets.TrayAttention,
	}, {
		name:  "down",
		state: State{Service: link.Down},
		labels: []string{"Get help…", "Fixes", "Notices", "My reports", sep,
			"Open Firstline", "Firstline service is not running", sep, "Quit"},
		icon: assets.TrayOffline,
	}, {
		name:  "not responding, stale counts do not win",
		state: State{Service: link.NotResponding, Notices: 4},
		labels: []string{"Get help…", "Fixes", "Notices (4)", "My reports", sep,
			"Open Firstline", "Firstline service is not responding", sep, "Quit"},
		icon: assets.TrayOffline,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Menu(tt.state, Actions{Open: func(nav.Section) {}, Quit: func() {}})
			got, disabled := labels(m)
			if !slices.Equal(got, tt.labels) {
				t.Errorf("labels\n got %q\nwant %q", got, tt.labels)
			}
			// Only the status line is disabled, in every state: the feature
			// items open pages that explain the state.
			if want := []string{tt.state.Service.Describe()}; !slices.Equal(disabled, want) {
				t.Errorf("disabled = %q, want %q", disabled, want)
			}
			if quit := m.Items[len(m.Items)-1]; !quit.IsQuit {
				t.Error("last item is not marked IsQuit; Fyne would add a second Quit")
			}
			if got := Icon(tt.state); got != tt.icon {
				t.Errorf("icon = %v, want %v", got, tt.icon)
			}
		})
	}
}

func TestMenuItemsOpenTheirSection(t *testing.T) {
	var opened []nav.Section
	quits := 0
	m := Menu(State{Service: link.Down}, Actions{
		Open: func(s nav.Section) { opened = append(opened, s) },
		Quit: func() { quits++ },
	})
	for _, it := range m.Items {
		if it.Action != nil {
			it.Action()
		}
	}
	want := []nav.Section{nav.GetHelp, nav.Fixes, nav.Notices, nav.Reports, nav.Home}
	if !slices.Equal(opened, want) {
		t.Errorf("opened %v, want %v", opened, want)
	}
	if quits != 1 {
		t.Errorf("Quit called %d times, want 1", quits)
	}
}

func TestHealthBadgeOnlyWhileCritical(t *testing.T) {
	tests := []struct {
		name  string
		state State
		item  string // the health item, "" for none
		icon  assets.TrayVariant
	}{
		{"nothing critical", State{Service: link.Up}, "", assets.TrayNormal},
		{"one critical", State{Service: link.Up, HealthCritical: 1}, "1 problem on this computer…", assets.TrayAttention},
		{"three critical", State{Service: link.Up, HealthCritical: 3}, "3 problems on this computer…", assets.TrayAttention},
		{"service away wins", State{Service: link.Down, HealthCritical: 1}, "1 problem on this computer…", assets.TrayOffline},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opened []nav.Section
			m := Menu(tt.state, Actions{Open: func(s nav.Section) { opened = append(opened, s) }, Quit: func() {}})
			got, _ := labels(m)
			has := tt.item != "" && slices.Contains(got, tt.item)
			if tt.item != "" && !has {
				t.Errorf("menu %q lacks %q", got, tt.item)
			}
			if tt.item == "" && len(got) != 9 {
				t.Errorf("menu without critical checks has %d items: %q", len(got), got)
			}
			if has {
				for _, it := range m.Items {
					if it.Label == tt.item {
						it.Action()
					}
				}
				if !slices.Equal(opened, []nav.Section{nav.Home}) {
					t.Errorf("health item opened %v, want Home", opened)
				}
			}
			if got := Icon(tt.state); got != tt.icon {
				t.Errorf("icon %v, want %v", got, tt.icon)
			}
		})
	}
}
