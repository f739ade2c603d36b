package sysinfo

import "context"

// osProblems lists recent crash reports and kernel panics from the system's
// DiagnosticReports folder.
func osProblems(_ context.Context, o *Options, p *Problems) error {
	crashes, err := recentCrashes(joinRoot(o.Root, "Library", "Logs", "DiagnosticReports"), o.Now(), parseMacReportName)
	p.Crashes = crashes
	return err
}
