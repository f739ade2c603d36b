package chart

import (
	"math"
	"testing"
	"time"
)

func TestNiceCeil(t *testing.T) {
	for in, want := range map[float64]float64{
		1: 1, 1.01: 2, 2: 2, 3: 5, 5: 5, 7: 10, 10: 10, 999: 1000, 1001: 2000, 1e6: 1e6, 3.2e7: 5e7, 0.3: 0.5,
	} {
		if got := niceCeil(in); math.Abs(got-want) > want*1e-12 {
			t.Errorf("niceCeil(%v) = %v, want %v", in, got, want)
		}
	}
}

func TestNiceRateMax(t *testing.T) {
	tests := []struct {
		pts  []point
		want float64
	}{
		{nil, 1e6},
		{[]point{{disk: 3e3, net: 4e3}}, 1e6}, // idle noise does not fill the panel
		{[]point{{disk: 3.2e7, net: 1e6}}, 5e7},
		{[]point{{disk: math.NaN(), net: 1.5e9}}, 2e9},
		{[]point{{disk: maxRate, net: 0}}, maxRate},
	}
	for _, tt := range tests {
		if got := niceRateMax(tt.pts); got != tt.want {
			t.Errorf("niceRateMax(%v) = %v, want %v", tt.pts, got, tt.want)
		}
	}
}

func TestFormatRate(t *testing.T) {
	for in, want := range map[float64]string{
		0: "0 B/s", 512: "512 B/s", 1000: "1 KB/s", 1500: "1.5 KB/s", 750e3: "750 KB/s",
		2.5e6: "2.5 MB/s", 25e6: "25 MB/s", 1e9: "1 GB/s", 1e15: "1 PB/s", 5e18: "5000 PB/s",
	} {
		if got := formatRate(in); got != want {
			t.Errorf("formatRate(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestTickStep(t *testing.T) {
	tests := []struct {
		window time.Duration
		px     int
		want   time.Duration
	}{
		{time.Hour, 870, 10 * time.Minute},
		{time.Hour, 390, 10 * time.Minute},
		{time.Hour, 300, 15 * time.Minute},
		{10 * time.Minute, 870, 2 * time.Minute},
		{6 * time.Hour, 870, time.Hour},
		{24 * time.Hour, 870, 3 * time.Hour},
		{30 * 24 * time.Hour, 870, 96 * time.Hour},
	}
	for _, tt := range tests {
		if got := tickStep(tt.window, tt.px); got != tt.want {
			t.Errorf("tickStep(%v, %d) = %v, want %v", tt.window, tt.px, got, tt.want)
		}
	}
}

func TestTimeTicks(t *testing.T) {
	india := time.FixedZone("IST", 5*3600+1800)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		berlin = nil // no tzdata on this machine: skip that row
	}
	tests := []struct {
		name       string
		start, end time.Time
		loc        *time.Location
		want       []string
	}{
		{"UTC hour", time.Date(2025, 3, 4, 10, 3, 0, 0, time.UTC), time.Date(2025, 3, 4, 11, 3, 0, 0, time.UTC), time.UTC,
			[]string{"10:10", "10:20", "10:30", "10:40", "10:50", "11:00"}},
		{"aligned to local clock, half-hour zone", time.Date(2025, 3, 4, 10, 3, 0, 0, time.UTC), time.Date(2025, 3, 4, 10, 40, 0, 0, time.UTC), india,
			[]string{"15:40", "15:50", "16:00", "16:10"}},
		{"start on a tick includes it", time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC), time.Date(2025, 3, 4, 10, 20, 0, 0, time.UTC), time.UTC,
			[]string{"10:00", "10:10", "10:20"}},
		{"across midnight", time.Date(2025, 3, 4, 23, 45, 0, 0, time.UTC), time.Date(2025, 3, 5, 0, 15, 0, 0, time.UTC), time.UTC,
			[]string{"23:50", "00:00", "00:10"}},
	}
	if berlin != nil {
		// 30 March 2025: clocks go from 02:00 to 03:00 in Berlin.
		tests = append(tests, struct {
			name       string
			start, end time.Time
			loc        *time.Location
			want       []string
		}{"daylight saving starts", time.Date(2025, 3, 30, 0, 35, 0, 0, time.UTC), time.Date(2025, 3, 30, 1, 5, 0, 0, time.UTC), berlin,
			[]string{"01:40", "01:50", "03:00"}})
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range timeTicks(tt.start, tt.end, 10*time.Minute, tt.loc) {
			got = append(got, tk.In(tt.loc).Format("15:04"))
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
				break
			}
		}
	}
	if got := timeTicks(testEnd, testEnd.Add(-time.Hour), time.Minute, time.UTC); got != nil {
		t.Errorf("reversed span: %v", got)
	}
	if got := timeTicks(testEnd, testEnd.Add(1000*time.Hour), time.Minute, time.UTC); len(got) > 64 {
		t.Errorf("%d ticks, the cap is 64", len(got))
	}
}

func TestTruncateAndAgo(t *testing.T) {
	if got := truncate("firefox", 32); got != "firefox" {
		t.Errorf("truncate short = %q", got)
	}
	if got := truncate("ääääää", 4); got != "äää…" {
		t.Errorf("truncate long = %q", got)
	}
	for d, want := range map[time.Duration]string{
		-time.Second: "less than a minute ago", 59 * time.Second: "less than a minute ago", time.Minute: "1 minute ago",
		119 * time.Minute: "119 minutes ago", 2 * time.Hour: "2 hours ago", 50 * time.Hour: "2 days ago",
	} {
		if got := ago(d); got != want {
			t.Errorf("ago(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestClockLayout(t *testing.T) {
	tests := []struct {
		start, end time.Time
		want       string
	}{
		{testEnd.Add(-time.Hour), testEnd, "10:00"},
		{testEnd.Add(-24 * time.Hour), testEnd, "3 Mar 11:00"},
		{time.Date(2025, 3, 4, 23, 30, 0, 0, time.UTC), time.Date(2025, 3, 5, 0, 30, 0, 0, time.UTC), "4 Mar 23:30"},
		{time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC), time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC), "4 Mar 10:00"}, // same day of year
	}
	for _, tt := range tests {
		if got := tt.start.Format(clockLayout(tt.start, tt.end)); got != tt.want {
			t.Errorf("%v – %v: start shows as %q, want %q", tt.start, tt.end, got, tt.want)
		}
	}
}

func TestZoneName(t *testing.T) {
	if got := zoneName(testEnd.In(time.FixedZone("", 5*3600+1800))); got != "+0530" {
		t.Errorf("unnamed zone = %q, want +0530", got)
	}
	if got := zoneName(testEnd.In(time.FixedZone("CET", 3600))); got != "CET" {
		t.Errorf("named zone = %q", got)
	}
}
