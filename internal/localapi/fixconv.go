package localapi

import (
	"strings"

	"github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/health"
	"github.com/firstline-it/firstline/internal/fixes/runner"
)

// The conversions below are the one mapping between the fix packages and
// the wire, shared by the service (which sends) and the app and CLI (which
// receive and also run user fixes themselves).

// NewFixInfo describes f for a listing.
func NewFixInfo(f *fixes.Fix, available bool) FixInfo {
	info := FixInfo{
		ID: f.ID, Title: f.Title, Description: f.Description, Group: string(f.Group),
		RunsAs: string(f.RunsAs), TimeoutSeconds: f.EffectiveTimeout().Seconds(),
		NextSteps: f.WhatNext(), Available: available,
	}
	for _, p := range f.Params {
		info.Params = append(info.Params, FixParam{
			Name: p.Name, Label: p.Label, Kind: string(p.Kind),
			Enum: append([]string(nil), p.Enum...), Min: p.Min, Max: p.Max, Default: p.Default,
		})
	}
	return info
}

// NewFixPlan describes a dry run.
func NewFixPlan(p *fixes.Plan) *FixPlan {
	out := &FixPlan{
		FixID: p.FixID, Title: p.Title, RunsAs: string(p.RunsAs),
		Params: p.Values, TimeoutSeconds: p.Timeout.Seconds(),
		Steps: make([]FixPlanStep, 0, len(p.Steps)),
	}
	for _, s := range p.Steps {
		ps := FixPlanStep{N: s.N, Kind: string(s.Step.Kind()), Summary: s.Summary}
		for _, c := range s.Commands {
			ps.Commands = append(ps.Commands, fixes.FormatArgv(c.Argv))
		}
		out.Steps = append(out.Steps, ps)
	}
	return out
}

// NewFixProgress is one progress report on the wire.
func NewFixProgress(p runner.Progress) FixProgress {
	return FixProgress{
		Event: string(p.Event), Step: p.Step, Steps: p.Steps,
		Summary: p.Summary, Line: p.Line, Status: string(p.Status),
	}
}

// NewFixResult is a finished run on the wire, with its log.
func NewFixResult(r *runner.Result) *FixResult {
	out := &FixResult{
		FixID: r.FixID, Title: r.Title, Outcome: string(r.Outcome), FailedStep: r.FailedStep,
		Message: r.Message, NextSteps: r.NextSteps, Planned: r.Planned,
		ReclaimedBytes: r.Reclaimed, Start: r.Start, End: r.End, Log: r.Log(),
		Steps: make([]FixStepResult, 0, len(r.Steps)),
	}
	for _, s := range r.Steps {
		out.Steps = append(out.Steps, FixStepResult{
			N: s.N, Kind: string(s.Kind), Summary: s.Summary, Status: string(s.Status),
			Exit: s.Exit, Error: s.Err, Output: s.Output, Truncated: s.Truncated,
			Removed: s.Removed, ReclaimedBytes: s.Reclaimed,
		})
	}
	return out
}

// NewHealthCheck is one check's verdict on the wire.
func NewHealthCheck(r health.Result) HealthCheck {
	c := HealthCheck{
		Name: r.Name, Label: r.Label, Status: strings.ToLower(r.Status.String()), Code: int(r.Status),
		Summary: r.Summary, Message: r.Message, FixID: r.FixID,
	}
	for _, p := range r.Perf {
		c.Perf = append(c.Perf, p.String())
	}
	return c
}

// NewHealthReport is every verdict with the worst status.
func NewHealthReport(rs []health.Result) *HealthReport {
	out := &HealthReport{Checks: make([]HealthCheck, 0, len(rs)), Worst: strings.ToLower(health.Worst(rs).String())}
	for _, r := range rs {
		out.Checks = append(out.Checks, NewHealthCheck(r))
	}
	return out
}

// Summary counts the critical and warning checks, for the watch stream.
func (h *HealthReport) Summary() HealthSummary {
	var s HealthSummary
	for _, c := range h.Checks {
		switch health.Status(c.Code) {
		case health.Critical:
			s.Critical++
		case health.Warning:
			s.Warning++
		}
	}
	return s
}
