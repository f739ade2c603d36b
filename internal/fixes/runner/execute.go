package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
)

// run is the state of one run, shared by its steps.
type run struct {
	r        *Runner
	fixID    string
	steps    int
	timeout  time.Duration
	progress func(Progress)
	// quit records, per app name, the executables QuitApp stopped, for
	// RelaunchApp to start again.
	quit map[string][]string
}

func (r *Runner) execute(ctx context.Context, fix *fixes.Fix, plan *fixes.Plan, progress func(Progress)) *Result {
	ctx, cancel := context.WithTimeoutCause(ctx, plan.Timeout, errFixTimeout)
	defer cancel()
	if progress == nil {
		progress = func(Progress) {}
	}
	st := &run{r: r, fixID: fix.ID, steps: len(plan.Steps), timeout: plan.Timeout, progress: progress, quit: map[string][]string{}}
	res := &Result{FixID: fix.ID, Title: fix.Title, Outcome: Success, Planned: len(plan.Steps)}
	for _, ps := range plan.Steps {
		if res.Outcome == Failed {
			// After a failure only the apps the fix quit are started
			// again, with a little time of their own: the employee must
			// not be left without Slack because its cache was locked.
			if _, ok := ps.Step.(fixes.RelaunchApp); !ok {
				continue
			}
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), launchTimeout)
			st.report(res, ps, func() StepResult { return st.step(rctx, ps) })
			cancel()
			continue
		}
		sr := st.report(res, ps, func() StepResult { return st.step(ctx, ps) })
		if sr.Status == StepFailed {
			res.Outcome = Failed
			res.FailedStep = ps.N
			res.Message = fmt.Sprintf("Step %d of %d (%s) failed: %s", ps.N, st.steps, ps.Summary, sr.Err)
			res.NextSteps = fix.WhatNext()
		}
	}
	if res.Outcome == Failed {
		return res
	}
	res.Message = "Done."
	if allSkipped(res.Steps) {
		// Saying "Done" when nothing ran would send the employee away
		// believing something was repaired.
		res.Message = "Nothing to do on this computer: the programs this fix uses are not installed."
	}
	if res.Reclaimed > 0 {
		res.Message = fmt.Sprintf("Done: %s freed.", HumanBytes(res.Reclaimed))
	}
	return res
}

func allSkipped(steps []StepResult) bool {
	for _, s := range steps {
		if s.Status != StepSkipped {
			return false
		}
	}
	return len(steps) > 0
}

// report runs one step between its progress events and adds its result.
func (st *run) report(res *Result, ps fixes.PlannedStep, do func() StepResult) StepResult {
	st.progress(Progress{FixID: st.fixID, Event: EventStepStarted, Step: ps.N, Steps: st.steps, Summary: ps.Summary})
	sr := do()
	res.Steps = append(res.Steps, sr)
	res.Reclaimed += sr.Reclaimed
	st.progress(Progress{FixID: st.fixID, Event: EventStepDone, Step: ps.N, Steps: st.steps, Status: sr.Status})
	return sr
}

// errFixTimeout is the cause of a run's context when the fix ran out of
// time, to tell it from the caller giving up.
var errFixTimeout = errors.New("the fix ran out of time")

// stopped explains why ctx ended, for a step's error.
func (st *run) stopped(ctx context.Context) string {
	if errors.Is(context.Cause(ctx), errFixTimeout) {
		return fmt.Sprintf("the fix took longer than its limit of %s and was stopped", st.timeout)
	}
	return "the run was cancelled"
}

func (st *run) line(n int, s string) {
	st.progress(Progress{FixID: st.fixID, Event: EventOutput, Step: n, Steps: st.steps, Line: s})
}

func (st *run) step(ctx context.Context, ps fixes.PlannedStep) StepResult {
	sr := StepResult{N: ps.N, Kind: ps.Step.Kind(), Summary: ps.Summary, Status: StepOK}
	if ctx.Err() != nil {
		sr.Status, sr.Err = StepFailed, st.stopped(ctx)
		return sr
	}
	switch s := ps.Step.(type) {
	case fixes.Exec:
		st.commands(ctx, &sr, ps.Commands, s.SkipIfMissing, s.Timeout)
	case fixes.ServiceAction:
		st.commands(ctx, &sr, ps.Commands, false, 0)
	case fixes.RemoveOld:
		st.removeOld(ctx, &sr, s)
	case fixes.QuitApp:
		st.quitApp(ctx, &sr, s)
	case fixes.RelaunchApp:
		st.relaunchApp(ctx, &sr, s)
	case fixes.WaitFor:
		st.waitFor(ctx, &sr, s)
	case fixes.Check:
		ok, err := st.r.conds.Holds(ctx, s.Condition)
		switch {
		case err != nil:
			sr.Status, sr.Err = StepFailed, err.Error()
		case !ok:
			sr.Status, sr.Err = StepFailed, s.Message
			if sr.Err == "" {
				sr.Err = "the check did not pass"
			}
		}
	default:
		sr.Status, sr.Err = StepFailed, fmt.Sprintf("unknown step type %T", s)
	}
	return sr
}

// commands runs a step's programs in order; the first failure ends the
// step.
func (st *run) commands(ctx context.Context, sr *StepResult, cmds []fixes.Command, skipIfMissing bool, timeout time.Duration) {
	out := &outputLog{cap: st.r.outputCap, emit: func(s string) { st.line(sr.N, s) }}
	defer func() { sr.Output, sr.Truncated = out.String(), out.truncated }()
	for _, c := range cmds {
		path := st.r.mapPath(c.Argv[0])
		if _, err := os.Stat(path); err != nil {
			if skipIfMissing {
				sr.Status, sr.Err = StepSkipped, c.Argv[0]+" is not installed"
				out.note(sr.Err + "; skipped")
				return
			}
			sr.Status, sr.Err = StepFailed, c.Argv[0]+" is not installed"
			return
		}
		argv := append([]string{path}, c.Argv[1:]...)
		cctx, cancel := ctx, context.CancelFunc(func() {})
		if timeout > 0 {
			cctx, cancel = context.WithTimeout(ctx, timeout)
		}
		exit, err := runCommand(cctx, argv, commandEnv(st.r.platform.GOOS, st.r.as, os.Getenv, append(slices.Clone(c.Env), st.r.testEnv...)), out)
		cancel()
		sr.Exit = &exit
		switch {
		case ctx.Err() != nil:
			sr.Status, sr.Err = StepFailed, st.stopped(ctx)
			return
		case cctx.Err() != nil:
			sr.Status, sr.Err = StepFailed, fmt.Sprintf("the step took longer than %s and was stopped", timeout)
			return
		case err != nil:
			sr.Status, sr.Err = StepFailed, err.Error()
			return
		case exit != 0 && !slices.Contains(c.AllowExit, exit):
			sr.Status, sr.Err = StepFailed, fmt.Sprintf("%s exited with status %d", baseName(c.Argv[0]), exit)
			return
		}
	}
}

func (st *run) waitFor(ctx context.Context, sr *StepResult, s fixes.WaitFor) {
	wctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	tick := time.NewTicker(waitPoll)
	defer tick.Stop()
	var lastErr error
	for {
		ok, err := st.r.conds.Holds(wctx, s.Condition)
		if ok && err == nil {
			return
		}
		lastErr = err
		select {
		case <-wctx.Done():
			sr.Status = StepFailed
			switch {
			case ctx.Err() != nil:
				sr.Err = st.stopped(ctx)
			case lastErr != nil:
				sr.Err = fmt.Sprintf("still not ready after %s: %v", s.Timeout, lastErr)
			default:
				sr.Err = fmt.Sprintf("still not ready after %s", s.Timeout)
			}
			return
		case <-tick.C:
		}
	}
}

// waitPoll is how often WaitFor tests its condition.
const waitPoll = 500 * time.Millisecond

func (st *run) quitApp(ctx context.Context, sr *StepResult, s fixes.QuitApp) {
	exes, err := st.r.apps.Quit(ctx, s.Name, s.EffectiveGrace())
	if err != nil {
		sr.Status, sr.Err = StepFailed, fmt.Sprintf("could not quit %s: %v", s.Name, err)
		return
	}
	if len(exes) == 0 {
		sr.Output = s.Name + " was not running"
		st.line(sr.N, sr.Output)
		return
	}
	st.quit[s.Name] = append(st.quit[s.Name], exes...)
	sr.Output = s.Name + " has quit"
	st.line(sr.N, sr.Output)
}

func (st *run) relaunchApp(ctx context.Context, sr *StepResult, s fixes.RelaunchApp) {
	targets := slices.Compact(slices.Sorted(slices.Values(st.quit[s.Name])))
	if len(targets) == 0 && s.Root != "" {
		dir, ok := st.r.roots[s.Root]
		if !ok {
			sr.Status, sr.Err = StepFailed, fmt.Sprintf("the folder %s is not known for this user", s.Root)
			return
		}
		targets = []string{fixes.JoinFor(st.r.platform.GOOS, dir, s.Path)}
	}
	if len(targets) == 0 {
		sr.Status, sr.Err = StepSkipped, s.Name+" was not running, so it was not started"
		st.line(sr.N, sr.Err)
		return
	}
	for _, exe := range targets {
		if err := st.r.apps.Launch(ctx, exe); err != nil {
			sr.Status, sr.Err = StepFailed, fmt.Sprintf("could not start %s: %v", s.Name, err)
			return
		}
		st.line(sr.N, "started "+exe)
	}
}

func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' || p[i] == '\\' {
			return p[i+1:]
		}
	}
	return p
}

// HumanBytes renders n for people, in binary units as file managers do
// ("538.1 KB"). The app and the CLI use it too, so one run reads the same
// everywhere.
func HumanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, exp := float64(n)/unit, 0
	for v >= unit && exp < 4 {
		v /= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", v, "KMGTP"[exp])
}
