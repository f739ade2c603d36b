package sysinfo

import (
	"context"
	"os"
	"path/filepath"
	"time"
)

// osProblems lists recent Windows Error Reporting archives (application
// crashes and hangs) and blue-screen minidumps.
func osProblems(_ context.Context, o *Options, p *Problems) error {
	var errs errorList
	data := os.Getenv("ProgramData")
	if data == "" {
		data = `C:\ProgramData`
	}
	wer, err := recentCrashes(filepath.Join(data, "Microsoft", "Windows", "WER", "ReportArchive"), o.Now(), parseWERName)
	errs.add("error reports", err)
	windir := os.Getenv("SystemRoot")
	if windir == "" {
		windir = `C:\Windows`
	}
	bsod, err := recentCrashes(filepath.Join(windir, "Minidump"), o.Now(), func(name string, mod time.Time) (Crash, bool) {
		return Crash{Program: "Windows (blue screen)", At: mod.UTC(), Kind: "minidump"}, filepath.Ext(name) == ".dmp"
	})
	errs.add("minidumps", err)
	p.Crashes = append(wer, bsod...)
	return errs.err()
}
