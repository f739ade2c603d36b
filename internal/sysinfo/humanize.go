package sysinfo

import (
	"fmt"
	"strings"
	"time"
)

// Bytes writes a size the way people read it: "512 MB", "15.5 GB". Decimal
// units, as disk vendors and the OS file managers use.
func Bytes(n uint64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	suffix := []string{"kB", "MB", "GB", "TB", "PB"}[exp]
	if v >= 100 {
		return fmt.Sprintf("%.0f %s", v, suffix)
	}
	return fmt.Sprintf("%.1f %s", v, suffix)
}

// Ago writes a past duration coarsely: "3 days 4 h", "2 h 5 min", "40 s".
func Ago(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	days := int(d / (24 * time.Hour))
	hours := int(d % (24 * time.Hour) / time.Hour)
	mins := int(d % time.Hour / time.Minute)
	switch {
	case days > 0:
		return plural(days, "day") + fmt.Sprintf(" %d h", hours)
	case hours > 0:
		return fmt.Sprintf("%d h %d min", hours, mins)
	case mins > 0:
		return fmt.Sprintf("%d min", mins)
	default:
		return fmt.Sprintf("%d s", int(d/time.Second))
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "sh") || strings.HasSuffix(word, "s") {
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// pct writes a percentage without a pointless ".0".
func pct(f float64) string {
	if f == float64(int64(f)) {
		return fmt.Sprintf("%d%%", int64(f))
	}
	return fmt.Sprintf("%.1f%%", f)
}

// joinNonEmpty joins the parts that say something.
func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}
