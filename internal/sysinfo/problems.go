package sysinfo

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/sysinfo/software"
)

// crashWindow is how far back crash reports are listed: a crash last month
// is not what today's ticket is about.
const crashWindow = 7 * 24 * time.Hour

// maxCrashes caps the list; a crash loop would otherwise fill the ticket.
const maxCrashes = 10

func collectProblems(ctx context.Context, o *Options, s *Snapshot) error {
	p := &Problems{}
	err := osProblems(ctx, o, p)
	sort.SliceStable(p.Crashes, func(i, j int) bool { return p.Crashes[i].At.After(p.Crashes[j].At) })
	if len(p.Crashes) > maxCrashes {
		p.Notes = append(p.Notes, strconv.Itoa(len(p.Crashes)-maxCrashes)+" older crash reports not listed")
		p.Crashes = p.Crashes[:maxCrashes]
	}
	s.Problems = p
	return err
}

func collectSoftware(ctx context.Context, o *Options, s *Snapshot) error {
	r := software.Detect(ctx, software.Env{Root: o.Root, Run: o.Run, Timeout: o.CommandTimeout, Logger: o.Logger})
	s.Software = &r
	return nil
}

// recentCrashes lists the files of dir modified within the crash window,
// each turned into a crash by parse (which says false for files that are
// not crash reports).
func recentCrashes(dir string, now time.Time, parse func(name string, mod time.Time) (Crash, bool)) ([]Crash, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Crash
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || now.Sub(info.ModTime()) > crashWindow {
			continue
		}
		if c, ok := parse(e.Name(), info.ModTime()); ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// parseCoredumpName reads systemd-coredump's file names:
// core.<comm>.<uid>.<boot id>.<pid>.<usec>[.zst|.lz4|.xz]. The comm may
// itself contain dots, so the fields are taken from the right.
func parseCoredumpName(name string, mod time.Time) (Crash, bool) {
	if !strings.HasPrefix(name, "core.") {
		return Crash{}, false
	}
	rest := strings.TrimPrefix(name, "core.")
	for _, ext := range []string{".zst", ".lz4", ".xz"} {
		rest = strings.TrimSuffix(rest, ext)
	}
	f := strings.Split(rest, ".")
	if len(f) < 5 {
		return Crash{}, false
	}
	comm := strings.Join(f[:len(f)-4], ".")
	usec, err := strconv.ParseInt(f[len(f)-1], 10, 64)
	at := mod
	if err == nil && usec > 0 {
		at = time.UnixMicro(usec)
	}
	if comm == "" {
		return Crash{}, false
	}
	return Crash{Program: unescapeCoredump(comm), At: at.UTC(), Kind: "coredump"}, true
}

// unescapeCoredump undoes systemd's \xNN escaping of odd bytes in comm.
func unescapeCoredump(s string) string {
	if !strings.Contains(s, `\x`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			if v, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// parseWERName reads Windows Error Reporting archive folder names:
// AppCrash_<program>_<hash>_<id>, AppHang_..., with the kind first.
func parseWERName(name string, mod time.Time) (Crash, bool) {
	kind, rest, ok := strings.Cut(name, "_")
	if !ok {
		return Crash{}, false
	}
	switch kind {
	case "AppCrash", "AppHang", "BlueScreen", "Kernel":
	default:
		return Crash{}, false
	}
	prog, _, _ := strings.Cut(rest, "_")
	if prog == "" {
		return Crash{}, false
	}
	return Crash{Program: prog, At: mod.UTC(), Kind: strings.ToLower(kind)}, true
}

// parseMacReportName reads DiagnosticReports names such as
// Safari-2024-05-01-101010.ips or Kernel-2024-05-01-101010.panic.
func parseMacReportName(name string, mod time.Time) (Crash, bool) {
	var kind string
	switch {
	case strings.HasSuffix(name, ".panic"):
		kind = "panic"
	case strings.HasSuffix(name, ".ips"), strings.HasSuffix(name, ".crash"):
		kind = "crash report"
	default:
		return Crash{}, false
	}
	base := name[:strings.LastIndex(name, ".")]
	prog := base
	// The program is everything before the date: a dash followed by a year.
	for i := 0; i+5 <= len(base); i++ {
		if base[i] == '-' && i+5 <= len(base) && isYear(base[i+1:i+5]) {
			prog = base[:i]
			break
		}
	}
	if prog == "" {
		return Crash{}, false
	}
	return Crash{Program: prog, At: mod.UTC(), Kind: kind}, true
}

func isYear(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 2000 && n < 2200
}

// parseFailedUnits takes the first column of `systemctl list-units
// --plain --no-legend`, skipping anything that is not a unit name.
func parseFailedUnits(b []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		name := strings.TrimPrefix(f[0], "●")
		if name == "" && len(f) > 1 {
			name = f[1]
		}
		if strings.Contains(name, ".") {
			out = append(out, name)
		}
	}
	return out
}
