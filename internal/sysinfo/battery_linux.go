package sysinfo

import (
	"context"
	"os"
	"strconv"
	"strings"
)

// batteries reads /sys/class/power_supply, where each battery is a folder
// of one-value files. A desktop has none, which is not an error.
func batteries(_ context.Context, o *Options) ([]Battery, error) {
	dir := joinRoot(o.Root, "sys", "class", "power_supply")
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Battery
	for _, e := range entries {
		name := e.Name()
		val := func(f string) string { return readTrimmed(o.Root, "sys", "class", "power_supply", name, f) }
		if val("type") != "Battery" || val("scope") == "Device" { // Device scope: a mouse or a headset
			continue
		}
		out = append(out, batteryFromSysfs(name, val))
	}
	return out, nil
}

func batteryFromSysfs(name string, val func(string) string) Battery {
	num := func(f string) float64 {
		v, _ := strconv.ParseFloat(val(f), 64)
		return v
	}
	b := Battery{Name: name, Percent: num("capacity"), State: strings.ToLower(val("status"))}
	if b.State == "" {
		b.State = "unknown"
	}
	full, design := num("energy_full"), num("energy_full_design")
	if full == 0 || design == 0 {
		full, design = num("charge_full"), num("charge_full_design")
	}
	if full > 0 && design > 0 {
		b.HealthPercent = round1(100 * full / design)
	}
	b.CycleCount = int(num("cycle_count"))
	return b
}
