package sysinfo

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCollectSectionsFailIndependently(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	o := Options{
		Timeout: 200 * time.Millisecond,
		collectors: map[Section]collector{
			SectionHost: func(ctx context.Context, o *Options, s *Snapshot) error {
				s.Host = &Host{Hostname: "ok-host"}
				return nil
			},
			SectionHardware: func(ctx context.Context, o *Options, s *Snapshot) error {
				s.Hardware = &Hardware{CPU: CPU{Model: "partial"}}
				return errors.New("battery: permission denied")
			},
			SectionNetwork: func(ctx context.Context, o *Options, s *Snapshot) error {
				return errors.New("no interfaces readable")
			},
			// Ignores its context, as a hung statfs would.
			SectionProcesses: func(ctx context.Context, o *Options, s *Snapshot) error {
				<-release
				s.Processes = &Processes{Count: 1}
				return nil
			},
			SectionProblems: func(ctx context.Context, o *Options, s *Snapshot) error {
				panic("parser met something odd")
			},
			SectionSoftware: func(ctx context.Context, o *Options, s *Snapshot) error {
				<-ctx.Done()
				return ctx.Err()
			},
		},
	}
	snap := Collect(context.Background(), o)
	want := map[Section]Status{
		SectionHost: StatusOK, SectionHardware: StatusPartial, SectionNetwork: StatusFailed,
		SectionProcesses: StatusTimeout, SectionProblems: StatusFailed, SectionSoftware: StatusTimeout,
	}
	for _, in := range snap.Sections {
		if in.Status != want[in.Name] {
			t.Errorf("%s: status %s (%s), want %s", in.Name, in.Status, in.Error, want[in.Name])
		}
	}
	if snap.Host == nil || snap.Host.Hostname != "ok-host" {
		t.Error("healthy section lost")
	}
	if snap.Hardware == nil || snap.Hardware.CPU.Model != "partial" {
		t.Error("partial section dropped")
	}
	if snap.Processes != nil || snap.Software != nil {
		t.Error("a timed-out section leaked into the snapshot")
	}
	if d := snap.Duration.Duration(); d > 2*time.Second {
		t.Errorf("collection took %s despite the 200ms section timeout", d)
	}
	if !strings.Contains(snap.Summary(), "processes timeout") {
		t.Errorf("summary does not say what is missing:\n%s", snap.Summary())
	}
}

func TestCollectOnlyAskedSections(t *testing.T) {
	called := map[Section]bool{}
	fake := func(sec Section) collector {
		return func(context.Context, *Options, *Snapshot) error { called[sec] = true; return nil }
	}
	cs := map[Section]collector{}
	for _, s := range AllSections() {
		cs[s] = fake(s)
	}
	snap := Collect(context.Background(), Options{Sections: []Section{SectionHost}, collectors: cs})
	if len(called) != 1 || !called[SectionHost] {
		t.Errorf("called %v", called)
	}
	for _, in := range snap.Sections {
		if in.Name != SectionHost && in.Status != StatusSkipped {
			t.Errorf("%s: %s, want skipped", in.Name, in.Status)
		}
	}
}

func TestParseSections(t *testing.T) {
	got, err := ParseSections(" host, NETWORK ,host")
	if err != nil || len(got) != 2 || got[0] != SectionHost || got[1] != SectionNetwork {
		t.Errorf("got %v, %v", got, err)
	}
	if _, err := ParseSections("host,gpu"); err == nil || !strings.Contains(err.Error(), "known: host") {
		t.Errorf("unknown section: %v", err)
	}
	if all, _ := ParseSections(""); len(all) != len(AllSections()) {
		t.Errorf("empty list: %v", all)
	}
}

// TestCollectThisMachine runs the real collectors and checks what can be
// checked independently of them.
func TestCollectThisMachine(t *testing.T) {
	snap := Collect(context.Background(), Options{Requester: Requester{Name: "jane", ID: "1000"}})
	for _, in := range snap.Sections {
		if in.Status == StatusFailed || in.Status == StatusTimeout {
			t.Errorf("%s: %s: %s", in.Name, in.Status, in.Error)
		}
	}
	if snap.Host == nil || snap.Host.Hostname == "" || snap.Host.User != "jane" || snap.Host.BootTime.IsZero() {
		t.Fatalf("host: %+v", snap.Host)
	}
	if snap.Hardware == nil || snap.Hardware.Memory.Total == 0 || snap.Hardware.CPU.Threads == 0 || len(snap.Hardware.Disks) == 0 {
		t.Fatalf("hardware: %+v", snap.Hardware)
	}
	if snap.Processes == nil || snap.Processes.Count < 2 || len(snap.Processes.TopMemory) == 0 {
		t.Fatalf("processes: %+v", snap.Processes)
	}
	if snap.Processes.CPUWindow <= 0 {
		t.Error("process CPU not measured over a window")
	}
}
