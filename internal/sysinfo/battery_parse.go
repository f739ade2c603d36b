package sysinfo

import (
	"bufio"
	"bytes"
	"regexp"
	"strconv"
	"strings"
)

// windowsBattery interprets GetSystemPowerStatus: flag 128 means no
// battery, 255 unknown; percent 255 unknown.
func windowsBattery(acLine, flag, percent byte) []Battery {
	if flag == 128 || flag == 255 || percent == 255 {
		return nil
	}
	b := Battery{Name: "Battery", Percent: float64(percent), State: "discharging"}
	switch {
	case flag&8 != 0:
		b.State = "charging"
	case acLine == 1 && percent >= 100:
		b.State = "full"
	case acLine == 1:
		b.State = "not charging"
	}
	return []Battery{b}
}

// pmsetLine matches ` -InternalBattery-0 (id=1234)	87%; charging; 1:02 remaining present: true`.
var pmsetLine = regexp.MustCompile(`^\s*-(\S+).*?\t(\d+)%;\s*([^;]+);`)

// parsePmset reads `pmset -g batt`.
func parsePmset(b []byte) []Battery {
	var out []Battery
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		m := pmsetLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		pct, _ := strconv.ParseFloat(m[2], 64)
		state := strings.TrimSpace(strings.ToLower(m[3]))
		if state == "charged" || state == "finishing charge" {
			state = "full"
		}
		if state == "ac attached" {
			state = "not charging"
		}
		out = append(out, Battery{Name: m[1], Percent: pct, State: state})
	}
	return out
}
