package chart

import (
	"math"
	"strconv"
	"time"
)

// minRateScale is the smallest full scale of the throughput panel. Auto
// scaling an idle machine's few KB/s to full height would draw a busy
// looking panel; below 1 MB/s nothing a person notices happens.
const minRateScale = 1e6

// niceRateMax is the throughput panel's full scale: the largest disk or
// network rate rounded up to 1, 2 or 5 times a power of ten.
func niceRateMax(pts []point) float64 {
	hi := 0.0
	for _, p := range pts {
		for _, v := range [2]float64{p.disk, p.net} {
			if v > hi { // false for NaN
				hi = v
			}
		}
	}
	return niceCeil(max(hi, minRateScale))
}

func niceCeil(v float64) float64 {
	exp := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range [...]float64{1, 2, 5, 10} {
		if m*exp >= v*(1-1e-9) {
			return m * exp
		}
	}
	return 10 * exp
}

// formatRate writes bytes per second in decimal units, as network and disk
// tools do: 0 B/s, 750 KB/s, 2.5 MB/s, 1 GB/s.
func formatRate(v float64) string {
	units := [...]string{"B/s", "KB/s", "MB/s", "GB/s", "TB/s", "PB/s"}
	i := 0
	for v >= 1000 && i < len(units)-1 {
		v /= 1000
		i++
	}
	prec := 0
	if v < 10 && v != math.Trunc(v) {
		prec = 1
	}
	return strconv.FormatFloat(v, 'f', prec, 64) + " " + units[i]
}

// tickStep picks the finest clock label spacing that gives at most 8
// labels, at least minPx pixels apart: every 10 minutes for the usual hour.
func tickStep(window time.Duration, widthPx int) time.Duration {
	const minPx = 64
	tickSteps := [...]time.Duration{
		time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute,
		30 * time.Minute, time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
	}
	for _, s := range tickSteps {
		n := float64(window) / float64(s)
		if n <= 8 && float64(widthPx)/n >= minPx {
			return s
		}
	}
	return tickSteps[len(tickSteps)-1] * time.Duration(1+window/(8*24*time.Hour))
}

// timeTicks lists the instants in [start, end] whose clock time in loc is
// a whole multiple of step past midnight (10:00, 10:10, ...).
func timeTicks(start, end time.Time, step time.Duration, loc *time.Location) []time.Time {
	if step <= 0 || !start.Before(end) {
		return nil
	}
	s := start.In(loc)
	midnight := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, loc)
	since := s.Sub(midnight)
	t := midnight.Add((since + step - 1) / step * step)
	var out []time.Time
	for ; !t.After(end) && len(out) < 64; t = t.Add(step) {
		out = append(out, t)
	}
	return out
}
