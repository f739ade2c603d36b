package notices

import "testing"

func TestApplies(t *testing.T) {
	win := Machine{OS: "windows", Hostname: "LAB-07.corp.example.com", Groups: []string{"Finance", "paris"}}
	mac := Machine{OS: "darwin", Hostname: "mbp-anna", Groups: nil}
	linux := Machine{OS: "linux", Hostname: "build-3.", Groups: []string{"dev"}}
	tests := []struct {
		name   string
		target Target
		m      Machine
		want   bool
	}{
		{"no target: everyone", Target{}, mac, true},
		{"os match", Target{OS: []string{"windows"}}, win, true},
		{"os miss", Target{OS: []string{"windows"}}, mac, false},
		{"macos means darwin", Target{OS: []string{"macOS"}}, mac, true},
		{"darwin also accepted", Target{OS: []string{"darwin"}}, mac, true},
		{"any of several os", Target{OS: []string{"linux", "macos"}}, linux, true},
		{"unknown machine os", Target{OS: []string{"linux"}}, Machine{OS: "plan9"}, false},
		{"unknown target os never matches", Target{OS: []string{"beos"}}, Machine{OS: "beos"}, false},
		{"host glob on short name", Target{Hostnames: []string{"lab-*"}}, win, true},
		{"host glob on full name", Target{Hostnames: []string{"*.corp.example.com"}}, win, true},
		{"short name matches the full name", Target{Hostnames: []string{"lab-07"}}, win, true},
		{"host exact, case-insensitive", Target{Hostnames: []string{"Lab-07.Corp.Example.Com"}}, win, true},
		{"host ?", Target{Hostnames: []string{"lab-0?"}}, win, true},
		{"host ? is one char", Target{Hostnames: []string{"lab-?"}}, win, false},
		{"host miss", Target{Hostnames: []string{"mbp-*"}}, win, false},
		{"trailing dot ignored", Target{Hostnames: []string{"build-3"}}, linux, true},
		{"empty hostname never matches", Target{Hostnames: []string{"*"}}, Machine{OS: "linux"}, false},
		{"invalid pattern never matches", Target{Hostnames: []string{"lab-[0-9]"}}, Machine{Hostname: "lab-[0-9]"}, false},
		{"group, case-insensitive", Target{Groups: []string{"finance"}}, win, true},
		{"group miss", Target{Groups: []string{"hr"}}, win, false},
		{"group: machine has none", Target{Groups: []string{"hr"}}, mac, false},
		{"all lists must match", Target{OS: []string{"windows"}, Hostnames: []string{"lab-*"}, Groups: []string{"paris"}}, win, true},
		{"one list failing fails", Target{OS: []string{"windows"}, Hostnames: []string{"lab-*"}, Groups: []string{"hr"}}, win, false},
		{"os fails though others match", Target{OS: []string{"linux"}, Groups: []string{"finance"}}, win, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := notice("n", SeverityInfo, t0)
			n.Target = tt.target
			if got := Applies(&n, tt.m); got != tt.want {
				t.Errorf("Applies(%+v, %+v) = %v, want %v", tt.target, tt.m, got, tt.want)
			}
		})
	}
}
