package sysinfo

import (
	"context"
	"os"
)

// osProblems lists failed systemd units and recent core dumps.
func osProblems(ctx context.Context, o *Options, p *Problems) error {
	var errs errorList
	// systemd's own test for "booted with systemd"; without it systemctl
	// can only fail, which is not a problem of this computer.
	if _, err := os.Stat(joinRoot(o.Root, "run", "systemd", "system")); err != nil {
		p.Notes = append(p.Notes, "systemd is not running; no failed services to list")
	} else if out, err := o.Run(ctx, "systemctl", "list-units", "--state=failed", "--plain", "--no-legend", "--no-pager"); err != nil {
		errs.add("failed units", err)
	} else {
		p.FailedUnits = parseFailedUnits(out)
	}
	crashes, err := recentCrashes(joinRoot(o.Root, "var", "lib", "systemd", "coredump"), o.Now(), parseCoredumpName)
	errs.add("core dumps", err)
	p.Crashes = crashes
	return errs.err()
}
