package manager

import "testing"

func TestStateFromSystemd(t *testing.T) {
	for show, want := range map[string]State{
		"ActiveState=active\nSubState=running\n":          StateRunning,
		"ActiveState=activating\nSubState=auto-restart\n": StateRestarting,
		"ActiveState=activating\nSubState=start\n":        StateRunning,
		"ActiveState=failed\nSubState=failed\n":           StateFailed,
	} {
		if got := stateFromSystemd(show); got != want {
			t.Errorf("%q → %v, want %v", show, got, want)
		}
	}
}
