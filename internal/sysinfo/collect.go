package sysinfo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/shirou/gopsutil/v4/common"

	"github.com/firstline-it/firstline/internal/command"
)

// Section names one part of the snapshot. IT chooses which are collected.
type Section string

// The sections, in the order they are shown.
const (
	SectionHost      Section = "host"
	SectionHardware  Section = "hardware"
	SectionNetwork   Section = "network"
	SectionProcesses Section = "processes"
	SectionProblems  Section = "problems"
	SectionSoftware  Section = "software"
)

// AllSections lists every section in display order.
func AllSections() []Section {
	return []Section{SectionHost, SectionHardware, SectionNetwork, SectionProcesses, SectionProblems, SectionSoftware}
}

// ParseSections reads a comma-separated list ("host,network"); empty means
// all. Unknown names are an error that lists the known ones.
func ParseSections(list string) ([]Section, error) {
	if strings.TrimSpace(list) == "" {
		return AllSections(), nil
	}
	var out []Section
	for _, name := range strings.Split(list, ",") {
		s := Section(strings.TrimSpace(strings.ToLower(name)))
		if !s.known() {
			return nil, fmt.Errorf("unknown section %q (known: %s)", name, sectionNames())
		}
		if !containsSection(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (s Section) known() bool { return containsSection(AllSections(), s) }

func containsSection(list []Section, s Section) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sectionNames() string {
	var names []string
	for _, s := range AllSections() {
		names = append(names, string(s))
	}
	return strings.Join(names, ", ")
}

// Requester is the person the snapshot is taken for: the LocalAPI caller
// as the kernel identified it.
type Requester struct {
	Name string
	ID   string
}

// ProcessCPU gives recent per-process CPU use measured elsewhere (the
// service's sampler), so a snapshot need not wait to measure it itself.
type ProcessCPU interface {
	// ProcessCPU returns percent of one core per PID over the window it
	// covers; ok is false until a full window has been measured.
	ProcessCPU() (byPID map[int32]float64, window time.Duration, ok bool)
}

// Runner runs an external command; see command.Func.
type Runner = command.Func

// Options configure a collection.
type Options struct {
	// Sections to collect; nil means all.
	Sections []Section
	// Timeout bounds each section (default 3s). A section past it is
	// reported as timed out and the rest of the snapshot is unaffected.
	Timeout time.Duration
	// Root is the file system root files are read under: "/" in
	// production, a fixture folder in tests.
	Root string
	// Run runs external commands; nil means the real runner.
	Run Runner
	// CommandTimeout bounds each external command (default 2s).
	CommandTimeout time.Duration
	// Requester is who asked; it becomes Host.User.
	Requester Requester
	// CPU supplies measured per-process CPU use; without it the
	// processes section measures over CPUWindow.
	CPU       ProcessCPU
	CPUWindow time.Duration
	// TopN is how many processes each top list holds (default 10).
	TopN   int
	Logger *slog.Logger
	Now    func() time.Time

	// collectors replaces the real collectors in tests.
	collectors map[Section]collector
}

func (o Options) withDefaults() Options {
	if o.Sections == nil {
		o.Sections = AllSections()
	}
	if o.Timeout <= 0 {
		o.Timeout = 3 * time.Second
	}
	if o.Root == "" {
		o.Root = "/"
	}
	if o.CommandTimeout <= 0 {
		o.CommandTimeout = 2 * time.Second
	}
	if o.Run == nil {
		o.Run = command.Runner(o.CommandTimeout)
	}
	if o.CPUWindow <= 0 {
		o.CPUWindow = 300 * time.Millisecond
	}
	if o.TopN <= 0 {
		o.TopN = 10
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// collector fills its section of s. It returns an error for what it could
// not collect; when it also filled its section, the section is partial.
type collector func(ctx context.Context, o *Options, s *Snapshot) error

func collectorFor(sec Section) collector {
	switch sec {
	case SectionHost:
		return collectHost
	case SectionHardware:
		return collectHardware
	case SectionNetwork:
		return collectNetwork
	case SectionProcesses:
		return collectProcesses
	case SectionProblems:
		return collectProblems
	case SectionSoftware:
		return collectSoftware
	}
	return nil
}

// Collect takes a snapshot. It never fails as a whole: every section runs
// concurrently under its own deadline and reports its own outcome.
func Collect(ctx context.Context, opts Options) *Snapshot {
	o := opts.withDefaults()
	start := o.Now()
	snap := &Snapshot{Schema: SchemaVersion, TakenAt: start.UTC()}
	ctx = withRoot(ctx, o.Root)

	infos := make([]SectionInfo, len(AllSections()))
	parts := make([]Snapshot, len(AllSections()))
	var wg sync.WaitGroup
	for i, sec := range AllSections() {
		infos[i] = SectionInfo{Name: sec, Status: StatusSkipped}
		if !containsSection(o.Sections, sec) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			infos[i] = runSection(ctx, &o, sec, &parts[i])
		}()
	}
	wg.Wait()
	for i, sec := range AllSections() {
		snap.merge(sec, &parts[i])
	}
	snap.Sections = infos
	snap.Duration = MillisOf(o.Now().Sub(start))
	return snap
}

// runSection collects one section into a private snapshot and copies it
// into dst only when it finished in time. Reads of /proc or a statfs cannot be
// interrupted in Go; a collector still blocked at the deadline is left to
// finish on its own and its late result is dropped (the channel is
// buffered so it never blocks).
func runSection(ctx context.Context, o *Options, sec Section, dst *Snapshot) SectionInfo {
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	start := o.Now()
	type outcome struct {
		part Snapshot
		err  error
	}
	done := make(chan outcome, 1)
	go func() {
		var part Snapshot
		err := safeCollect(ctx, o, sec, &part)
		done <- outcome{part, err}
	}()
	info := SectionInfo{Name: sec}
	select {
	case out := <-done:
		info.Duration = MillisOf(o.Now().Sub(start))
		info.Status = StatusOK
		if out.err != nil {
			info.Error = out.err.Error()
			info.Status = StatusPartial
			if !out.part.has(sec) {
				info.Status = StatusFailed
			}
			if errors.Is(out.err, context.DeadlineExceeded) && !out.part.has(sec) {
				info.Status = StatusTimeout
			}
		}
		dst.merge(sec, &out.part)
	case <-ctx.Done():
		info.Duration = MillisOf(o.Now().Sub(start))
		info.Status = StatusTimeout
		info.Error = fmt.Sprintf("not finished within %s", o.Timeout)
	}
	if info.Error != "" {
		o.Logger.Debug("sysinfo section incomplete", "section", sec, "status", info.Status, "err", info.Error)
	}
	return info
}

// safeCollect turns a panic in a collector (a parser meeting input it did
// not expect) into a failed section instead of a dead service.
func safeCollect(ctx context.Context, o *Options, sec Section, part *Snapshot) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("collector crashed: %v", r)
		}
	}()
	c := collectorFor(sec)
	if o.collectors != nil {
		c = o.collectors[sec]
	}
	return c(ctx, o, part)
}

// has reports whether the section's field is filled.
func (s *Snapshot) has(sec Section) bool {
	switch sec {
	case SectionHost:
		return s.Host != nil
	case SectionHardware:
		return s.Hardware != nil
	case SectionNetwork:
		return s.Network != nil
	case SectionProcesses:
		return s.Processes != nil
	case SectionProblems:
		return s.Problems != nil
	case SectionSoftware:
		return s.Software != nil
	}
	return false
}

// merge copies one section from part.
func (s *Snapshot) merge(sec Section, part *Snapshot) {
	switch sec {
	case SectionHost:
		s.Host = part.Host
	case SectionHardware:
		s.Hardware = part.Hardware
	case SectionNetwork:
		s.Network = part.Network
	case SectionProcesses:
		s.Processes = part.Processes
	case SectionProblems:
		s.Problems = part.Problems
	case SectionSoftware:
		s.Software = part.Software
	}
}

// withRoot points gopsutil's own file reads (/proc, /sys, /etc, /run,
// /var) at the same root as ours, so fixture roots drive both.
func withRoot(ctx context.Context, root string) context.Context {
	if root == "/" || root == "" {
		return ctx
	}
	return context.WithValue(ctx, common.EnvKey, common.EnvMap{
		common.HostProcEnvKey: joinRoot(root, "proc"),
		common.HostSysEnvKey:  joinRoot(root, "sys"),
		common.HostEtcEnvKey:  joinRoot(root, "etc"),
		common.HostVarEnvKey:  joinRoot(root, "var"),
		common.HostRunEnvKey:  joinRoot(root, "run"),
		common.HostDevEnvKey:  joinRoot(root, "dev"),
	})
}

// errorList joins the errors of the parts of a section into one, each
// prefixed with what was being read.
type errorList []string

func (l *errorList) add(what string, err error) {
	if err != nil {
		*l = append(*l, what+": "+err.Error())
	}
}

func (l errorList) err() error {
	if len(l) == 0 {
		return nil
	}
	sort.Strings(l)
	return errors.New(strings.Join(l, "; "))
}
