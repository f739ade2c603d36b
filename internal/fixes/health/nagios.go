package health

import (
	"fmt"
	"strconv"
	"strings"
)

// Perf is one performance value, "label=value[unit];warn;crit;min;max" in
// the plugin format.
type Perf struct {
	Label string
	Value float64
	// Unit is a plugin unit of measure ("%", "s", "B"); none by default.
	Unit       string
	Warn, Crit *float64
	Min, Max   *float64
}

// String renders p, leaving out trailing fields that are not set.
func (p Perf) String() string {
	fields := []string{num(p.Value) + p.Unit, opt(p.Warn), opt(p.Crit), opt(p.Min), opt(p.Max)}
	for len(fields) > 1 && fields[len(fields)-1] == "" {
		fields = fields[:len(fields)-1]
	}
	return perfLabel(p.Label) + "=" + strings.Join(fields, ";")
}

func opt(f *float64) string {
	if f == nil {
		return ""
	}
	return num(*f)
}

// num renders f without needless decimals: 8, 8.5, 0.25.
func num(f float64) string {
	return strconv.FormatFloat(round2(f), 'f', -1, 64)
}

// perfLabel quotes a label the way the plugin format wants when it holds
// spaces or "=", and keeps it free of the quote itself.
func perfLabel(l string) string {
	l = strings.ReplaceAll(l, "'", "")
	if strings.ContainsAny(l, " =") {
		return "'" + l + "'"
	}
	return l
}

// pluginText keeps "|" out of text: the plugin format splits on it.
func pluginText(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", "/"), "\n", " ")
}

// Nagios renders one result as a plugin's output line and exit code:
// "FIRSTLINE DISK WARNING - 8% free on / | free_pct=8;10;5".
func Nagios(r Result) (string, int) {
	line := fmt.Sprintf("FIRSTLINE %s %s - %s", strings.ToUpper(r.Name), r.Status, pluginText(r.Summary))
	if len(r.Perf) > 0 {
		perf := make([]string, len(r.Perf))
		for i, p := range r.Perf {
			perf[i] = p.String()
		}
		line += " | " + strings.Join(perf, " ")
	}
	return line, int(r.Status)
}

// NagiosAll renders several results as one plugin run: a status line with
// the worst status and what is not ok, every check's performance data
// (labels prefixed with the check's name unless they start with it, so
// they stay unique), then one
// line per check. The exit code is the worst status.
func NagiosAll(rs []Result) (string, int) {
	worst := Worst(rs)
	var bad, perf, lines []string
	for _, r := range rs {
		if r.Status != OK {
			bad = append(bad, r.Name+" "+r.Status.String())
		}
		for _, p := range r.Perf {
			if !strings.HasPrefix(p.Label, r.Name+"_") {
				p.Label = r.Name + "_" + p.Label // "dns_ok" stays, "free_pct" becomes "disk_free_pct"
			}
			perf = append(perf, p.String())
		}
		line, _ := Nagios(Result{Name: r.Name, Status: r.Status, Summary: r.Summary})
		lines = append(lines, line)
	}
	summary := fmt.Sprintf("all %d checks ok", len(rs))
	if len(bad) > 0 {
		summary = fmt.Sprintf("%d of %d checks need attention: %s", len(bad), len(rs), strings.Join(bad, ", "))
	}
	first := "FIRSTLINE " + worst.String() + " - " + summary
	if len(perf) > 0 {
		first += " | " + strings.Join(perf, " ")
	}
	return first + "\n" + strings.Join(lines, "\n") + "\n", int(worst)
}
